/** `check` with sleep sets (the default) and with --no-por: the same report and the same counterexample files, but for what the statistics say was not computed. */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { daxmc, tempDir } from "./run.js";

/** `check` of v4.19.0 at tiny in one thread, with `extra` options: its stdout and its counterexample files. */
async function check(extra: readonly string[]): Promise<{ code: number; stdout: string; files: Map<string, string> }> {
  const cwd = tempDir();
  const run = await daxmc(["check", "--variant", "v4.19.0", "--bounds", "tiny", "--workers", "1", ...extra], cwd);
  const dir = join(cwd, "counterexamples", "bounds-tiny", "v4.19.0");
  const names = readdirSync(dir).sort();
  return { code: run.code, stdout: run.stdout, files: new Map(names.map((n) => [n, readFileSync(join(dir, n), "utf8")])) };
}

/** The report without its times and rates and the statistics line's note on what sleep sets skipped. */
const comparable = (text: string): string =>
  text
    .replace(/ \([\d,]+, [\d.]+%, not computed: sleep sets[^)]*\)/, "")
    .replace(/^ {2}time .*$/m, "")
    .replace(/visited set .*$/m, "");

describe("check --no-por", () => {
  it("reports and saves what the default reports and saves; only the default says what sleep sets did not compute", async () => {
    const reduced = await check([]);
    const plain = await check(["--no-por"]);
    expect(reduced.code).toBe(1);
    expect(plain.code).toBe(reduced.code);
    expect(reduced.stdout).toMatch(/, 282,720 generated \(74,804, 26\.5%, not computed: sleep sets, reached in another order; --no-por computes them\), depth/);
    expect(plain.stdout).toMatch(/, 282,720 generated, depth/);
    expect(comparable(reduced.stdout)).toBe(comparable(plain.stdout));
    expect(reduced.files.size).toBeGreaterThan(0);
    expect(reduced.files).toEqual(plain.files);
  });
});
