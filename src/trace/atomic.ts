/** Writing files so that a reader never sees half of one, and nothing is left behind by a killed writer. */
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, parse, resolve } from "node:path";

/** What a temporary file is named: `.<target>.<pid>.<random>.tmp`, beside its target. */
const TEMP_NAME = /^\..+\.(\d+)\.[a-z0-9]+\.tmp$/;

/** Writes `text` (or bytes) to `path` atomically: a temporary file in the same directory, then a rename. Creates the directory. */
export function writeFileAtomic(path: string, text: string | Uint8Array, mode = 0o644): void {
  const dir = dirname(path);
  ensureDirectory(dir);
  removeLeftovers(dir);
  const temp = join(dir, `.${basename(path)}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`);
  try {
    writeFileSync(temp, text, { mode });
    renameSync(temp, path);
  } catch (e) {
    rmSync(temp, { force: true });
    throw e;
  }
}

/**
 * Creates `dir` and its missing parents one at a time, and throws (ENOTDIR, EACCES, ...) when a
 * part is not a directory or cannot be made. Node's recursive mkdir is not used: on /proc it
 * retries for ever.
 */
export function ensureDirectory(dir: string): void {
  const full = resolve(dir);
  const { root } = parse(full);
  let at = root;
  for (const part of full.slice(root.length).split(/[\\/]/).filter((p) => p !== "")) {
    at = join(at, part);
    let isDir: boolean;
    try {
      isDir = statSync(at).isDirectory();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
      mkdirSync(at);
      continue;
    }
    if (!isDir) throw Object.assign(new Error(`${at} is not a directory`), { code: "ENOTDIR" });
  }
}

/** Removes temporary files in `dir` left by writers that were killed between write and rename (their process is gone). */
export function removeLeftovers(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const pid = TEMP_NAME.exec(name)?.[1];
    if (pid === undefined || processAlive(Number(pid))) continue;
    rmSync(join(dir, name), { force: true });
    removed.push(name);
  }
  return removed;
}

/** Whether a process with this id exists (a signal 0 probe); our own pid counts as alive. */
function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
