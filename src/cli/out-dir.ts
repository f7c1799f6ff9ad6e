/**
 * Where counterexamples go, checked before a search spends time on it: at the default bounds
 * `<out>/<variant>/<invariant>.itf.json` (where docs/verdicts.md links), at any other bounds
 * `<out>/bounds-<bounds>/<variant>/<invariant>.itf.json`, so a run at other bounds never
 * replaces a file written at the default ones. Light on purpose: it loads no Schema.
 */
import { rmSync, writeFileSync } from "node:fs";
import { isAbsolute, join, relative } from "node:path";
import * as Either from "effect/Either";
import { ensureDirectory, removeLeftovers } from "../trace/atomic.js";
import { type CliError, cliError } from "./errors.js";
import { safeText } from "./safe-text.js";
import { type Bounds, boundsLabel, isDefaultBounds } from "./wiring.js";

/** Where the counterexample of `name` in `variant` at `bounds` is written. */
export function traceFile(outDir: string, variant: string, name: string, bounds: Bounds): string {
  return join(boundsDir(outDir, bounds), variant, `${name}.itf.json`);
}

/** The folder of one bounds' counterexamples: `outDir` itself at the default bounds, else `outDir/bounds-<label>`. */
export function boundsDir(outDir: string, bounds: Bounds): string {
  return isDefaultBounds(bounds) ? outDir : join(outDir, `bounds-${boundsLabel(bounds)}`);
}

/**
 * Makes sure counterexamples can be written under `outDir` before a search spends time:
 * creates it (and the bounds folder), removes leftovers of killed runs, and writes and removes
 * a probe file there.
 */
export function prepareOutDir(outDir: string, bounds: Bounds): Either.Either<void, CliError> {
  const dir = boundsDir(outDir, bounds);
  try {
    probeDirectory(dir);
    return Either.right(undefined);
  } catch (e) {
    return Either.left(cliError(
      "unwritable-output",
      `cannot write counterexamples under ${safeText(dir)} (${reasonOf(e)})`,
      "give a writable directory with --out DIR",
    ));
  }
}

/** Creates `dir`, removes leftovers of killed runs, and writes and removes a probe file there; throws when it cannot be written. */
export function probeDirectory(dir: string): void {
  // Named like writeFileAtomic's temporaries, so a probe left by a killed run is removed as they are.
  const probe = join(dir, `.daxmc-probe.${process.pid}.probe.tmp`);
  ensureDirectory(dir);
  removeLeftovers(dir);
  writeFileSync(probe, "");
  rmSync(probe, { force: true });
}

/** A file-system error as a short phrase. */
export function reasonOf(e: unknown): string {
  const code = (e as { code?: unknown }).code;
  if (code === "ENOTDIR") return "a part of the path is not a directory";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "EROFS") return "read-only file system";
  if (code === "ENOENT") return "the directory cannot be created there";
  if (code === "ENOSPC") return "no space left on the device";
  return typeof code === "string" ? code : safeText(e instanceof Error ? e.message.split("\n")[0] : String(e), 80);
}

/** `file` relative to `cwd` when it lies below it, else absolute: how paths are shown (control characters escaped). */
export function shown(cwd: string, file: string): string {
  const rel = relative(cwd, file);
  return safeText(rel !== "" && !rel.startsWith("..") && !isAbsolute(rel) ? rel : file, 400);
}
