/**
 * Freeing a large buffer as soon as it is dropped. A shared search grows its table into a new
 * SharedArrayBuffer, and the old one is freed only once every thread that held it has run a
 * full garbage collection: the main thread and the workers allocate little that lives long, so
 * that can take minutes. Without this, a two-worker search of v6.12 at `full` peaked at 2.45 GiB
 * resident, the tables it grew out of still held; with it, 1.69 GiB.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/** A dropped buffer this large is freed at once; a smaller one waits for the next collection, as a full one costs milliseconds. */
export const RELEASE_BYTES = 16 * 2 ** 20;

let gc: (() => void) | undefined;

/** Runs a full garbage collection in this thread, when `bytes` (what it no longer references) are worth one. */
export function releaseDropped(bytes: number): boolean {
  if (bytes < RELEASE_BYTES) return false;
  gc ??= exposedGc();
  gc();
  return true;
}

/** V8's own `gc`: the global one under `node --expose-gc`, else one from a new context once the flag is set (as the expose-gc package does). */
function exposedGc(): () => void {
  const global = (globalThis as { gc?: unknown }).gc;
  if (typeof global === "function") return global as () => void;
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
}
