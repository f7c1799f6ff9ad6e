/**
 * Preloaded (`node --import`) into each `daxmc check` the bench's `--check` runs: prints the
 * whole process's peak resident set, worker threads included, on stderr as it exits, where the
 * bench reads it (the report has no such field: a search never reads its own peak).
 */
import { writeSync } from "node:fs";
import { isMainThread } from "node:worker_threads";
import { PEAK_RSS } from "./peak-rss-line.js";

// Worker threads load the preload too: only the main thread's exit, the process's, gives the peak.
if (isMainThread) {
  process.on("exit", () => {
    writeSync(2, `\n${PEAK_RSS} ${process.resourceUsage().maxRSS}\n`);
  });
}
