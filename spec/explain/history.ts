/** Which kernel versions brought and fixed a behaviour, as the variants' expectations tell it. */
import { VARIANTS, type Variant, expectedFor } from "../variants.js";
import { shortKernel } from "./kernel-name.js";

/** The kernel-version variants in release order, with the same rmapbt setting as `v`. */
function timeline(v: Variant): Variant[] {
  const normap = v.id.endsWith("-normap");
  return VARIANTS.filter((x) => (/^v\d/.test(x.id) || x.id.startsWith("upstream")) && x.id.endsWith("-normap") === normap);
}

/** Lines on this variant's expectation and the kernel timeline of `property`. */
export function historyLines(v: Variant, property: string): string[] {
  const own = expectedFor(v, property);
  const lines = [`${v.id} is expected to give ${own.verdict === "violated" ? "VIOLATED" : own.verdict} (${own.kind}): ${own.source}`];
  const line = timeline(v);
  if (line.length < 2) return lines;
  const verdicts = line.map((x) => [x, expectedFor(x, property).verdict] as const);
  lines.push(`timeline: ${verdicts.map(([x, e]) => `${x.id} ${e === "violated" ? "VIOLATED" : e}`).join(", ")}`);
  const first = verdicts.findIndex(([, e]) => e === "violated");
  if (first < 0) return lines;
  const fixed = verdicts.findIndex(([, e], i) => i > first && e !== "violated");
  const name = (x: Variant): string => `${x.id} (${shortKernel(x)})`;
  lines.push(`first violated in ${name(verdicts[first][0])}${fixed < 0 ? "; not fixed in any later variant" : `; holds again from ${name(verdicts[fixed][0])}`}`);
  return lines;
}
