/**
 * Preloaded (`node --import`) into each `daxmc check` the bench's `--check` runs: prints the
 * whole process's peak resident set and CPU time, worker threads included, on stderr as it exits,
 * where the bench reads them (the report has no such fields: a search never reads its own peak,
 * and the CPU time shows how much more work two workers do than one thread).
 */
import { writeSync } from "node:fs";
import { isMainThread } from "node:worker_threads";
import { PEAK_RSS } from "./peak-rss-line.js";

// Worker threads load the preload too: only the main thread's exit, the process's, gives the peak.
if (isMainThread) {
  process.on("exit", () => {
    const usage = process.resourceUsage();
    writeSync(2, `\n${PEAK_RSS} ${usage.maxRSS} cpu-us ${usage.userCPUTime + usage.systemCPUTime}\n`);
  });
}
