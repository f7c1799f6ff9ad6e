/**
 * The bench's answer to bad input: one line and exit 2, never a stack trace. Needs dist/ (npm
 * test builds it); the check it starts refuses its bounds at once, so no search runs.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const bench = fileURLToPath(new URL("../../dist/bench/bench.js", import.meta.url));
const QUIET = ["--bounds", "none", "--matrix", "none", "--ceiling", "none"];

function runBench(args: readonly string[]): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [bench, ...QUIET, ...args], { encoding: "utf8" });
  return { status: r.status, stderr: r.stderr };
}

describe("bench on bad input", () => {
  it("says in one line that check refused the bounds, with check's own fix, and exits 2", () => {
    const r = runBench(["--check", "v6.12,nosuch,100"]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/^bench: bench --check 'v6\.12,nosuch,100': daxmc check refused it: .*nosuch/);
  });

  it("names the form of a section that does not parse, in one line, and exits 2", () => {
    const r = runBench(["--check", "v6.12,small"]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toMatch(/^bench: bench --check 'v6\.12,small': give VARIANT,BOUNDS then 1 to 2 whole numbers/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("reads each of several checks separated by ';', refusing the bad one before any search", () => {
    const r = spawnSync(process.execPath, [bench, ...QUIET, "--check", "v6.12,tiny,10;v6.12,small,x"], { encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/'v6\.12,small,x'/);
    expect(r.stdout).not.toMatch(/states in/);
  });

  it("refuses an option it does not know, in one line, exit 2", () => {
    const r = runBench(["--nosuch"]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toMatch(/^bench: Unknown option '--nosuch'/);
  });
});
