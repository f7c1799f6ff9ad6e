import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { daxmc, tempDir } from "./run.js";

const SAVED = readFileSync(fileURLToPath(new URL("../../counterexamples/reflink-singular/no_warn_associate.itf.json", import.meta.url)), "utf8");

/** An interrupt that has already happened: every search stops at its first look, so any argv runs in milliseconds. */
const stopped = (() => {
  const c = new AbortController();
  c.abort();
  return c.signal;
})();

/** Exit 0-3, and on a failure exactly one `daxmc:` line on stderr, no stack trace, no control characters. */
function wellBehaved(r: { code: number; stderr: string }): void {
  expect([0, 1, 2, 3]).toContain(r.code);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  if (r.code === 2) expect(r.stderr).toMatch(/^daxmc: [^\n]+\n$/);
}

const token = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom(
    "list", "check", "matrix", "replay", "help", "--variant", "v4.18", "v6.12", "toString", "--invariant", "no_oops",
    "--bounds", "tiny", "tiny,early=2", "files=9", "--max-states", "--max-depth", "--timeout", "--max-memory", "4G",
    "-1", "0x10", "1e3", "", "--json", "--brief", "--help", "-h", "--out", "/proc", "/dev/null", "--", "--x=1", "--path-only",
  ),
);

describe("random and mutated input never gets past the CLI as a crash", () => {
  it("random argument lists: exit 0-3, one line on error", async () => {
    const cwd = tempDir();
    await fc.assert(
      fc.asyncProperty(fc.array(token, { maxLength: 7 }), async (argv) => {
        wellBehaved(await daxmc(argv, cwd, false, stopped));
      }),
      { numRuns: 1500, seed: 20261130 },
    );
  });

  it("random and mutated trace files given to replay: exit 0-3, one line on error", async () => {
    const cwd = tempDir();
    const file = join(cwd, "t.itf.json");
    const mutated = fc.tuple(fc.nat(SAVED.length), fc.nat(40), fc.string({ maxLength: 8 })).map(([at, cut, insert]) => SAVED.slice(0, at) + insert + SAVED.slice(at + cut));
    const truncated = fc.nat(SAVED.length).map((n) => SAVED.slice(0, n));
    const contents = fc.oneof(mutated, truncated, fc.string({ maxLength: 200 }), fc.json({ maxDepth: 4 }));
    await fc.assert(
      fc.asyncProperty(contents, async (text) => {
        writeFileSync(file, text);
        wellBehaved(await daxmc(["replay", "t.itf.json"], cwd, false, stopped));
      }),
      { numRuns: 1500, seed: 20261130 },
    );
  });
});
