import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ONE_LINE, daxmc, tempDir } from "./run.js";

/** [argv, what the line must say] for bad input that needs no files. */
const CASES: [string[], RegExp][] = [
  [[], /no command given: use one of list, check/],
  [["frobnicate"], /unknown command 'frobnicate': use one of/],
  [["check"], /missing --variant: name the variant/],
  [["check", "--variant", "v9.99"], /unknown variant 'v9.99' \(from --variant\): use one of v4.18/],
  [["check", "--variant", "v4.18", "--invariant", "no_bugs"], /unknown invariant 'no_bugs'.*: use one of no_oops/],
  [["check", "--variant", "v4.18", "--bounds", "huge"], /bad --bounds 'huge': unknown bounds preset 'huge'/],
  [["check", "--variant", "v4.18", "--bounds", "files=lots"], /bad --bounds 'files=lots': bound 'files=lots' is not a whole number/],
  [["check", "--variant", "v4.18", "--bounds", "files=99"], /bound 'files' must be an integer/],
  [["check", "--variant", "v4.18", "--bounds", "colour=3"], /unknown bound 'colour'/],
  [["check", "--variant"], /option '--variant' needs a value/],
  [["check", "--variant", "v4.18", "--frob"], /unknown option '--frob': daxmc check takes --variant VALUE/],
  [["check", "--variant", "v4.18", "stray"], /unexpected argument 'stray'/],
  [["check", "--variant", "v4.18", "--json=yes"], /option '--json' takes no value/],
  [["check", "--variant", "v4.18", "--max-states", "many"], /--max-states 'many' is not valid: give a whole number/],
  [["check", "--variant", "v4.18", "--max-states", "1.5"], /--max-states '1.5' is not valid/],
  [["check", "--variant", "v4.18", "--max-states", "-1"], /--max-states '-1' is not valid: give a whole number of states, 0 or more/],
  [["check", "--variant", "v4.18", "--max-states=-1"], /--max-states '-1' is not valid/],
  [["check", "--variant", "v4.18", "--timeout", "0"], /--timeout '0' is not valid: give a positive number of seconds/],
  [["check", "--variant", "v4.18", "--max-depth", ""], /option '--max-depth' has an empty value/],
  [["matrix", "--bounds", "nope"], /bad --bounds 'nope'/],
  [["matrix", "--variant", "v4.18"], /unknown option '--variant': daxmc matrix takes/],
  [["list", "extra"], /unexpected argument 'extra': daxmc list takes --json/],
  [["replay"], /missing trace file: daxmc replay FILE/],
  [["replay", "a.json", "b.json"], /unexpected argument 'b.json'/],
  [["replay", "no-such-file.itf.json"], /cannot read trace file no-such-file.itf.json \(no such file\): give a .itf.json file/],
];

describe("bad input: one line on stderr, exit 2", () => {
  it.each(CASES)("daxmc %j", async (argv, message) => {
    const r = await daxmc(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(ONE_LINE);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe("");
  });

  it.each<[string, string, RegExp]>([
    ["an empty file", "", /is not a usable daxmc trace \(truncated: the file is empty\)/],
    ["a truncated file", '{"#meta": {"format": "ITF", "source": "dax', /truncated: the JSON ends early/],
    ["a non-JSON file", "counterexample: none", /not-json: not JSON/],
    ["JSON that is not ITF", '{"hello": 1}', /not-itf: no "#meta"/],
    ["another tool's trace", '{"#meta": {"format": "ITF", "source": "quint"}, "vars": [], "states": []}', /foreign: an ITF trace written by "quint", not daxmc/],
    ["a daxmc trace missing fields", '{"#meta": {"format": "ITF", "source": "daxmc"}, "vars": [], "states": []}', /malformed: at #meta\.format-description/],
  ])("replay of %s", async (_what, text, message) => {
    const cwd = tempDir();
    writeFileSync(join(cwd, "t.itf.json"), text);
    const r = await daxmc(["replay", "t.itf.json"], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(ONE_LINE);
    expect(r.stderr).toMatch(message);
  });

  it("replay of a directory", async () => {
    const cwd = tempDir();
    mkdirSync(join(cwd, "d.itf.json"));
    const r = await daxmc(["replay", "d.itf.json"], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(ONE_LINE);
    expect(r.stderr).toMatch(/cannot read trace file d.itf.json \(it is a directory\)/);
  });

  it("check with --out where a file is in the way", async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, "blocked"), "");
    const r = await daxmc(["check", "--variant", "reflink-singular", "--bounds", "tiny", "--invariant", "no_warn_associate", "--out", "blocked"], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(ONE_LINE);
    expect(r.stderr).toMatch(/cannot write counterexamples under .*blocked.* \(a part of the path is not a directory\): give a writable directory with --out DIR/);
  });

  it("takes eight blocks with symmetry when no two processes are alike: the spec sorts blocks, listing no renaming", async () => {
    const cwd = tempDir();
    const r = await daxmc(["check", "--variant", "v4.18", "--bounds", "tiny,blocks=8", "--max-states", "2000", "--brief"], cwd);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/stopped at the state limit/);
  });
});
