import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ONE_LINE, type Run, daxmc, tempDir } from "./run.js";

interface JsonVerdict {
  readonly invariant: string;
  readonly verdict: string;
  readonly steps?: number;
  readonly path?: readonly string[];
  readonly foundSteps?: number;
}

/** `check --variant V --bounds tiny --strategy S` in a fresh folder, with its JSON document and the counterexamples it wrote. */
async function checkTiny(variant: string, strategy: string, json: boolean): Promise<{ run: Run; files: Map<string, string> }> {
  const cwd = tempDir();
  const run = await daxmc(["check", "--variant", variant, "--bounds", "tiny", "--strategy", strategy, ...(json ? ["--json"] : [])], cwd);
  const dir = join(cwd, "counterexamples", "bounds-tiny", variant);
  const names = existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith(".itf.json")).sort() : [];
  return { run, files: new Map(names.map((n) => [n, readFileSync(join(dir, n), "utf8")])) };
}

/** The verdicts of a text report as `invariant verdict [steps]`, as `jsonVerdicts` gives them from a JSON one. */
const textVerdicts = (text: string): string[] =>
  [...text.matchAll(/^ {2}([a-z_]+) +(holds but vacuous|holds|VIOLATED in (\d+) steps?|undecided)/gm)].map((m) =>
    [m[1], m[2].startsWith("VIOLATED") ? `violated ${m[3]}` : m[2] === "holds but vacuous" ? "vacuous" : m[2]].join(" "),
  );
const jsonVerdicts = (verdicts: readonly JsonVerdict[]): string[] =>
  verdicts.map((v) => [v.invariant, v.verdict === "violated" ? `violated ${v.steps}` : v.verdict].join(" "));

describe("check --strategy dfs gives breadth-first search's verdicts and shortest counterexamples", () => {
  const runs = new Map<string, Awaited<ReturnType<typeof checkTiny>>>();
  beforeAll(async () => {
    for (const variant of ["v6.12", "v4.18"]) {
      runs.set(`${variant} bfs`, await checkTiny(variant, "bfs", true));
      runs.set(`${variant} dfs`, await checkTiny(variant, "dfs", variant === "v4.18"));
    }
  }, 120_000);
  const doc = (key: string) => JSON.parse(runs.get(key)?.run.stdout ?? "");

  it("v4.18: the same verdicts, distinct states and status; both complete", () => {
    const bfs = doc("v4.18 bfs");
    const dfs = doc("v4.18 dfs");
    expect([bfs.strategy, dfs.strategy]).toEqual(["bfs", "dfs"]);
    expect(dfs.verdicts).toEqual(bfs.verdicts);
    expect(bfs.verdicts.length).toBe(17);
    expect(dfs.status).toBe("complete");
    expect(dfs.stats.distinct).toBe(bfs.stats.distinct);
    expect(dfs.stats.generated).toBe(bfs.stats.generated);
    expect(bfs.stats.distinct).toBeGreaterThan(10_000);
    // Depth-first goes far deeper, with a far smaller frontier.
    expect(dfs.stats.depth).toBeGreaterThan(bfs.stats.depth);
    expect(dfs.stats.queuePeak).toBeLessThan(bfs.stats.queuePeak);
    expect(runs.get("v4.18 dfs")?.run.code).toBe(runs.get("v4.18 bfs")?.run.code);
  });

  it("v6.12: the same verdict lines, distinct count and exit code; every counterexample shortened to breadth-first's length", () => {
    const bfs = doc("v6.12 bfs");
    const dfsRun = runs.get("v6.12 dfs")?.run as Run;
    expect(textVerdicts(dfsRun.stdout)).toEqual(jsonVerdicts(bfs.verdicts));
    expect(textVerdicts(dfsRun.stdout)).toHaveLength(17);
    expect(dfsRun.code).toBe(1);
    expect(dfsRun.stdout).toMatch(/^daxmc \S+: check v6\.12 at bounds tiny \(.*\), depth-first$/m);
    const distinct = /^ {2}states +([\d,]+) distinct/m.exec(dfsRun.stdout)?.[1]?.replaceAll(",", "");
    expect(Number(distinct)).toBe(bfs.stats.distinct);
    const violated: JsonVerdict[] = bfs.verdicts.filter((v: JsonVerdict) => v.verdict === "violated");
    expect(violated.length).toBeGreaterThanOrEqual(2);
    const told = [...dfsRun.stdout.matchAll(/^counterexample: (\S+), (\d+) steps?: .*\n {2}depth-first search found it at length (\d+); breadth-first search to depth \3 shortened it to length (\d+)$/gm)];
    expect(told.map((m) => [m[1], Number(m[2])])).toEqual(violated.map((v) => [v.invariant, v.steps]));
    for (const m of told) {
      expect(Number(m[4])).toBe(Number(m[2]));
      expect(Number(m[3])).toBeGreaterThanOrEqual(Number(m[4]));
    }
    expect(told.some((m) => Number(m[3]) > Number(m[4]))).toBe(true);
  });

  it("writes byte for byte the counterexample files breadth-first search writes", () => {
    for (const variant of ["v6.12", "v4.18"]) {
      expect(runs.get(`${variant} dfs`)?.files).toEqual(runs.get(`${variant} bfs`)?.files);
    }
    expect(runs.get("v6.12 dfs")?.files.size).toBeGreaterThanOrEqual(2);
  });

  it("an unknown --strategy is one line of bad input, exit 2, before any search", async () => {
    const r = await daxmc(["check", "--variant", "v6.12", "--strategy", "random"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(ONE_LINE);
    expect(r.stderr).toBe("daxmc: unknown --strategy 'random': use --strategy bfs (breadth-first, the default) or --strategy dfs (depth-first)\n");
    expect(r.stdout).toBe("");
  });
});
