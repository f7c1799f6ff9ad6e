/** The line peak-rss.ts prints on a check's stderr as it exits, and the bench's reading of it (a module of its own, so that reading it registers no exit hook). */

/** The line's prefix; the number after it is in KiB, as getrusage gives it. */
export const PEAK_RSS = "bench-peak-rss-kib";

/** The peak resident set, in bytes, that peak-rss.ts printed on a check's stderr; undefined if it printed none. */
export function peakRssBytes(stderr: string): number | undefined {
  const m = new RegExp(`^${PEAK_RSS} (\\d+)$`, "m").exec(stderr);
  return m === null ? undefined : Number(m[1]) * 1024;
}
