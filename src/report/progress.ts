/** Live progress on a terminal: one line rewritten in place, and nothing at all when the stream is not a TTY. */
import type { Reporter, SearchStats } from "../core/result.js";
import { int } from "./format.js";

/** A stream progress can go to. */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/** A reporter that redraws `label: N states, depth D, queue Q, R states/s` with `\r` on a TTY; undefined when piped. */
export function ttyReporter(stream: ProgressStream, label: string): Reporter | undefined {
  if (stream.isTTY !== true) return undefined;
  const clear = "\r\x1b[K";
  return {
    progress(stats: SearchStats): void {
      stream.write(
        `${clear}${label}: ${int(stats.distinct)} states, depth ${stats.depth}, queue ${int(stats.queue)}, ${int(stats.statesPerSecond)} states/s`,
      );
    },
    done(): void {
      stream.write(clear);
    },
  };
}
