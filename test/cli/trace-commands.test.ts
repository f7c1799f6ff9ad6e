/** shrink, simulate and explain from the command line: files written, exit codes, pinned stories, one-line errors. */
import { copyFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { VARIANTS } from "../../spec/index.js";
import { ONE_LINE, daxmc, tempDir } from "./run.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const saved = (variant: string, invariant: string): string => join(root, "counterexamples", variant, `${invariant}.itf.json`);
const fixture = (name: string): string => readFileSync(join(root, "test", "cli", "fixtures", name), "utf8");

describe("daxmc explain", () => {
  it("tells v6.12's no_deadlock counterexample as pinned, in mail format under 80 columns", async () => {
    const cwd = tempDir();
    copyFileSync(saved("v6.12", "no_deadlock"), join(cwd, "counterexamples-v6.12-no_deadlock.itf.json"));
    const r = await daxmc(["explain", "counterexamples-v6.12-no_deadlock.itf.json", "--format", "mail"], cwd);
    expect(r.code).toBe(1);
    expect(r.stdout.replace("counterexamples-v6.12-no_deadlock.itf.json", "counterexamples/v6.12/no_deadlock.itf.json")).toBe(fixture("explain-v6.12-no_deadlock.mail.txt"));
    for (const line of r.stdout.split("\n")) expect(line.length).toBeLessThan(80);
  });

  it("tells v6.1's poison_reaches_every_mapping counterexample as pinned, with the glossary", async () => {
    const r = await daxmc(["explain", "counterexamples/v6.1/poison_reaches_every_mapping.itf.json", "--glossary"], root);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(fixture("explain-v6.1-poison_reaches_every_mapping.txt"));
  });

  it("explains every saved counterexample with a witness of its own, never the generic line", async () => {
    for (const v of VARIANTS) {
      for (const inv of ["poison_reaches_every_mapping", "no_deadlock", "owner_lookup_complete", "no_free_while_pinned"]) {
        if (!existsSync(saved(v.id, inv))) continue;
        const r = await daxmc(["explain", saved(v.id, inv), "--no-cite"], root);
        expect(r.code, `${v.id} ${inv}`).toBe(1);
        expect(r.stdout).not.toContain("is violated in the last state");
        expect(r.stdout).not.toMatch(/^ +in [^\n]*: [^\n]*\d/m);
      }
    }
  });

  it("refuses an unknown format in one line, exit 2", async () => {
    const r = await daxmc(["explain", saved("v6.12", "no_deadlock"), "--format", "html"], root);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(ONE_LINE);
  });
});

describe("daxmc shrink", () => {
  it("shrinks a hand-written path file to the shortest path and writes it beside the input, which replay accepts", async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, "padded.path"), [
      "variant: v6.12", "bounds: tiny", "invariant: no_deadlock",
      "truncate_begin(A)", "truncate_delete", "truncate_free", "alloc(X,A[0])", "alloc_map(X,p2)",
      "mmap(Y,A)", "reflink(A->B)", "fault(X,A[0])", "munmap(Y,A)", "scrub(p2)", "mf_query_rmap",
    ].join("\n"));
    const r = await daxmc(["shrink", "padded.path"], cwd);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("11 steps -> 4 steps");
    expect(r.stdout).toContain("path: reflink(A->B); fault(X,A[0]); scrub(p1); mf_query_rmap");
    expect(existsSync(join(cwd, "padded.shrunk.itf.json"))).toBe(true);
    const again = await daxmc(["replay", "padded.shrunk.itf.json"], cwd);
    expect(again.code).toBe(1);
    const twice = await daxmc(["shrink", "padded.shrunk.itf.json", "--out", "again.itf.json"], cwd);
    expect(twice.stdout).toContain("already minimal");
  });

  it("says in one line, exit 2, when the trace does not violate its invariant, and when a path file is malformed", async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, "fine.path"), "variant: v6.12\nbounds: tiny\ninvariant: no_deadlock\nmmap(Y,A)\n");
    const r = await daxmc(["shrink", "fine.path"], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(ONE_LINE);
    expect(r.stderr).toContain("does not end in a state violating no_deadlock");
    writeFileSync(join(cwd, "bad.path"), "variant: v6.12\nthis is not an action\n");
    const bad = await daxmc(["shrink", "bad.path"], cwd);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(ONE_LINE);
  });
});

describe("daxmc simulate", () => {
  it("finds, shrinks and saves a violation from a fixed seed at full bounds, and prints coverage", async () => {
    const cwd = tempDir();
    const r = await daxmc(["simulate", "--variant", "v6.12", "--bounds", "full", "--runs", "2000", "--seed", "7", "--invariant", "poison_reaches_every_mapping"], cwd);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("seed 7");
    expect(r.stdout).toMatch(/coverage: /);
    expect(r.stdout).toMatch(/sometimes partners reached: \d+ of 13/);
    const file = join(cwd, "counterexamples", "bounds-full", "simulate", "v6.12", "poison_reaches_every_mapping.itf.json");
    expect(existsSync(file)).toBe(true);
    const replay = await daxmc(["replay", file], cwd);
    expect(replay.code).toBe(1);
  });

  it("stops at an interrupt with exit 3, having counted only the walks that ran", async () => {
    const stop = new AbortController();
    stop.abort();
    const r = await daxmc(["simulate", "--variant", "v4.18", "--bounds", "tiny", "--runs", "500", "--seed", "1"], tempDir(), false, stop.signal);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain("interrupted after 0 walks of 500");
  });

  it("exits 0 when the walks find nothing, and 2 on a bad count", async () => {
    const ok = await daxmc(["simulate", "--variant", "v4.18", "--bounds", "tiny", "--runs", "50", "--seed", "1", "--invariant", "poison_reaches_every_mapping"]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain("random walks prove nothing");
    const bad = await daxmc(["simulate", "--variant", "v4.18", "--runs", "0"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(ONE_LINE);
  });
});
