import { readFileSync } from "node:fs";
import fc from "fast-check";
import * as Either from "effect/Either";
import * as Schema from "effect/Schema";
import { describe, expect, it } from "vitest";
import { type TraceError, decodeTrace, traceDigest } from "../../src/trace/itf.js";
import { ItfValueSchema, MAX_BIGINT_DIGITS } from "../../src/trace/itf-schema.js";
import { MAX_JSON_DEPTH, MAX_JSON_ITEMS, MAX_JSON_NUMBER_CHARS, MAX_JSON_STRING_CHARS, checkJsonShape } from "../../src/trace/json-limits.js";
import { MAX_REASON_CHARS, oneLine } from "../../src/trace/reason.js";

const SAVED = "counterexamples/v4.18/no_warn_truncate_busy.itf.json";
const saved = readFileSync(SAVED, "utf8");
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

function failure(text: string): TraceError | undefined {
  const r = decodeTrace(text, "daxmc");
  return Either.isLeft(r) ? r.left : undefined;
}

/** The saved trace with `f` applied to its JSON and the digest recomputed, so only the edit is wrong. */
function resigned(f: (json: any) => void): string {
  const json = JSON.parse(saved);
  f(json);
  json["#meta"].digest = traceDigest(json);
  return JSON.stringify(json);
}

const nested = (depth: number): string => "[".repeat(depth) + "]".repeat(depth);

describe("checkJsonShape", () => {
  it("accepts daxmc's own trace", () => {
    expect(checkJsonShape(saved)).toBeUndefined();
  });

  it("bounds nesting at MAX_JSON_DEPTH", () => {
    expect(MAX_JSON_DEPTH).toBe(64);
    expect(checkJsonShape(nested(64))).toBeUndefined();
    expect(checkJsonShape(nested(65))).toEqual({ code: "too-deep", reason: "it nests deeper than 64 levels (at character 64)" });
    expect(checkJsonShape(`{"a":${nested(70)}}`)).toMatchObject({ code: "too-deep" });
  });

  it("skips brackets, quotes and escapes inside strings", () => {
    expect(checkJsonShape(JSON.stringify({ s: `\\"${"[{".repeat(200)}\\\\"` }))).toBeUndefined();
    expect(checkJsonShape(JSON.stringify(["\\", "[".repeat(100)]))).toBeUndefined();
    expect(checkJsonShape(`["\\\\"${"[".repeat(100)}`)).toMatchObject({ code: "too-deep" });
    expect(checkJsonShape(`"unterminated ${"[".repeat(100)}`)).toBeUndefined();
  });

  it("finds exactly the depth of any JSON value, whatever quotes and backslashes its strings hold", () => {
    const depthOf = (v: unknown): number => (typeof v === "object" && v !== null ? 1 + Math.max(0, ...Object.values(v).map(depthOf)) : 0);
    const text = fc.string({ unit: fc.constantFrom('"', "\\", "[", "]", "{", "}", ",", "a"), maxLength: 12 });
    const value = fc.jsonValue({ maxDepth: 4, stringUnit: fc.constantFrom('"', "\\", "[", "{", "a") });
    fc.assert(
      fc.property(value, fc.nat(70), text, (v, levels, key) => {
        let nested: unknown = v;
        for (let i = 0; i < levels; i++) nested = i % 2 === 0 ? [nested] : { [key]: nested };
        expect(checkJsonShape(JSON.stringify(nested))?.code === "too-deep").toBe(depthOf(nested) > MAX_JSON_DEPTH);
      }),
      { numRuns: 1000 },
    );
  });

  it("bounds string literals at MAX_JSON_STRING_CHARS", () => {
    expect(checkJsonShape(JSON.stringify("x".repeat(MAX_JSON_STRING_CHARS)))).toBeUndefined();
    expect(checkJsonShape(JSON.stringify(["x".repeat(MAX_JSON_STRING_CHARS + 1)]))).toEqual({
      code: "too-large",
      reason: "it has a string longer than 65536 characters (at character 1)",
    });
  });

  it("bounds number literals at MAX_JSON_NUMBER_CHARS", () => {
    expect(checkJsonShape(`[${"9".repeat(MAX_JSON_NUMBER_CHARS)}]`)).toBeUndefined();
    expect(checkJsonShape(`[-${"9".repeat(MAX_JSON_NUMBER_CHARS)}]`)).toEqual({ code: "too-large", reason: "it has a number longer than 32 characters (at character 1)" });
    expect(checkJsonShape(`[1e${"0".repeat(40)}]`)).toMatchObject({ code: "too-large" });
  });

  it("bounds the number of items at MAX_JSON_ITEMS", () => {
    const items = (n: number): string => `[${"0,".repeat(n - 1)}0]`;
    expect(checkJsonShape(items(MAX_JSON_ITEMS))).toBeUndefined();
    expect(checkJsonShape(items(MAX_JSON_ITEMS + 1))).toMatchObject({ code: "too-large", reason: expect.stringMatching(/^it has more than 4000000 items/) });
  });
});

describe("decodeTrace on hostile input", () => {
  it("accepts the saved trace, also with a byte order mark", () => {
    expect(Either.isRight(decodeTrace(saved, "daxmc"))).toBe(true);
    expect(Either.isRight(decodeTrace(`\uFEFF${saved}`, "daxmc"))).toBe(true);
    expect(failure("\uFEFF")).toEqual({ code: "truncated", reason: "the file is empty" });
  });

  it("refuses 2,500-deep nesting inside #meta.bounds as too deep, before any recursion", () => {
    const text = saved.replace('"bounds": ', `"bounds": {"deep": ${nested(2500)}}, "was": `);
    const at = text.indexOf('"deep"') + 8 + MAX_JSON_DEPTH - 3;
    expect(failure(text)).toEqual({ code: "too-deep", reason: `it nests deeper than 64 levels (at character ${at})` });
  });

  it("refuses a 20-million-digit #bigint", () => {
    const text = resigned((j) => (j["#meta"].bounds = { files: 2, big: { "#bigint": "7".repeat(20_000_000) } }));
    expect(failure(text)).toMatchObject({ code: "too-large", reason: expect.stringMatching(/string longer than 65536/) });
  });

  it("refuses a #bigint longer than MAX_BIGINT_DIGITS, and accepts one of exactly that length", () => {
    expect(failure(resigned((j) => (j["#meta"].bounds = { files: 2, big: { "#bigint": "7".repeat(MAX_BIGINT_DIGITS + 1) } })))).toMatchObject({ code: "malformed" });
    expect(failure(resigned((j) => (j.states[1].pages = { "#bigint": "7".repeat(MAX_BIGINT_DIGITS + 1) })))).toMatchObject({ code: "malformed" });
    expect(failure(resigned((j) => (j["#meta"].bounds = { files: 2, big: { "#bigint": `-${"7".repeat(MAX_BIGINT_DIGITS)}` } })))).toBeUndefined();
  });

  it("says nested values that are not ITF values are malformed, with the failing place", () => {
    expect(failure(resigned((j) => (j["#meta"].bounds = { files: 2, x: { a: [1, { b: 1.5 }] } })))).toMatchObject({ code: "malformed", reason: expect.stringMatching(/^at #meta\.bounds\.x: /) });
  });

  it("escapes control characters in reasons and keeps them short", () => {
    const c1 = failure("\u0001\u0007\u009b[31m hello");
    expect(c1).toMatchObject({ code: "not-json", reason: expect.stringContaining("\\x01") });
    expect(c1?.reason).not.toMatch(CONTROL);
    const long = failure(resigned((j) => (j["#meta"].variant = ["\u009b\u0085".repeat(1000)])));
    expect(long?.code).toBe("malformed");
    expect(long?.reason).toMatch(/^at #meta\.variant: Expected string, actual \["\\x9b\\x85\\x9b/);
    expect(long?.reason).toHaveLength(MAX_REASON_CHARS);
    expect(long?.reason.endsWith("…")).toBe(true);
    expect(long?.reason).not.toMatch(CONTROL);
  });

  it("classifies a cut-off file as truncated wherever it is cut", () => {
    for (const cut of [1, 2, 20, 150, 600, saved.length - 3]) expect(failure(saved.slice(0, cut))?.code).toBe("truncated");
    expect(failure("[1,]")?.code).toBe("not-json");
  });

  it("turns an unexpected exception into a malformed Left instead of throwing", () => {
    expect(failure(42 as unknown as string)).toMatchObject({ code: "malformed", reason: expect.stringMatching(/^it could not be decoded \(TypeError: /) });
  });
});

describe("the ITF value schema's bounds", () => {
  const decode = Schema.decodeUnknownEither(ItfValueSchema);
  const validate = Schema.validateEither(ItfValueSchema);

  it("refuses a 20-million-digit #bigint before converting it", () => {
    expect(Either.isLeft(decode({ "#bigint": "7".repeat(20_000_000) }))).toBe(true);
  });

  it("refuses records with ITF's reserved # keys instead of reading them as plain records", () => {
    expect(Either.isLeft(decode({ "#bigint": "twelve" }))).toBe(true);
    expect(Either.isLeft(decode({ "#tup": [1, 2] }))).toBe(true);
    expect(decode({ tup: [1, 2] })).toEqual(Either.right({ tup: [1, 2] }));
  });

  it("bounds big integers on the way in too, so nothing is written that cannot be read", () => {
    expect(Either.isRight(validate(10n ** 100n - 1n))).toBe(true);
    expect(Either.isLeft(validate(10n ** 100n))).toBe(true);
    expect(Either.isLeft(validate(-(10n ** 100n)))).toBe(true);
  });
});

describe("oneLine", () => {
  it("escapes C0 and C1 controls and line separators", () => {
    expect(oneLine("a\nb\tc\u007f\u009b\u2028")).toBe("a\\x0ab\\x09c\\x7f\\x9b\\u2028");
  });

  it("cuts at MAX_REASON_CHARS with an ellipsis, never inside a surrogate pair", () => {
    expect(oneLine("x".repeat(200))).toBe("x".repeat(200));
    expect(oneLine("x".repeat(201))).toBe(`${"x".repeat(199)}…`);
    expect(oneLine(`${"x".repeat(198)}\u{1F600}y`)).toBe(`${"x".repeat(198)}…`);
    expect(oneLine("\n".repeat(100))).toBe(`${"\\x0a".repeat(49)}\\x0…`);
  });
});
