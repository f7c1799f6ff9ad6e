import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as Either from "effect/Either";
import { describe, expect, it } from "vitest";
import { buildModel, findVariant } from "../../src/cli/wiring.js";
import { decodeBounds } from "../../spec/index.js";
import { replayLabels } from "../../src/engine/index.js";
import { buildTrace } from "../../src/trace/build.js";
import { decodeTrace, encodeTrace } from "../../src/trace/itf.js";
import { ACTION_TAKEN, NONDET_PICKS, adr015Problems } from "./itf-adr015.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const fixtures = join(root, "test", "trace", "fixtures");
const saved = readdirSync(join(root, "counterexamples"), { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".itf.json")).sort();
const read = (file: string): any => JSON.parse(readFileSync(file, "utf8"));
/** Files daxmc wrote before it added Quint's mbt:: pair, which also wrote integers as plain JSON numbers. */
const isLegacy = (json: any): boolean => !json.vars.includes(ACTION_TAKEN);

/** The saved counterexample `file` written afresh by today's encoder: its actions replayed in today's model. */
function rewritten(file: string): any {
  const trace = decodeTrace(readFileSync(join(root, "counterexamples", file), "utf8"), "daxmc");
  if (Either.isLeft(trace)) throw new Error(trace.left.reason);
  const bounds = decodeBounds(trace.right.meta.bounds);
  if (Either.isLeft(bounds)) throw new Error(bounds.left);
  const model = buildModel(findVariant(trace.right.meta.variant)!, bounds.right);
  const replay = replayLabels(model, 0, trace.right.actions);
  if (!replay.ok) throw new Error(`${file} does not replay`);
  return JSON.parse(encodeTrace(buildTrace(model, replay.states, replay.actions, trace.right.meta)));
}

/**
 * The #meta fields itf-rs (informalsystems/itf-rs 0.3.0, the Rust reader) could not read. Its `Meta`
 * (src/trace.rs) knows format, format-description, source and description (strings), varTypes (a map of
 * strings) and timestamp (an integer), and collects every other field into `other: BTreeMap<String, String>`
 * (#[serde(flatten)]): a field that is no string fails the whole file with "invalid type: map, expected a string".
 */
function itfRsMetaProblems(meta: Record<string, unknown>): string[] {
  return Object.entries(meta)
    .filter(([k, v]) => k !== "varTypes" && k !== "timestamp" && typeof v !== "string")
    .map(([k, v]) => `#meta.${k} is ${Array.isArray(v) ? "an array" : typeof v}, not a string`);
}

describe("ITF as ADR-015 specifies it, and as Quint reads it", () => {
  it.each(saved)("the saved counterexamples/%s conforms (plain integers allowed only in files from before the mbt:: pair)", (file) => {
    const json = read(join(root, "counterexamples", file));
    expect(adr015Problems(json, { plainIntegers: isLegacy(json) })).toEqual([]);
  });

  it.each(saved)("%s, written afresh, conforms strictly and records each step's kind and parameters", (file) => {
    const json = rewritten(file);
    expect(adr015Problems(json)).toEqual([]);
    expect(itfRsMetaProblems(json["#meta"])).toEqual([]);
    expect(json.vars.slice(-2)).toEqual([ACTION_TAKEN, NONDET_PICKS]);
    json.states.forEach((s: any, i: number) => {
      // The kind is the label's head: fault(X,A[0]) was a "fault"; each named parameter appears in the label.
      expect(s[ACTION_TAKEN]).toBe(i === 0 ? "init" : /^[a-z_]+/.exec(s.action)?.[0]);
      for (const pick of Object.values<any>(s[NONDET_PICKS])) if (pick.tag === "Some") expect(s.action).toContain(pick.value);
    });
  });

  it("the fixture written by daxmc check conforms strictly, decodes and carries its picks", () => {
    const text = readFileSync(join(fixtures, "v6.1-no_warn_associate.itf.json"), "utf8");
    expect(adr015Problems(JSON.parse(text))).toEqual([]);
    const trace = decodeTrace(text, "daxmc");
    expect(Either.isRight(trace) && trace.right.states[1].mbt).toEqual({ actionTaken: "fault", nondetPicks: { proc: "X", slot: "A[0]" } });
  });

  it("as itf-rs reads it: every #meta field of a fresh file is a string (bounds as name=value pairs, no actions array)", () => {
    const json = rewritten("v6.12/no_deadlock.itf.json");
    expect(itfRsMetaProblems(json["#meta"])).toEqual([]);
    expect(json["#meta"].bounds).toMatch(/^files=\d+,offsets=\d+,blocks=\d+,procs=\d+,early=\d+,pins=\d+,poisons=\d+,cow=\d+,evict=\d+,via=\d+$/);
    expect(json["#meta"]).not.toHaveProperty("actions");
    // What files written before it held, and itf-rs refused.
    expect(itfRsMetaProblems({ bounds: { files: 2 }, actions: ["init"] })).toEqual(["#meta.bounds is object, not a string", "#meta.actions is an array, not a string"]);
  });

  it("a trace written by Quint 0.33.1 (quint run --mbt on fixtures/quint-mbt.qnt) conforms: the schema is not daxmc's own", () => {
    expect(adr015Problems(read(join(fixtures, "quint-run-mbt.itf.json")))).toEqual([]);
  });

  const good = (): any => read(join(fixtures, "v6.1-no_warn_associate.itf.json"));
  it.each<[string, (j: any) => void, RegExp]>([
    ["a plain JSON integer", (j) => (j.states[0].pages.p1.pins = 0), /state 0, pages: not an ITF expression/],
    ["a float", (j) => (j.states[0].pages.p1.pins = 0.5), /not an ITF expression/],
    ["a malformed #bigint", (j) => (j.states[0].pages.p1.pins = { "#bigint": "1e3" }), /not an ITF expression/],
    ["a field starting with #", (j) => (j.states[0].files["#A"] = true), /not an ITF expression/],
    ["a missing variable", (j) => delete j.states[1].truncate, /state 1: no value for truncate/],
    ["an undeclared variable", (j) => (j.states[1].extra = true), /state 1: fields not in vars: extra/],
    ["a wrong index", (j) => (j.states[2]["#meta"].index = 5), /state 2: #meta.index is not 2/],
    ["a duplicate var", (j) => j.vars.push("files"), /twice/],
    ["an unknown top-level field", (j) => (j.extra = 1), /trace object/],
    ["a None without the unit value", (j) => (j.states[0][NONDET_PICKS].proc = { tag: "None", value: {} }), /not a record of Options/],
    ["a pick that is no Option", (j) => (j.states[1][NONDET_PICKS].proc = "X"), /not a record of Options/],
    ["picks that differ between states", (j) => delete j.states[1][NONDET_PICKS].src, /names other fields than state 0/],
    ["a record Quint reads as a variant", (j) => (j.states[0].memory_failure = { tag: "idle", value: true }), /reads as a variant/],
    ["a field Quint drops", (j) => (j.states[0].files.__A = true), /Quint's reader drops/],
  ])("rejects %s", (_what, edit, problem) => {
    const json = good();
    edit(json);
    expect(adr015Problems(json).join("\n")).toMatch(problem);
  });
});
