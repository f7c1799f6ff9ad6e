/** daxmc's version, read from the package.json above this module (src/cli or dist/src/cli). */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let cached: string | undefined;

/** The version string of the daxmc package ("0.0.0" if its package.json cannot be found). */
export function version(): string {
  if (cached !== undefined) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = join(dir, "package.json");
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, "utf8")) as { name?: unknown; version?: unknown };
      if (pkg.name === "daxmc" && typeof pkg.version === "string") return (cached = pkg.version);
    }
    const up = dirname(dir);
    if (up === dir) return (cached = "0.0.0");
    dir = up;
  }
}

/** "daxmc <version>", as written into trace files and reports. */
export function toolName(): string {
  return `daxmc ${version()}`;
}
