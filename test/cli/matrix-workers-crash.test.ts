import { existsSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { VARIANTS } from "../../spec/index.js";
import { daxmc, tempDir } from "./run.js";

/** With two workers the first two variants start at once, and either crash may be reported first. */
const FIRST_TWO = VARIANTS.slice(0, 2).map((v) => v.id.replace(/\./g, "\\.")).join("|");

/** A worker module that throws with a stack in its message, written where the mocked matrixWorkerFile points. */
const crashing = vi.hoisted(() => ({ file: "" }));

vi.mock("../../src/cli/matrix-pool.js", async (importOriginal) => {
  const { mkdtempSync, writeFileSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const path = await import("node:path");
  crashing.file = path.join(mkdtempSync(path.join(tmpdir(), "daxmc-crash-")), "worker.mjs");
  writeFileSync(crashing.file, 'throw new Error("the engine broke\\n    at somewhere (engine.ts:1:1)");\n');
  return { ...(await importOriginal<typeof import("../../src/cli/matrix-pool.js")>()), matrixWorkerFile: () => crashing.file };
});

afterAll(() => rmSync(dirname(crashing.file), { recursive: true, force: true }));

describe("matrix with a worker that crashes", () => {
  it("prints one line, no stack trace, exits 70, and writes no docs", async () => {
    const cwd = tempDir();
    const r = await daxmc(["matrix", "--bounds", "tiny", "--workers", "2"], cwd);
    expect(r.code).toBe(70);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(new RegExp(`^daxmc: internal error: the worker thread searching (${FIRST_TWO}) failed \\(the engine broke\\): please report it with the command line that caused it \\(--workers 1 searches without worker threads\\)\n$`));
    expect(existsSync(join(cwd, "docs"))).toBe(false);
  });

  it("--workers 1 never starts a worker", async () => {
    const r = await daxmc(["matrix", "--bounds", "tiny", "--workers", "1", "--max-states", "100"]);
    expect([r.code, r.stderr]).toEqual([3, ""]);
  });
});
