/**
 * `--max-memory SIZE`, and the address-space limit (`ulimit -v`) when one is set: a search stops
 * "memory", keeping what it found, before either is reached, because past them V8 aborts the
 * process with nothing saved.
 *
 * With `matrix --workers N`, N searches share one process, and in a worker thread
 * `process.memoryUsage().rss` is the whole process's. So each worker gets a share,
 * (SIZE - the resident set before the workers start) / N, counted as its own V8 heap and
 * buffers (heapTotal + external, which Node reports per thread), and every worker also stops
 * when the whole process's resident set would pass SIZE, so the process never does.
 */
import { readFileSync } from "node:fs";
import { totalmem } from "node:os";
import * as Either from "effect/Either";
import { type CliError, cliError } from "./errors.js";
import { safeText } from "./safe-text.js";

/** The default cap: 80% of the machine's memory, so a search stops and reports before the system's OOM killer ends it unreported. */
export function defaultMaxMemory(): number {
  return Math.floor(totalmem() * 0.8);
}

const UNITS: Readonly<Record<string, number>> = { "": 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 };
/** The smallest cap accepted: below it the engine's own buffers would not fit. */
const MIN_BYTES = 64 * 2 ** 20;
/** Address space kept free under `ulimit -v` for what comes after the stop: garbage collection, replays, writing traces. */
const ADDRESS_SPACE_MARGIN = 32 * 2 ** 20;

/** Bytes from `512M`, `4G`, `1.5G`, `2048K` or a plain number of bytes (default: `defaultMaxMemory()`). */
export function parseMaxMemory(text: string | undefined): Either.Either<number, CliError> {
  if (text === undefined) return Either.right(defaultMaxMemory());
  const m = /^([0-9]{1,9}(?:\.[0-9]{1,3})?)([KMGT]?)(?:i?B)?$/i.exec(text);
  const bytes = m === null ? NaN : Number(m[1]) * (UNITS[m[2].toUpperCase()] ?? NaN);
  if (!(bytes >= MIN_BYTES)) {
    return Either.left(cliError(
      "bad-number",
      `--max-memory '${safeText(text, 80)}' is not valid`,
      "give a size of at least 64M, with a unit K, M, G or T, e.g. --max-memory 4G",
    ));
  }
  return Either.right(Math.floor(bytes));
}

/** How long a reading of the resident set is used for: a search grows by well under a megabyte in that time. */
const RSS_FRESH_MS = 25;

/**
 * Whether memory is short, given `reserveBytes` the search may soon allocate at once: the
 * resident set would pass `maxMemory`, or (under `ulimit -v`) the virtual size would come
 * within ADDRESS_SPACE_MARGIN of the limit.
 */
export function memoryShort(maxMemory: number, addressSpace = addressSpaceLimit()): (reserveBytes: number) => boolean {
  let rss = 0;
  let readAt = -Infinity;
  return (reserveBytes) => {
    // Reading the resident set costs 9 us at 50 MiB and 21 us at 400 MiB here, growing with it; a search asks every 1024 states.
    const now = performance.now();
    if (now - readAt >= RSS_FRESH_MS) {
      rss = process.memoryUsage.rss();
      readAt = now;
    }
    if (rss + reserveBytes > maxMemory) return true;
    if (addressSpace === undefined) return false;
    const size = virtualSize();
    return size !== undefined && size + reserveBytes + ADDRESS_SPACE_MARGIN > addressSpace;
  };
}

/**
 * For a search in a worker thread: short when its own heap and buffers plus `reserveBytes` would
 * pass `shareBytes` (its part of `maxMemory`), or when `memoryShort(maxMemory)` says the whole
 * process is short.
 */
export function workerMemoryShort(shareBytes: number, maxMemory: number, addressSpace = addressSpaceLimit()): (reserveBytes: number) => boolean {
  const whole = memoryShort(maxMemory, addressSpace);
  return (reserveBytes) => threadBytes() + reserveBytes > shareBytes || whole(reserveBytes);
}

/** Each of `workers` searches' share of `maxMemory`: what the process does not already use, split evenly. */
export function memoryShare(maxMemory: number, workers: number): number {
  return Math.floor((maxMemory - process.memoryUsage.rss()) / workers);
}

/** The bytes this thread holds: its V8 heap and the buffers it allocated (the visited set, the frontier). */
export function threadBytes(): number {
  const m = process.memoryUsage();
  return m.heapTotal + m.external;
}

/** Address space one worker thread of `check` may add when it starts: about 350 MiB for the first, 95 MiB for each next (see CODE_RANGE_MB), rounded up. */
const WORKER_ADDRESS_SPACE = 384 * 2 ** 20;

/**
 * How many of `workers` threads may start under `ulimit -v` (all, without a limit): each takes
 * WORKER_ADDRESS_SPACE, and as much again is left for the search, because V8 aborts the whole
 * process when a thread cannot reserve its memory.
 */
export function workersThatFit(workers: number, addressSpace = addressSpaceLimit()): number {
  if (addressSpace === undefined) return workers;
  const free = addressSpace - (virtualSize() ?? 0) - ADDRESS_SPACE_MARGIN;
  return Math.max(0, Math.min(workers, Math.floor(free / WORKER_ADDRESS_SPACE) - 1));
}

/** The soft address-space limit (`ulimit -v`) in bytes, from /proc/self/limits; undefined when unlimited or unknown. */
export function addressSpaceLimit(): number | undefined {
  const line = procText("/proc/self/limits")?.split("\n").find((l) => l.startsWith("Max address space"));
  const soft = line === undefined ? undefined : /^Max address space\s+(\d+)/.exec(line)?.[1];
  return soft === undefined ? undefined : Number(soft);
}

/** This process's virtual size in bytes, from /proc/self/status (what `ulimit -v` limits). */
function virtualSize(): number | undefined {
  const kb = /^VmSize:\s+(\d+) kB/m.exec(procText("/proc/self/status") ?? "")?.[1];
  return kb === undefined ? undefined : Number(kb) * 1024;
}

function procText(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}
