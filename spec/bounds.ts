/**
 * Bounds: how many files, offsets, physical blocks and processes the model has, and which
 * optional mechanisms (copy-on-write, eviction) are in play. Named presets plus key=value edits.
 */
import { Either, Schema } from "effect";

/** The dimensions and switches of one bounded run. */
export interface Bounds {
  /** Files A, B, ... on one XFS filesystem mounted -o dax; file A starts with data. */
  readonly files: number;
  /** Page offsets per file (each file is this many 4 KiB pages long). */
  readonly offsets: number;
  /** Physical pmem blocks p1, p2, ... (one struct page each). */
  readonly blocks: number;
  /** Processes X, Y, ...; process i starts with file (i mod files) mmapped MAP_SHARED. */
  readonly procs: number;
  /** How many processes (the first ones) asked for early kill (PR_MCE_KILL_EARLY); the rest are late-kill. */
  readonly early: number;
  /** Most get_user_pages pins one page may hold at once (0 turns pins off). */
  readonly pins: number;
  /** How many poison events (memory_failure calls) a run may have. */
  readonly poisons: number;
  /** Whether write faults on shared extents copy-on-write (variants with DAX CoW only): 1 or 0. */
  readonly cow: number;
  /** Whether the last close of an unlinked file (evict) is modelled: 1 or 0. */
  readonly evict: number;
}

/** Hard limits of the state layout (bitmasks are one byte). */
export const LIMITS = {
  files: [1, 4],
  offsets: [1, 2],
  blocks: [1, 8],
  procs: [1, 4],
  early: [0, 4],
  pins: [0, 3],
  poisons: [0, 3],
  cow: [0, 1],
  evict: [0, 1],
} as const satisfies Record<keyof Bounds, readonly [number, number]>;

/** The named presets; `small` is the default. */
export const PRESETS = {
  tiny: { files: 2, offsets: 1, blocks: 2, procs: 2, early: 1, pins: 0, poisons: 1, cow: 0, evict: 0 },
  small: { files: 2, offsets: 1, blocks: 2, procs: 2, early: 1, pins: 1, poisons: 1, cow: 1, evict: 1 },
  full: { files: 2, offsets: 1, blocks: 3, procs: 2, early: 1, pins: 1, poisons: 1, cow: 1, evict: 1 },
} as const satisfies Record<string, Bounds>;

export type PresetName = keyof typeof PRESETS;
export const DEFAULT_PRESET: PresetName = "small";

/** One line per preset, for `daxmc list`. */
export const PRESET_NOTES: Record<PresetName, string> = {
  tiny: "2 files x 1 offset, 2 blocks, 2 processes; no pins, CoW or eviction: the seed's scenarios",
  small: "2 files x 1 offset, 2 blocks, 2 processes; adds DMA pins, CoW and eviction (default)",
  full: "as small with a third block, so allocation and CoW can pick among free blocks (10^7 states)",
};

const keys = Object.keys(LIMITS) as (keyof Bounds)[];

const BoundsSchema = Schema.Struct(
  Object.fromEntries(
    keys.map((k) => [k, Schema.Int.pipe(Schema.between(LIMITS[k][0], LIMITS[k][1]))]),
  ) as unknown as { [K in keyof Bounds]: Schema.Schema<number> },
);

/** Validates a bounds object from any source (CLI, trace file); Left is a one-line reason. */
export function decodeBounds(input: unknown): Either.Either<Bounds, string> {
  const r = Schema.decodeUnknownEither(BoundsSchema, { errors: "first" })(input);
  if (Either.isRight(r)) return checkRelations(r.right);
  const bad = keys.find((k) => {
    const v = (input as Record<string, unknown> | null)?.[k];
    return !(typeof v === "number" && Number.isInteger(v) && v >= LIMITS[k][0] && v <= LIMITS[k][1]);
  });
  return Either.left(
    bad
      ? `bound '${bad}' must be an integer from ${LIMITS[bad][0]} to ${LIMITS[bad][1]}`
      : "bounds are malformed",
  );
}

function checkRelations(b: Bounds): Either.Either<Bounds, string> {
  if (b.early > b.procs) return Either.left(`bound 'early' (${b.early}) cannot exceed 'procs' (${b.procs})`);
  if (b.blocks < b.offsets) return Either.left(`bound 'blocks' (${b.blocks}) must be at least 'offsets' (${b.offsets}): file A starts with data`);
  return Either.right(b);
}

/**
 * Parses `--bounds`: a preset name, `key=value,...` edits of the default preset, or a preset
 * followed by edits (`tiny,blocks=3`). Left is a one-line reason naming the fix.
 */
export function parseBounds(text: string | undefined): Either.Either<Bounds, string> {
  const parts = (text ?? DEFAULT_PRESET).split(",").map((p) => p.trim()).filter((p) => p !== "");
  let base: Bounds = PRESETS[DEFAULT_PRESET];
  const edits: Record<string, number> = {};
  for (const [i, part] of parts.entries()) {
    const eq = part.indexOf("=");
    if (eq < 0) {
      if (part in PRESETS && i !== 0) return Either.left(`preset '${part}' must come first: write '${part},key=value,...'`);
      if (!(part in PRESETS)) {
        return Either.left(`unknown bounds preset '${part}': use one of ${Object.keys(PRESETS).join(", ")}, or key=value pairs`);
      }
      base = PRESETS[part as PresetName];
      continue;
    }
    const key = part.slice(0, eq).trim();
    const raw = part.slice(eq + 1).trim();
    if (!keys.includes(key as keyof Bounds)) {
      return Either.left(`unknown bound '${key}': the keys are ${keys.join(", ")}`);
    }
    if (!/^\d+$/.test(raw)) return Either.left(`bound '${key}=${raw}' is not a whole number`);
    edits[key] = Number(raw);
  }
  return decodeBounds({ ...base, ...edits });
}

/** The name of the preset equal to these bounds, if any. */
export function presetOf(b: Bounds): PresetName | undefined {
  return (Object.keys(PRESETS) as PresetName[]).find((n) => keys.every((k) => PRESETS[n][k] === b[k]));
}

/** `key=value,...` text that parses back to these bounds. */
export function formatBounds(b: Bounds): string {
  return presetOf(b) ?? keys.map((k) => `${k}=${b[k]}`).join(",");
}
