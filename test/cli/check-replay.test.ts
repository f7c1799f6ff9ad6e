import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { PRESETS } from "../../spec/index.js";
import { traceDigest } from "../../src/trace/itf.js";
import { ONE_LINE, type Run, daxmc, tempDir } from "./run.js";

/** Where a check at tiny bounds writes: its own folder, never over the default bounds' files. */
const TRACE = join("counterexamples", "bounds-tiny", "reflink-singular", "no_warn_associate.itf.json");

/** Recomputes `#meta.digest` after an edit, as a file from another daxmc version would carry a valid one. */
function resealed(json: any): string {
  json["#meta"].digest = traceDigest(json);
  return JSON.stringify(json);
}

describe("check reflink-singular at tiny bounds, then replay", () => {
  let cwd: string;
  let check: Run;
  beforeAll(async () => {
    cwd = tempDir();
    check = await daxmc(["check", "--variant", "reflink-singular", "--bounds", "tiny"], cwd);
  });

  it("finds no_warn_associate violated, exits 1, and prints the path in kernel terms", () => {
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/^ {2}no_warn_associate +VIOLATED in \d+ steps?$/m);
    expect(check.stdout).toMatch(/counterexample: no_warn_associate/);
    expect(check.stdout).toMatch(/^ +1\. \[process [XY]\] \S+/m);
    expect(check.stdout).toMatch(/dax_associate_entry/);
    expect(check.stdout).toMatch(/p\d->mapping = [AB]/);
    expect(check.stdout).toMatch(/^ {2}Why no_warn_associate fails/m);
    expect(check.stdout).toMatch(/^statistics$/m);
    expect(check.stdout).toMatch(/^result: \d+ violations? \(.*no_warn_associate.*\)$/m);
    expect(check.stderr).toBe("");
  });

  it("writes the violation as an ITF file under counterexamples/bounds-tiny/<variant>/", () => {
    const json = JSON.parse(readFileSync(join(cwd, TRACE), "utf8"));
    expect(json["#meta"]).toMatchObject({
      format: "ITF", source: "daxmc", variant: "reflink-singular", invariant: "no_warn_associate", kind: "violation",
    });
    expect(json["#meta"].tool).toMatch(/^daxmc \d/);
    // Strings, as itf-rs reads #meta fields it does not know; the labels are the states' own.
    expect(json["#meta"].bounds).toBe("files=2,offsets=1,blocks=2,procs=2,early=1,pins=0,poisons=1,cow=0,evict=0,via=1");
    expect(json["#meta"]).not.toHaveProperty("actions");
    expect(json.states[0].action).toBe("init");
  });

  it("replay of the file exits 1: the last state still violates", async () => {
    const r = await daxmc(["replay", TRACE], cwd);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^replay .*no_warn_associate/);
    expect(r.stdout).toMatch(/no_warn_associate is still violated/);
    expect(r.stderr).toBe("");
  });

  it("writes a sha256 #meta.digest of the content", () => {
    const json = JSON.parse(readFileSync(join(cwd, TRACE), "utf8"));
    expect(json["#meta"].digest).toMatch(/^[0-9a-f]{64}$/);
    expect(json["#meta"].digest).toBe(traceDigest(json));
  });

  it("replay exits 0 when the last state does not violate the trace's invariant", async () => {
    const json = JSON.parse(readFileSync(join(cwd, TRACE), "utf8"));
    json["#meta"].invariant = "no_oops";
    writeFileSync(join(cwd, "other.itf.json"), resealed(json));
    const r = await daxmc(["replay", "other.itf.json"], cwd);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/the trace no longer violates no_oops/);
  });

  const rerun = (invariant: string, bounds: string): RegExp =>
    new RegExp(`: re-run daxmc check --variant reflink-singular --invariant ${invariant} --bounds ${bounds} to write a fresh trace\n$`);
  it.each<[string, (json: any) => void, RegExp]>([
    ["the last state removed", (j) => { j.states.pop(); }, rerun("no_warn_associate", "tiny")],
    ["one state field changed", (j) => { j.states[1].truncate = "edited by hand"; }, rerun("no_warn_associate", "tiny")],
    ["a field of the initial state changed", (j) => { j.states[0].truncate = "edited by hand"; }, rerun("no_warn_associate", "tiny")],
    ["the invariant changed", (j) => { j["#meta"].invariant = "no_oops"; }, rerun("no_oops", "tiny")],
    ["the bounds changed", (j) => { j["#meta"].bounds = j["#meta"].bounds.replace("poisons=1", "poisons=0"); }, rerun("no_warn_associate", "files=2,offsets=1,blocks=2,procs=2,early=1,pins=0,poisons=0,cow=0,evict=0,via=1")],
    ["the digest removed", (j) => { delete j["#meta"].digest; }, rerun("no_warn_associate", "tiny")],
    ["the digest replaced", (j) => { j["#meta"].digest = "0".repeat(64); }, rerun("no_warn_associate", "tiny")],
    ["the variant changed to an unknown one", (j) => { j["#meta"].variant = "v1.0"; }, /: re-run daxmc check to write a fresh trace\n$/],
  ])("replay of a hand-edited file (%s) exits 2 with one line naming the check that writes a fresh trace", async (_what, edit, fix) => {
    const json = JSON.parse(readFileSync(join(cwd, TRACE), "utf8"));
    edit(json);
    writeFileSync(join(cwd, "edited.itf.json"), JSON.stringify(json));
    for (const argv of [["replay", "edited.itf.json"], ["replay", "edited.itf.json", "--path-only"]]) {
      const r = await daxmc(argv, cwd);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(ONE_LINE);
      expect(r.stderr).toMatch(/^daxmc: edited\.itf\.json is not a usable daxmc trace \(edited: /);
      expect(r.stderr).toMatch(fix);
    }
  });

  it("an unmodified file passes the digest check, whatever its layout", async () => {
    const json = JSON.parse(readFileSync(join(cwd, TRACE), "utf8"));
    writeFileSync(join(cwd, "compact.itf.json"), JSON.stringify(json));
    const r = await daxmc(["replay", "compact.itf.json"], cwd);
    expect([r.code, r.stderr]).toEqual([1, ""]);
  });

  it("replay of a file with a valid digest whose states differ from the model (another model version) exits 2, naming step and field", async () => {
    const json = JSON.parse(readFileSync(join(cwd, TRACE), "utf8"));
    const last = json.states.length - 1;
    json.states[last].truncate = "edited by hand";
    writeFileSync(join(cwd, "other-model.itf.json"), resealed(json));
    const r = await daxmc(["replay", "other-model.itf.json"], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(ONE_LINE);
    expect(r.stderr).toMatch(new RegExp(`at step ${last}, field truncate is 'edited by hand' in the file`));
    expect(r.stderr).toMatch(/edited or written by another model version.*--path-only/);
    const pathOnly = await daxmc(["replay", "other-model.itf.json", "--path-only"], cwd);
    expect(pathOnly.code).toBe(1);
  });

  it("replay of a file whose action label was altered exits 2 with the replay error and the fix", async () => {
    const json = JSON.parse(readFileSync(join(cwd, TRACE), "utf8"));
    json.states[1].action = "fault(Q,Z[9])";
    writeFileSync(join(cwd, "relabelled.itf.json"), resealed(json));
    const r = await daxmc(["replay", "relabelled.itf.json"], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(ONE_LINE);
    expect(r.stderr).toMatch(/replay failed at step 1: no enabled action is labelled "fault\(Q,Z\[9\]\)"/);
    expect(r.stderr).toMatch(/re-run daxmc check --variant reflink-singular --invariant no_warn_associate --bounds tiny/);
  });

  it("replay of a file naming an unknown variant or invalid bounds exits 2", async () => {
    const json = JSON.parse(readFileSync(join(cwd, TRACE), "utf8"));
    writeFileSync(join(cwd, "v.itf.json"), resealed({ ...json, "#meta": { ...json["#meta"], variant: "v1.0" } }));
    const v = await daxmc(["replay", "v.itf.json"], cwd);
    expect([v.code, v.stderr]).toEqual([2, expect.stringMatching(/unknown variant 'v1.0' \(from the trace v.itf.json\)/)]);
    writeFileSync(join(cwd, "b.itf.json"), resealed({ ...json, "#meta": { ...json["#meta"], bounds: "files=2" } }));
    const b = await daxmc(["replay", "b.itf.json"], cwd);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(ONE_LINE);
    expect(b.stderr).toMatch(/the trace's bounds are invalid/);
  });
});

describe("check", () => {
  it("v4.18 at tiny bounds exits 0, naming vacuous passes", async () => {
    const r = await daxmc(["check", "--variant", "v4.18", "--bounds", "tiny"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^result: every checked invariant holds/m);
    expect(r.stdout).not.toMatch(/VIOLATED|undecided/);
  });

  it("--max-states 100 exits 3 and says what was explored", async () => {
    const r = await daxmc(["check", "--variant", "v4.18", "--bounds", "tiny", "--max-states", "100"]);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/undecided/);
    expect(r.stdout).toMatch(/^incomplete: the search stopped at the state limit \(--max-states\) after \d+ distinct states.*; raise --max-states or use smaller --bounds$/m);
    expect(r.stdout).toMatch(/^statistics$/m);
  });

  it("--invariant checks that invariant and its partner only; --json prints one document", async () => {
    const cwd = tempDir();
    const r = await daxmc(["check", "--variant", "reflink-singular", "--bounds", "tiny", "--invariant", "no_warn_associate", "--json", "--out", "cx"], cwd);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.verdicts).toEqual([
      { invariant: "no_warn_associate", verdict: "violated", steps: expect.any(Number), path: expect.any(Array), file: join("cx", "bounds-tiny", "reflink-singular", "no_warn_associate.itf.json") },
    ]);
    expect(doc.stats.distinct).toBeGreaterThan(0);
    expect(existsSync(join(cwd, doc.verdicts[0].file))).toBe(true);
  });

  describe("counterexamples left by earlier runs", () => {
    let cwd: string;
    let trace: any;
    beforeAll(async () => {
      cwd = tempDir();
      const r = await daxmc(["check", "--variant", "reflink-singular", "--bounds", "tiny", "--invariant", "no_warn_associate", "--out", "src"], cwd);
      expect(r.code).toBe(1);
      trace = JSON.parse(readFileSync(join(cwd, "src", "bounds-tiny", "reflink-singular", "no_warn_associate.itf.json"), "utf8"));
    });

    /** Writes a valid daxmc trace claiming to be v4.18's counterexample of `invariant` at `bounds`, where a run at tiny bounds under `dir` looks. */
    function plant(dir: string, invariant: string, bounds: object): string {
      const file = join(cwd, dir, "bounds-tiny", "v4.18", `${invariant}.itf.json`);
      mkdirSync(join(cwd, dir, "bounds-tiny", "v4.18"), { recursive: true });
      writeFileSync(file, resealed({ ...trace, "#meta": { ...trace["#meta"], variant: "v4.18", invariant, bounds } }));
      return file;
    }

    it("removes one written at the same bounds once its invariant holds, and only that file", async () => {
      const stale = plant("same", "no_oops", PRESETS.tiny);
      const other = join(cwd, "same", "bounds-tiny", "v4.18", "notes.txt");
      writeFileSync(other, "mine");
      const r = await daxmc(["check", "--variant", "v4.18", "--bounds", "tiny", "--invariant", "no_oops", "--out", "same"], cwd);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^ {2}no_oops +holds$/m);
      expect(existsSync(stale)).toBe(false);
      expect(existsSync(other)).toBe(true);
      expect(r.stdout).toMatch(/^removed same\/bounds-tiny\/v4\.18\/no_oops\.itf\.json: written by an earlier run at these bounds/m);
    });

    it("keeps one written at other bounds", async () => {
      const kept = plant("other", "no_oops", PRESETS.small);
      const r = await daxmc(["check", "--variant", "v4.18", "--bounds", "tiny", "--invariant", "no_oops", "--out", "other"], cwd);
      expect(r.code).toBe(0);
      expect(existsSync(kept)).toBe(true);
      expect(r.stdout).not.toMatch(/removed/);
    });

    it("keeps one whose invariant held only vacuously", async () => {
      const kept = plant("vacuous", "no_free_while_pinned", PRESETS.tiny);
      const r = await daxmc(["check", "--variant", "v4.18", "--bounds", "tiny", "--invariant", "no_free_while_pinned", "--out", "vacuous"], cwd);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^ {2}no_free_while_pinned +holds but vacuous/m);
      expect(existsSync(kept)).toBe(true);
    });

    it("keeps one whose invariant was left undecided by a limit", async () => {
      const kept = plant("undecided", "no_oops", PRESETS.tiny);
      const r = await daxmc(["check", "--variant", "v4.18", "--bounds", "tiny", "--invariant", "no_oops", "--max-states", "100", "--out", "undecided"], cwd);
      expect(r.code).toBe(3);
      expect(existsSync(kept)).toBe(true);
    });

    it("check --variant v6.12 --bounds tiny keeps every counterexample saved in the repository (written at the default bounds)", async () => {
      const saved = join(fileURLToPath(new URL("../..", import.meta.url)), "counterexamples", "v6.12");
      const out = join(cwd, "saved");
      cpSync(saved, join(out, "v6.12"), { recursive: true });
      const before = readdirSync(join(out, "v6.12")).sort();
      expect(before.length).toBeGreaterThan(0);
      const contents = before.map((f) => readFileSync(join(out, "v6.12", f), "utf8"));
      const r = await daxmc(["check", "--variant", "v6.12", "--bounds", "tiny", "--out", "saved"], cwd);
      expect(r.stdout).not.toMatch(/^removed /m);
      expect(readdirSync(join(out, "v6.12")).sort()).toEqual(before);
      expect(before.map((f) => readFileSync(join(out, "v6.12", f), "utf8"))).toEqual(contents);
    });

    it.each([
      ["a file that is not a trace", "{}"],
      ["a trace whose digest does not match", () => JSON.stringify({ ...trace, "#meta": { ...trace["#meta"], variant: "v4.18", invariant: "no_oops", bounds: PRESETS.tiny } })],
    ])("keeps %s", async (_what, content) => {
      const dir = join(cwd, "odd", "bounds-tiny", "v4.18");
      mkdirSync(dir, { recursive: true });
      const kept = join(dir, "no_oops.itf.json");
      writeFileSync(kept, typeof content === "string" ? content : content());
      const r = await daxmc(["check", "--variant", "v4.18", "--bounds", "tiny", "--invariant", "no_oops", "--out", "odd"], cwd);
      expect(r.code).toBe(0);
      expect(existsSync(kept)).toBe(true);
    });
  });

  it("draws progress in place on a TTY; piped, a short run prints no progress line", async () => {
    const piped = await daxmc(["check", "--variant", "v4.18", "--bounds", "tiny", "--invariant", "no_oops"]);
    expect(piped.stderr).toBe("");
    expect(piped.progress).toEqual([]);
    const tty = await daxmc(["check", "--variant", "v4.18", "--bounds", "tiny", "--invariant", "no_oops"], tempDir(), true);
    expect(tty.stderr).toContain("\r");
    expect(tty.code).toBe(0);
  });
});
