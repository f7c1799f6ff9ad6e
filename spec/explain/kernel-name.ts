/** A variant's kernel in a few words, for one-line summaries: the `kernel` field up to its first parenthesis, colon or plus. */
import type { Variant } from "../variants.js";

/** "Linux 6.12", "Linux 4.18 fs/dax.c", "mainline as of Linux 7.3.4". */
export function shortKernel(v: Variant): string {
  const cut = v.kernel.search(/ \(| \+|:|,/);
  return (cut < 0 ? v.kernel : v.kernel.slice(0, cut)).trim();
}
