import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ONE_LINE, type Run, daxmc, tempDir } from "./run.js";

/**
 * Two variants of the thirteen, for the time budget: each shard of this model explores nearly
 * the whole space (its states reconverge below the roots), so a variant costs four full runs.
 * Between them: a violation in 2 steps (v4.19.0) and a deadlock (v6.12); the refusals below run
 * v4.18 and whole-mapping.
 */
const VARIANTS = ["v4.19.0", "v6.12"] as const;
const SHARDS = 3;
const PREFIX = 3;

interface Split {
  readonly check: Run;
  readonly shards: readonly Run[];
  readonly merge: Run;
  readonly cwd: string;
}

/** One unsharded check, three shards and their merge, each with --json, in a fresh folder. */
async function split(variant: string): Promise<Split> {
  const cwd = tempDir();
  const check = await daxmc(["check", "--variant", variant, "--bounds", "tiny", "--json", "--out", "whole"], cwd);
  const shards: Run[] = [];
  for (let i = 1; i <= SHARDS; i++) {
    const args = ["--shard", `${i}/${SHARDS}`, "--prefix-depth", String(PREFIX), "--shard-out", `out/shard-${i}.json`];
    shards.push(await daxmc(["check", "--variant", variant, "--bounds", "tiny", ...args, "--json"], cwd));
  }
  const files = Array.from({ length: SHARDS }, (_, i) => `out/shard-${i + 1}.json`);
  const merge = await daxmc(["merge", ...files, "--json", "--out", "merged"], cwd);
  return { check, shards, merge, cwd };
}

/** Invariant, verdict and length of each verdict of a check or merge document. */
const verdicts = (doc: { verdicts: { invariant: string; verdict: string; steps?: number }[] }): string[] =>
  doc.verdicts.map((v) => `${v.invariant} ${v.verdict}${v.steps === undefined ? "" : ` ${v.steps}`}`);

describe("check --shard I/3 --prefix-depth 3, then merge, against one unsharded check at tiny", () => {
  const runs = new Map<string, Split>();
  beforeAll(async () => {
    for (const v of VARIANTS) runs.set(v, await split(v));
  }, 600_000);
  const get = (v: string): Split => runs.get(v) as Split;

  it.each(VARIANTS)("%s: the same verdicts, shortest lengths, exact distinct-state count and exit code", (variant) => {
    const { check, shards, merge } = get(variant);
    const whole = JSON.parse(check.stdout);
    const merged = JSON.parse(merge.stdout);
    expect([merge.stderr, ...shards.map((s) => s.stderr)]).toEqual(["", "", "", ""]);
    expect(verdicts(merged)).toEqual(verdicts(whole));
    expect(merged.verdicts).toHaveLength(17);
    expect(merged.distinct).toBe(whole.stats.distinct);
    expect(merged.distinctExact).toBe(true);
    expect([merged.status, whole.status]).toEqual(["complete", "complete"]);
    expect(merge.code).toBe(check.code);
    expect(merged.shardResults.map((s: { shard: number }) => s.shard)).toEqual([1, 2, 3]);
  });

  it("each shard keeps its share of the same roots, stores part of the space, and exits as check does for its part", () => {
    for (const variant of VARIANTS) {
      const { check, shards } = get(variant);
      const whole = JSON.parse(check.stdout);
      const docs = shards.map((s) => JSON.parse(s.stdout));
      const total = docs[0].roots.total;
      expect(total).toBeGreaterThan(SHARDS);
      expect(docs.map((d) => d.roots.total)).toEqual([total, total, total]);
      expect(docs.reduce((sum, d) => sum + d.roots.kept, 0)).toBe(total);
      expect(docs.map((d) => [d.shard, d.shards, d.prefixDepth, d.variant, d.bounds, d.exhausted])).toEqual(
        [1, 2, 3].map((i) => [i, SHARDS, PREFIX, variant, "tiny", true]),
      );
      for (const [i, d] of docs.entries()) {
        expect(d.stats.distinct).toBeLessThan(whole.stats.distinct);
        expect(d.fingerprints.count).toBe(d.stats.distinct);
        expect(shards[i].code).toBe(d.verdicts.some((v: { kind: string }) => v.kind === "violated") ? 1 : 0);
      }
    }
  });

  it("across the four, the merges found violations and wrote each as a counterexample that replays", async () => {
    const written = VARIANTS.flatMap((v) => JSON.parse(get(v).merge.stdout).verdicts.filter((x: { verdict: string }) => x.verdict === "violated").map((x: { file: string }) => [v, x.file]));
    expect(written.length).toBeGreaterThanOrEqual(4);
    for (const [variant, file] of written) {
      expect(file).toMatch(new RegExp(`^merged/bounds-tiny/${variant.replace(".", "\\.")}/[a-z_]+\\.itf\\.json$`));
      const r = await daxmc(["replay", file], get(variant).cwd);
      expect(r.code).toBe(1);
    }
  });

  it("merge's text output tells the shards apart and says where each counterexample came from", async () => {
    const r = await daxmc(["merge", "out/shard-3.json", "out/shard-1.json", "out/shard-2.json", "--out", "text"], get("v6.12").cwd);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^daxmc \S+: merge of 3 shards of check v6\.12 at bounds tiny \(.*\), prefix depth 3$/m);
    expect(r.stdout).toMatch(/^ {2}no_deadlock +VIOLATED in \d+ steps$/m);
    expect(r.stdout).toMatch(/^ {2}the shortest of the 3 shards' counterexamples, found by shard [123]\/3$/m);
    expect(r.stdout).toMatch(/^ {2}1\/3 {2}out\/shard-1\.json {2}complete, [\d,]+ states stored, \d+ of \d+ roots, depth \d+, /m);
    const whole = JSON.parse(get("v6.12").check.stdout).stats.distinct.toLocaleString("en-US");
    expect(r.stdout).toContain(`  states   ${whole} distinct: the union of the shards' `);
    expect(r.stdout).toContain("(exact: every shard explored all of its part)");
    expect(r.stdout).toMatch(/^result: 2 violations \(no_deadlock, no_stuck_state\)$/m);
  });
});

describe("merge refuses what is not one complete set of shards: one line, exit 2", () => {
  let cwd: string;
  beforeAll(async () => {
    cwd = tempDir();
    for (let i = 1; i <= 3; i++) {
      await daxmc(["check", "--variant", "v4.18", "--bounds", "tiny", "--shard", `${i}/3`, "--prefix-depth", "2", "--shard-out", `s${i}.json`, "--brief"], cwd);
    }
    await daxmc(["check", "--variant", "whole-mapping", "--bounds", "tiny", "--shard", "2/3", "--prefix-depth", "2", "--shard-out", "other-2.json", "--brief"], cwd);
    await daxmc(["check", "--variant", "v4.18", "--bounds", "tiny", "--shard", "2/3", "--prefix-depth", "2", "--shard-out", "plain-2.json", "--brief", "--no-symmetry"], cwd);
  }, 120_000);

  const refused = async (args: readonly string[], line: string): Promise<void> => {
    const r = await daxmc(["merge", ...args], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(ONE_LINE);
    expect(r.stderr).toBe(`daxmc: ${line}\n`);
    expect(r.stdout).toBe("");
  };

  it("a missing shard, named with the command that writes it", async () => {
    await refused(["s1.json", "s3.json"], "shard 2/3 is missing: give the results of all 3 shards (daxmc check --variant v4.18 --bounds tiny --shard 2/3 --prefix-depth 2 --shard-out shard-2.json writes 2/3)");
    await refused(["s2.json"], "shards 1/3, 3/3 are missing: give the results of all 3 shards (daxmc check --variant v4.18 --bounds tiny --shard 1/3 --prefix-depth 2 --shard-out shard-1.json writes 1/3, and likewise the others)");
  });

  it("a shard given twice, or a shard of another check", async () => {
    await refused(["s1.json", "s2.json", "s3.json", "s2.json"], "shard 2/3 is given twice (s2.json, s2.json): give each shard's result once");
    await refused(["s1.json", "other-2.json", "s3.json"], "other-2.json and s1.json are not shards of one check: their variant differs (whole-mapping, v4.18): merge the results of one split check: the same --variant, --bounds, --invariant, --prefix-depth, --no-symmetry or not, and N in --shard I/N, from one daxmc checkout");
    // Counted up to renaming in one shard and not in another, the union would count neither way.
    await refused(["s1.json", "plain-2.json", "s3.json"], "plain-2.json and s1.json are not shards of one check: their symmetry differs (off (--no-symmetry), on): merge the results of one split check: the same --variant, --bounds, --invariant, --prefix-depth, --no-symmetry or not, and N in --shard I/N, from one daxmc checkout");
  });

  it("no file, a missing file, a file that is not a shard result, and fingerprints that do not belong to it", async () => {
    await refused([], "no shard results given: daxmc merge shard-1.json shard-2.json ... (the --shard-out files of every shard)");
    await refused(["s1.json", "nope.json", "s3.json"], "cannot read shard result nope.json (no such file): give a result file written by daxmc check --shard I/N --shard-out FILE");
    writeFileSync(join(cwd, "list.json"), "[1, 2]");
    await refused(["list.json"], 'list.json is not a usable shard result (no "format": "daxmc-shard"): give a result file written by daxmc check --shard I/N --shard-out FILE');
    const edited = JSON.parse(readFileSync(join(cwd, "s2.json"), "utf8"));
    edited.shard = 4;
    writeFileSync(join(cwd, "s4.json"), JSON.stringify(edited));
    await refused(["s4.json"], "s4.json is not a usable shard result (at top level: shard is at most shards): give a result file written by daxmc check --shard I/N --shard-out FILE");
    copyFileSync(join(cwd, "s3.json.fp64"), join(cwd, "s2.json.fp64"));
    const r = await daxmc(["merge", "s1.json", "s2.json", "s3.json"], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^daxmc: the fingerprints of s2\.json \(s2\.json\.fp64\) (hold \d+ bytes, not \d+ fingerprints of 8 bytes|do not match the sha256 the result holds: they belong to another run): keep each shard result beside its \.fp64 file, as the shard wrote them, or re-run that shard\n$/);
  });
});

describe("check's shard options are validated before any search: one line, exit 2", () => {
  it.each<[readonly string[], string]>([
    [["--shard", "0/3", "--shard-out", "s.json"], "--shard '0/3' is not valid: give I/N with I from 1 to N (shards are numbered from 1), e.g. --shard 1/3"],
    [["--shard", "4/3", "--shard-out", "s.json"], "--shard '4/3' is not valid: give I/N with I from 1 to N (shards are numbered from 1), e.g. --shard 1/3"],
    [["--shard", "two", "--shard-out", "s.json"], "--shard 'two' is not valid: give I/N, e.g. --shard 1/3"],
    [["--shard", "1/3"], "missing --shard-out: name the shard's result file, e.g. --shard-out shard-1.json"],
    [["--shard-out", "s.json"], "--shard-out goes with --shard: split the check with --shard I/N, or drop --shard-out"],
    [["--prefix-depth", "3"], "--prefix-depth goes with --shard: split the check with --shard I/N, or drop --prefix-depth"],
    [["--shard", "1/3", "--prefix-depth", "-1", "--shard-out", "s.json"], "--prefix-depth '-1' is not valid: give a whole number, 0 or more, e.g. --prefix-depth 4"],
    [["--shard", "1/3", "--strategy", "dfs", "--shard-out", "s.json"], "a shard explores breadth-first: drop --strategy dfs: a shard's roots are the states at exactly the prefix depth, which only breadth-first search finds"],
    [["--shard", "1/3", "--out", "ce", "--shard-out", "s.json"], "a shard writes no counterexamples: drop --out here and give it to daxmc merge, which writes them"],
  ])("%j", async (args, line) => {
    const cwd = tempDir();
    const r = await daxmc(["check", "--variant", "v4.18", "--bounds", "tiny", ...args], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`daxmc: ${line}\n`);
    expect(r.stdout).toBe("");
  });
});
