#!/usr/bin/env node
// The daxmc command: runs the compiled CLI in dist/, first rebuilding it when it is missing or
// older than a source file (a fresh clone installed with --ignore-scripts, a pull, an edit), so
// it never runs a stale build and never shows a stack trace.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const SOURCES = ["src", "spec"];

/** One line on stderr and exit 70: the installation, not the input, is at fault. */
function fail(what, fix) {
  process.stderr.write(`daxmc: ${what}: ${fix}\n`);
  process.exit(70);
}

/** The .ts files under `dir`, recursively. */
function* sources(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(path);
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) yield path;
  }
}

/** Why dist/ must be rebuilt (the first source missing from it or newer than its output), or undefined. */
function staleReason() {
  for (const top of SOURCES) {
    for (const ts of sources(join(root, top))) {
      const rel = relative(root, ts);
      const js = join(root, "dist", rel.replace(/\.ts$/, ".js"));
      if (!existsSync(js)) return `dist/ has no build of ${rel}`;
      if (statSync(ts).mtimeMs > statSync(js).mtimeMs) return `${rel} changed since the last build`;
    }
  }
  return undefined;
}

/** Rebuilds dist/ with the project's TypeScript, or explains in one line why it cannot. */
function rebuild(reason) {
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
  if (!existsSync(tsc)) fail(`the build in dist/ is missing or stale (${reason}) and TypeScript is not installed`, "run npm ci in the daxmc folder");
  process.stderr.write(`daxmc: building dist/ first (${reason})\n`);
  const r = spawnSync(process.execPath, [tsc, "-p", join(root, "tsconfig.json")], { cwd: root, encoding: "utf8" });
  if (r.status !== 0) {
    const first = `${r.stdout ?? ""}${r.stderr ?? ""}`.split("\n").find((l) => l.trim() !== "") ?? "no output";
    fail(`the build failed (${first.trim().slice(0, 200)})`, "fix the error, or run npm run build to see them all");
  }
}

try {
  const reason = staleReason();
  if (reason !== undefined) rebuild(reason);
} catch (e) {
  fail(`cannot check the build in dist/ (${e instanceof Error ? e.message.split("\n")[0] : String(e)})`, "run npm run build in the daxmc folder");
}

let cli;
try {
  cli = await import(pathToFileURL(join(root, "dist", "src", "cli", "main.js")).href);
} catch (e) {
  fail(`cannot load dist/src/cli/main.js (${e instanceof Error ? e.message.split("\n")[0] : String(e)})`, "run npm run build in the daxmc folder");
}
await cli.run();
