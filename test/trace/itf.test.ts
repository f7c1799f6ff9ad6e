import fc from "fast-check";
import * as Either from "effect/Either";
import { describe, expect, it } from "vitest";
import { type ItfValue, type Trace, type TraceErrorCode, canonicalJson, decodeTrace, encodeTrace, formatMetaBounds, parseMetaBounds, traceDigest } from "../../src/trace/itf.js";

const key = fc.string({ maxLength: 6 }).filter((k) => !k.startsWith("#") && k !== "__proto__");
const { value } = fc.letrec<{ value: ItfValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.string({ maxLength: 8 }),
    fc.boolean(),
    fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
    // Safe integers read back as numbers, so bigints in memory are the unsafe ones.
    fc.bigInt().filter((b) => b > BigInt(Number.MAX_SAFE_INTEGER) || b < BigInt(Number.MIN_SAFE_INTEGER)),
    fc.array(tie("value"), { maxLength: 3 }),
    fc.dictionary(key, tie("value"), { maxKeys: 3 }),
  ),
}));

/** An action's parameters: the names Quint's `mbt::nondetPicks` lists, each a string or an integer. */
const picks = fc.dictionary(fc.constantFrom("proc", "slot", "block", "src", "dst"), fc.oneof(fc.string({ maxLength: 4 }), fc.nat(9)), { maxKeys: 3 });

const trace: fc.Arbitrary<Trace> = fc
  .record({
    vars: fc.uniqueArray(key.filter((k) => k !== "action"), { maxLength: 4 }),
    actions: fc.array(fc.string({ maxLength: 10 }).filter((a) => a !== ""), { maxLength: 4 }),
    // Bounds are named integers: the name=value string of #meta.bounds holds nothing else.
    bounds: fc.dictionary(fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,5}$/), fc.nat(9), { maxKeys: 3 }),
    description: fc.string(),
    mbt: fc.boolean(),
  })
  .chain(({ vars, actions, bounds, description, mbt }) =>
    fc.array(fc.tuple(fc.tuple(...vars.map(() => value)), picks), { minLength: actions.length + 1, maxLength: actions.length + 1 }).map(
      (rows): Trace => ({
        meta: { source: "daxmc", tool: "daxmc 0.0.0", variant: "v", bounds, invariant: "inv", kind: "violation", description },
        actions,
        vars,
        states: rows.map(([row, nondetPicks], i) => ({
          action: i === 0 ? "init" : actions[i - 1],
          values: Object.fromEntries(vars.map((v, j) => [v, row[j]])),
          ...(mbt ? { mbt: { actionTaken: i === 0 ? "init" : `kind${i}`, nondetPicks: i === 0 ? {} : nondetPicks } } : {}),
        })),
      }),
    ),
  );

function sample(): Trace {
  return {
    meta: { source: "daxmc", tool: "daxmc 0.1.0", variant: "v1", bounds: { n: 2 }, invariant: "inv", kind: "violation", description: "d" },
    actions: ["inc", "inc"],
    vars: ["x", "log"],
    states: [0, 1, 2].map((x, i) => ({
      action: i === 0 ? "init" : "inc",
      values: { x, log: { seen: [x > 0], big: 2n ** 70n } },
      mbt: { actionTaken: i === 0 ? "init" : "inc", nondetPicks: i === 0 ? ({} as Record<string, string>) : { by: "X" } },
    })),
  };
}

function codeOf(text: string): TraceErrorCode | "ok" {
  const r = decodeTrace(text, "daxmc");
  return Either.isRight(r) ? "ok" : r.left.code;
}

function edit(f: (json: any) => void): string {
  const json = JSON.parse(encodeTrace(sample()));
  f(json);
  return JSON.stringify(json);
}

/** sample() as daxmc wrote it before itf-rs compatibility (bounds an object, the labels in #meta.actions), re-signed, then `f` applied. */
function legacyEdit(f: (json: any) => void): string {
  return edit((j) => {
    j["#meta"].bounds = { n: 2 };
    j["#meta"].actions = ["inc", "inc"];
    j["#meta"].digest = traceDigest(j);
    f(j);
  });
}

describe("ITF encode/decode", () => {
  it("round-trips any trace: decode(encode(t)) equals t", () => {
    fc.assert(
      fc.property(trace, (t) => {
        const back = decodeTrace(encodeTrace(t), "daxmc");
        expect(back).toEqual(Either.right(t));
      }),
    );
  });

  it("writes the ITF layout: #meta, vars with action first and Quint's mbt:: pair last, states with #meta.index; every integer tagged", () => {
    const json = JSON.parse(encodeTrace(sample()));
    expect(json["#meta"]).toMatchObject({ format: "ITF", source: "daxmc", kind: "violation", bounds: "n=2" });
    expect(json["#meta"]).not.toHaveProperty("actions");
    expect(json["#meta"]["format-description"]).toMatch(/apalache/);
    expect(json.vars).toEqual(["action", "x", "log", "mbt::actionTaken", "mbt::nondetPicks"]);
    const none = { tag: "None", value: { "#tup": [] } };
    expect(json.states[0]).toMatchObject({ "mbt::actionTaken": "init", "mbt::nondetPicks": { by: none } });
    expect(json.states[2]).toEqual({
      "#meta": { index: 2 },
      action: "inc",
      x: { "#bigint": "2" },
      log: { seen: [true], big: { "#bigint": (2n ** 70n).toString() } },
      "mbt::actionTaken": "inc",
      "mbt::nondetPicks": { by: { tag: "Some", value: "X" } },
    });
  });

  it("reads files written before the mbt:: pair and tagged integers: plain JSON numbers, no MBT step", () => {
    const legacy = edit((j) => {
      j.vars = j.vars.slice(0, 3);
      for (const s of j.states) {
        s.x = Number(s.x["#bigint"]);
        delete s["mbt::actionTaken"];
        delete s["mbt::nondetPicks"];
      }
      j["#meta"].digest = traceDigest(j);
    });
    const r = decodeTrace(legacy, "daxmc");
    expect(r).toEqual(Either.right({ ...sample(), states: sample().states.map(({ mbt: _m, ...s }) => s) }));
  });

  it("reads files written before itf-rs compatibility: #meta.bounds an object, #meta.actions the labels; their digest verifies as before", () => {
    expect(decodeTrace(legacyEdit(() => {}), "daxmc")).toEqual(Either.right(sample()));
  });

  it("writes #meta.bounds as name=value pairs in key order, and reads them back", () => {
    const bounds = { files: 2, offsets: 1, blocks: 2, procs: 2, early: 1, pins: 1, poisons: 1, cow: 1, evict: 1, via: 1 };
    expect(formatMetaBounds(bounds)).toBe("files=2,offsets=1,blocks=2,procs=2,early=1,pins=1,poisons=1,cow=1,evict=1,via=1");
    expect(parseMetaBounds(formatMetaBounds(bounds))).toEqual(Either.right(bounds));
    expect(parseMetaBounds("")).toEqual(Either.right({}));
    for (const bad of ["n", "n=", "=2", "n=02", "n=1.5", "n=2,", "n=2,,m=1", " n=2", "n=2,n=3", "__proto__=1", "n=99999999999999999"]) {
      expect(Either.isLeft(parseMetaBounds(bad)), bad).toBe(true);
    }
  });

  it("refuses to write a trace it could not read back: labels other than the actions, bounds that are not named integers", () => {
    expect(() => encodeTrace({ ...sample(), actions: ["inc", "dec"] })).toThrow(TypeError);
    expect(() => encodeTrace({ ...sample(), actions: ["inc"] })).toThrow(TypeError);
    expect(() => encodeTrace({ ...sample(), meta: { ...sample().meta, bounds: { n: "2" } } })).toThrow(TypeError);
    expect(() => encodeTrace({ ...sample(), meta: { ...sample().meta, bounds: { "a,b": 2 } } })).toThrow(TypeError);
  });

  it.each<[string, string, TraceErrorCode]>([
    ["empty file", "", "truncated"],
    ["truncated JSON", encodeTrace(sample()).slice(0, 200), "truncated"],
    ["not JSON", "hello, trace", "not-json"],
    ["JSON without #meta", JSON.stringify({ vars: [], states: [] }), "not-itf"],
    ["an array", "[1,2]", "not-itf"],
    ["another format", edit((j) => (j["#meta"].format = "TLA")), "not-itf"],
    ["another tool's trace", edit((j) => (j["#meta"].source = "quint")), "foreign"],
    ["no source", edit((j) => delete j["#meta"].source), "foreign"],
    ["actions of the wrong type", edit((j) => (j["#meta"].actions = "inc")), "malformed"],
    ["a missing variant", edit((j) => delete j["#meta"].variant), "malformed"],
    ["a state action that is a number", edit((j) => (j.states[1].action = 5)), "malformed"],
    ["a float in a state", edit((j) => (j.states[1].x = 1.5)), "malformed"],
    ["no states", edit((j) => (j.states = [])), "malformed"],
    ["a missing variable", edit((j) => delete j.states[1].x), "malformed"],
    ["an extra variable", edit((j) => (j.states[1].y = 1)), "inconsistent"],
    ["bounds that are not name=value pairs", edit((j) => (j["#meta"].bounds = "n:2")), "malformed"],
    ["a bound named twice", edit((j) => (j["#meta"].bounds = "n=2,n=3")), "malformed"],
    ["bounds of the wrong type", edit((j) => (j["#meta"].bounds = 2)), "malformed"],
    ["a first state action other than init", edit((j) => (j.states[0].action = "inc")), "inconsistent"],
    ["one state too few (a file with #meta.actions)", legacyEdit((j) => j.states.pop()), "inconsistent"],
    ["a wrong index", edit((j) => (j.states[1]["#meta"].index = 7)), "inconsistent"],
    ["a state action that disagrees with #meta.actions", legacyEdit((j) => (j.states[2].action = "dec")), "inconsistent"],
    ["vars without action", edit((j) => j.vars.shift()), "inconsistent"],
    ["only one of the mbt:: pair in vars", edit((j) => j.vars.pop()), "inconsistent"],
    ["the mbt:: pair not last in vars", edit((j) => j.vars.push(j.vars.splice(1, 1)[0])), "inconsistent"],
    ["an actionTaken that is not a string", edit((j) => (j.states[1]["mbt::actionTaken"] = 1)), "malformed"],
    ["a first actionTaken other than init", edit((j) => (j.states[0]["mbt::actionTaken"] = "inc")), "inconsistent"],
    ["a pick that is no Option", edit((j) => (j.states[1]["mbt::nondetPicks"].by = "X")), "malformed"],
    ["a state naming other picks", edit((j) => (j.states[1]["mbt::nondetPicks"].to = { tag: "Some", value: "Y" })), "inconsistent"],
    ["a pick changed", edit((j) => (j.states[1]["mbt::nondetPicks"].by.value = "Y")), "edited"],
    ["the last state removed", edit((j) => j.states.pop()), "edited"],
    ["the last action and the last state removed (a file with #meta.actions)", legacyEdit((j) => (j["#meta"].actions.pop(), j.states.pop())), "edited"],
    ["a state's action relabelled", edit((j) => (j.states[2].action = "dec")), "edited"],
    ["a state field changed", edit((j) => (j.states[1].x = 7)), "edited"],
    ["a nested state value changed", edit((j) => (j.states[0].log.seen = [true])), "edited"],
    ["a big integer changed", edit((j) => (j.states[2].log.big["#bigint"] = "1")), "edited"],
    ["the states of one step swapped", edit((j) => ([j.states[1].x, j.states[2].x] = [j.states[2].x, j.states[1].x])), "edited"],
    ["the variant changed", edit((j) => (j["#meta"].variant = "v2")), "edited"],
    ["the invariant changed", edit((j) => (j["#meta"].invariant = "other")), "edited"],
    ["a bound changed", edit((j) => (j["#meta"].bounds = "n=3")), "edited"],
    ["a bound changed (a file with a bounds object)", legacyEdit((j) => (j["#meta"].bounds.n = 3)), "edited"],
    ["#meta.actions added to a file without it", edit((j) => (j["#meta"].actions = ["inc", "inc"])), "edited"],
    ["both actions relabelled consistently", legacyEdit((j) => (j["#meta"].actions = ["dec", "dec"], j.states[1].action = "dec", j.states[2].action = "dec")), "edited"],
    ["no digest", edit((j) => delete j["#meta"].digest), "edited"],
    ["an empty digest", edit((j) => (j["#meta"].digest = "")), "edited"],
    ["a digest of the wrong type", edit((j) => (j["#meta"].digest = 5)), "malformed"],
  ])("rejects %s", (_what, text, code) => {
    expect(codeOf(text)).toBe(code);
    const r = decodeTrace(text, "daxmc");
    if (Either.isLeft(r)) expect(r.left.reason).not.toContain("\n");
  });

  it("writes #meta.digest, a sha256 over variant, bounds, invariant, actions and states", () => {
    const json = JSON.parse(encodeTrace(sample()));
    expect(json["#meta"].digest).toMatch(/^[0-9a-f]{64}$/);
    expect(json["#meta"].digest).toBe(traceDigest(json));
  });

  it("accepts an unmodified file however it is laid out: the digest is over sorted keys, not text", () => {
    const json = JSON.parse(encodeTrace(sample()));
    expect(codeOf(JSON.stringify(json))).toBe("ok");
    const reordered = { states: json.states.map((s: object) => Object.fromEntries(Object.entries(s).reverse())), vars: json.vars, "#meta": json["#meta"] };
    expect(codeOf(JSON.stringify(reordered, null, 7))).toBe("ok");
  });

  it("does not cover what a reader does not use: the description and tool may change", () => {
    expect(codeOf(edit((j) => (j["#meta"].description = "reworded")))).toBe("ok");
  });

  it("serialises canonically: keys sorted at every depth, arrays in order", () => {
    expect(canonicalJson({ b: [2, { d: 1, c: "x" }], a: true })).toBe('{"a":true,"b":[2,{"c":"x","d":1}]}');
    expect(canonicalJson({ a: undefined, b: null })).toBe('{"b":null}');
  });

  it("says what an edit is and that the file changed after it was written", () => {
    const r = decodeTrace(edit((j) => (j.states[1].x = 7)), "daxmc");
    expect(Either.isLeft(r) && r.left).toMatchObject({ code: "edited", reason: expect.stringMatching(/digest does not match/), meta: { variant: "v1", invariant: "inv", bounds: { n: 2 } } });
    const none = decodeTrace(edit((j) => delete j["#meta"].digest), "daxmc");
    expect(Either.isLeft(none) && none.left.reason).toMatch(/no #meta\.digest/);
  });

  it("names where a malformed field is", () => {
    const r = decodeTrace(edit((j) => (j.states[1].action = 5)), "daxmc");
    expect(Either.isLeft(r) && r.left.reason).toMatch(/states\[1\]\.action/);
  });
});
