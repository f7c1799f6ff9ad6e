/**
 * `npm run bench`: for each variant at a bounds preset (default `small`), explores the whole state
 * space in a fresh child process and prints distinct states, states per second and bytes per
 * stored state, both as the visited set's own size and as the peak growth of resident memory.
 * Figures are measured here and printed, never asserted: targets are judged by a person.
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { search } from "../src/engine/index.js";
import { VARIANTS, buildModel, findVariant, parseBounds } from "../spec/index.js";

interface Row {
  variant: string;
  distinct: number;
  generated: number;
  seconds: number;
  statesPerSecond: number;
  visitedBytesPerState: number;
  peakRssBytesPerState: number;
}

/** Runs one variant in this process and returns its row. */
function measure(variantId: string, boundsText: string): Row {
  const bounds = parseBounds(boundsText);
  const variant = findVariant(variantId);
  if (bounds._tag === "Left" || variant === undefined) throw new Error(`bad variant or bounds: ${variantId} ${boundsText}`);
  const model = buildModel(variant, bounds.right);
  (globalThis as { gc?: () => void }).gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sample = (): void => {
    peak = Math.max(peak, process.memoryUsage().rss);
  };
  const r = search(model, { stopWhenDecided: false, reporter: { progress: sample, done: sample } });
  sample();
  const n = r.stats.distinct;
  return {
    variant: variantId,
    distinct: n,
    generated: r.stats.generated,
    seconds: r.stats.elapsedMs / 1000,
    statesPerSecond: r.stats.statesPerSecond,
    visitedBytesPerState: r.stats.visitedBytes / n,
    peakRssBytesPerState: (peak - baseline) / n,
  };
}

function main(): void {
  const [mode, variantId, boundsText] = process.argv.slice(2);
  if (mode === "--one") {
    process.stdout.write(JSON.stringify(measure(variantId, boundsText)));
    return;
  }
  const bounds = mode ?? "small";
  const self = fileURLToPath(import.meta.url);
  console.log(`daxmc bench: bounds ${bounds}, one variant per fresh process (node ${process.version})`);
  console.log("variant            distinct   generated   seconds   states/s   visited B/state   peak RSS B/state");
  for (const v of VARIANTS) {
    const out = execFileSync(process.execPath, ["--expose-gc", self, "--one", v.id, bounds], { encoding: "utf8" });
    const r = JSON.parse(out) as Row;
    console.log(
      `${r.variant.padEnd(17)} ${String(r.distinct).padStart(9)} ${String(r.generated).padStart(11)} ${r.seconds.toFixed(2).padStart(9)} ${Math.round(r.statesPerSecond).toString().padStart(10)} ${r.visitedBytesPerState.toFixed(1).padStart(17)} ${r.peakRssBytesPerState.toFixed(1).padStart(18)}`,
    );
  }
}

main();
