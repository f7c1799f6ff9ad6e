/** daxmc's version and folder, found from the package.json above this module (src/cli or dist/src/cli). */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let cachedRoot: string | null | undefined;

/** The folder of the daxmc package (its package.json), or undefined if it cannot be found. */
export function packageRoot(): string | undefined {
  if (cachedRoot !== undefined) return cachedRoot ?? undefined;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = join(dir, "package.json");
    if (existsSync(file) && (JSON.parse(readFileSync(file, "utf8")) as { name?: unknown }).name === "daxmc") return (cachedRoot = dir);
    const up = dirname(dir);
    if (up === dir) {
      cachedRoot = null;
      return undefined;
    }
    dir = up;
  }
}

/** `dist/<path>` of the package: the compiled form a worker thread runs (also under vitest, after a build), or undefined without one. */
export function compiledFile(path: string): string | undefined {
  const root = packageRoot();
  const file = root === undefined ? undefined : join(root, "dist", path);
  return file !== undefined && existsSync(file) ? file : undefined;
}

/** The version string of the daxmc package ("0.0.0" if its package.json cannot be found). */
export function version(): string {
  const root = packageRoot();
  if (root === undefined) return "0.0.0";
  const v = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version?: unknown }).version;
  return typeof v === "string" ? v : "0.0.0";
}

/** "daxmc <version>", as written into trace files and reports. */
export function toolName(): string {
  return `daxmc ${version()}`;
}
