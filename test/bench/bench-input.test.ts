/**
 * The bench's answer to bad input: one line and exit 2, never a stack trace. Needs dist/ (npm
 * test builds it); the check it starts refuses its arguments at once, so no search runs.
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
  it("says in one line that check refused what the spec accepts, with check's own fix, and exits 2", () => {
    // A whole number the bench reads, but more digits than check's --max-states takes.
    const r = runBench(["--check", "v6.12,tiny,100000000000000000000"]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/^bench: bench --check 'v6\.12,tiny,100000000000000000000': daxmc check refused it: daxmc: --max-states '100000000000000000000' is not valid: give at most 15 digits/);
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

  it("refuses, before any search, a variant or bounds no section can use, in any section", () => {
    const cases: [string[], RegExp][] = [
      [["--variants", "v6.12,nosuch"], /^bench: bench --variants: no variant 'nosuch'; daxmc list names them$/],
      [["--bounds", "tiny;nosuch"], /^bench: bench --bounds 'nosuch': .*nosuch/],
      [["--bounds", "none", "--matrix", "blocks=x"], /^bench: bench --matrix 'blocks=x': /],
      [["--bounds", "none", "--matrix", "none", "--check", "none", "--ceiling", "nosuch,small,10"], /^bench: bench --ceiling: no variant 'nosuch'/],
      [["--bounds", "none", "--matrix", "none", "--check", "none", "--ceiling", "none", "--por", "v6.12,small,10;v6.12,huge,10"], /^bench: bench --por 'huge': /],
      [["--bounds", "none", "--matrix", "none", "--check", "none", "--ceiling", "none", "--sleep", "v6.12,tiny,x=1"], /^bench: bench --sleep 'tiny,x=1': /],
      [["--bounds", "tiny", "--baseline", "no-such-commit"], /^bench: bench --baseline 'no-such-commit': git cannot check it out .*; give a commit of this repository/],
    ];
    for (const [args, message] of cases) {
      const r = spawnSync(process.execPath, [bench, ...args], { encoding: "utf8" });
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stderr.trim().split("\n"), args.join(" ")).toHaveLength(1);
      expect(r.stderr.trim(), args.join(" ")).toMatch(message);
      expect(r.stdout, args.join(" ")).not.toMatch(/states/);
    }
  });

  it("refuses an option it does not know, in one line, exit 2", () => {
    const r = runBench(["--nosuch"]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toMatch(/^bench: Unknown option '--nosuch'/);
  });
});
