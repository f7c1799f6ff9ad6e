/**
 * The matrix's rows from searches in worker threads (`--workers N`): each worker runs the search
 * `matrixRows` runs in-process; this thread turns each result into its row (and files) as it
 * arrives, and returns the rows in VARIANTS order, so the report is the same as without workers.
 */
import { progressReporter } from "../report/progress.js";
import type { Limits } from "./args.js";
import type { Io } from "./io.js";
import { searchInWorkers } from "./matrix-pool.js";
import { type MatrixRow, variantRow } from "./matrix-row.js";
import { memoryShare } from "./memory.js";
import type { WorkerJob } from "./worker-protocol.js";
import { type Bounds, VARIANTS, buildModel, findVariant } from "./wiring.js";

/** What the searches in workers need: the search options, --max-memory to split, and the compiled worker. */
export interface WorkersSetup {
  readonly bounds: Bounds;
  readonly limits: Limits;
  readonly maxMemoryBytes: number;
  readonly outDir: string;
  readonly workers: number;
  readonly workerFile: string;
}

/**
 * Searches the variants in up to `workers` threads at once, in VARIANTS order (the queue keeps
 * that order, so after an interrupt the variants not begun are the last ones, as in-process).
 */
export async function matrixRowsInWorkers(setup: WorkersSetup, io: Io): Promise<MatrixRow[]> {
  const files = await import("./counterexamples.js");
  const { bounds, outDir, workerFile } = setup;
  const workers = Math.min(setup.workers, VARIANTS.length);
  const rows = new Map<string, MatrixRow>();
  await searchInWorkers(VARIANTS.map((v) => v.id), {
    workerFile,
    workers,
    signal: io.signal,
    jobOf: jobMaker(setup, workers),
    // Plain lines even on a terminal: one redrawn line cannot show several searches at once.
    reporterOf: (id) => progressReporter({ write: (text) => io.stderr.write(text) }, `matrix ${id}`),
    onResult: (id, result) => {
      const variant = findVariant(id);
      if (variant === undefined) throw new Error(`a worker searched an unknown variant ${id}`);
      rows.set(id, variantRow(variant, buildModel(variant, bounds), result, { bounds, outDir, files }));
    },
  });
  return VARIANTS.flatMap((v) => rows.get(v.id) ?? []);
}

/** Each variant's job: the same limits, less `memoryShort` (a function cannot cross threads), and its share of memory. */
function jobMaker(setup: WorkersSetup, workers: number): (variant: string) => WorkerJob {
  const { maxStates, maxDepth, timeoutMs, symmetry, por } = setup.limits;
  const memory = { shareBytes: memoryShare(setup.maxMemoryBytes, workers), maxMemoryBytes: setup.maxMemoryBytes };
  return (variant) => ({ variant, bounds: setup.bounds, limits: { maxStates, maxDepth, timeoutMs, symmetry, por }, memory });
}
