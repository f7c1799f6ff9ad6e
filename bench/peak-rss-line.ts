/** The line peak-rss.ts prints on a check's stderr as it exits, and the bench's reading of it (a module of its own, so that reading it registers no exit hook). */

/** The line's prefix; the number after it is in KiB, as getrusage gives it, then `cpu-us` and the process's CPU time in microseconds. */
export const PEAK_RSS = "bench-peak-rss-kib";

/** The line's numbers: peak KiB, and CPU microseconds when printed. */
function lineOf(stderr: string): RegExpExecArray | null {
  return new RegExp(`^${PEAK_RSS} (\\d+)(?: cpu-us (\\d+))?$`, "m").exec(stderr);
}

/** The peak resident set, in bytes, that peak-rss.ts printed on a check's stderr; undefined if it printed none. */
export function peakRssBytes(stderr: string): number | undefined {
  const m = lineOf(stderr);
  return m === null ? undefined : Number(m[1]) * 1024;
}

/** The CPU seconds (user and system, every thread) that peak-rss.ts printed on a check's stderr; undefined if it printed none. */
export function cpuSeconds(stderr: string): number | undefined {
  const m = lineOf(stderr);
  return m === null || m[2] === undefined ? undefined : Number(m[2]) / 1e6;
}
