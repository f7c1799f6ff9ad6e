/**
 * Live progress: on a terminal one line redrawn in place; elsewhere (a log, CI) a plain line
 * every few seconds, as TLC and SPIN print, so a long run shows it is alive and how fast it goes.
 */
import type { Reporter, SearchStats } from "../core/result.js";
import { int } from "./format.js";

/** A stream progress can go to. */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/** Milliseconds between two plain progress lines when the stream is not a terminal. */
export const LINE_EVERY_MS = 5000;

/** `label: N states, R states/s, queue Q, depth D, elapsed T`. */
export function progressText(label: string, stats: SearchStats): string {
  return `${label}: ${int(stats.distinct)} states, ${int(stats.statesPerSecond)} states/s, queue ${int(stats.queue)}, depth ${stats.depth}, elapsed ${elapsed(stats.elapsedMs)}`;
}

/** Elapsed time as `42 s` or `3 min 07 s`. */
export function elapsed(ms: number): string {
  const s = Math.floor(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
}

/** A reporter for `stream`: a redrawn line on a TTY, otherwise a line every LINE_EVERY_MS. */
export function progressReporter(stream: ProgressStream, label: string, lineEveryMs = LINE_EVERY_MS): Reporter {
  if (stream.isTTY === true) {
    const clear = "\r\x1b[K";
    return {
      progress: (stats) => void stream.write(`${clear}${progressText(label, stats)}`),
      done: () => void stream.write(clear),
    };
  }
  let next = lineEveryMs;
  return {
    progress(stats: SearchStats): void {
      if (stats.elapsedMs < next) return;
      next = stats.elapsedMs + lineEveryMs;
      stream.write(`${progressText(label, stats)}\n`);
    },
  };
}
