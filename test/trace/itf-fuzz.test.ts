import { readFileSync } from "node:fs";
import fc from "fast-check";
import * as Either from "effect/Either";
import { describe, expect, it } from "vitest";
import { type Trace, type TraceErrorCode, decodeTrace, encodeTrace, formatMetaBounds, traceDigest } from "../../src/trace/itf.js";
import { MAX_JSON_DEPTH, checkJsonShape } from "../../src/trace/json-limits.js";
import { MAX_REASON_CHARS } from "../../src/trace/reason.js";

const saved = readFileSync("counterexamples/v4.18/no_warn_truncate_busy.itf.json", "utf8");
const CODES: ReadonlySet<TraceErrorCode> = new Set<TraceErrorCode>(["truncated", "not-json", "not-itf", "foreign", "malformed", "inconsistent", "edited", "too-deep", "too-large"]);
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/**
 * Decodes `text` and checks the contract: no throw, a known code, one short printable line; a Right
 * re-encodes to itself (unless re-encoding nests too deep: a legacy file's plain integers become
 * `{"#bigint": ...}`, one level deeper, so a file at the depth limit re-encodes past it).
 */
function decodeChecked(text: string): TraceErrorCode | "ok" {
  const r = decodeTrace(text, "daxmc");
  if (Either.isRight(r)) {
    // Files from before itf-rs compatibility may hold bounds of any ITF value, which the name=value string cannot.
    if (!writable(r.right.meta.bounds)) return "ok";
    const again = encodeTrace(r.right);
    if (checkJsonShape(again)?.code !== "too-deep") expect(decodeTrace(again, "daxmc")).toEqual(Either.right<Trace>(r.right));
    return "ok";
  }
  expect(CODES.has(r.left.code)).toBe(true);
  expect(r.left.reason.length).toBeGreaterThan(0);
  expect(r.left.reason.length).toBeLessThanOrEqual(MAX_REASON_CHARS);
  expect(r.left.reason).not.toMatch(UNPRINTABLE);
  return r.left.code;
}

function writable(bounds: Trace["meta"]["bounds"]): boolean {
  try {
    formatMetaBounds(bounds);
    return true;
  } catch {
    return false;
  }
}

function depthOf(v: unknown): number {
  if (typeof v !== "object" || v === null) return 0;
  return 1 + Math.max(0, ...Object.values(v).map(depthOf));
}

/** Every [container, key] in `json`, parents before children. */
function slots(json: unknown, out: [any, string | number][] = []): [any, string | number][] {
  if (typeof json === "object" && json !== null) {
    for (const [k, v] of Object.entries(json)) {
      out.push([json, Array.isArray(json) ? Number(k) : k]);
      slots(v, out);
    }
  }
  return out;
}

/** The saved trace with the value at slot `at` replaced by `f(value)`, its digest recomputed. */
function rewritten(at: number, f: (v: unknown) => unknown): { text: string; json: any } {
  const json = JSON.parse(saved);
  const all = slots(json);
  const [parent, key] = all[at % all.length];
  parent[key] = f(parent[key]);
  const meta = json["#meta"];
  if (typeof meta === "object" && meta !== null) meta.digest = traceDigest(json);
  return { text: JSON.stringify(json), json };
}

const jsonish = fc.string({ unit: fc.constantFrom(..."{}[]\",:\\0123456789-+eE. tfnul#\uFEFF\u0000\u009b"), maxLength: 300 });
const anyText = fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: "binary", maxLength: 300 }), jsonish);
const position = fc.nat({ max: saved.length });

describe("decodeTrace never throws and always answers with a known code and a short, printable reason", () => {
  it("on random text", () => {
    fc.assert(fc.property(anyText, (text) => void decodeChecked(text)), { numRuns: 3000 });
  });

  it("on random JSON: not ITF, unless it breaks a limit first", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value);
        expect(decodeChecked(text)).toBe(checkJsonShape(text)?.code ?? "not-itf");
      }),
      { numRuns: 2000 },
    );
  });

  it("on the saved trace cut short: truncated", () => {
    const end = saved.trimEnd().length;
    fc.assert(fc.property(fc.nat({ max: end - 1 }), (cut) => void expect(decodeChecked(saved.slice(0, cut))).toBe("truncated")), { numRuns: 1000 });
  });

  it("on the saved trace with characters replaced, inserted or duplicated", () => {
    const edit = fc.oneof(
      fc.tuple(position, fc.string({ unit: "binary", minLength: 1, maxLength: 1 })).map(([at, c]) => saved.slice(0, at) + c + saved.slice(at + 1)),
      fc.tuple(position, anyText).map(([at, s]) => saved.slice(0, at) + s + saved.slice(at)),
      fc.tuple(position, position, position).map(([a, b, at]) => saved.slice(0, at) + saved.slice(Math.min(a, b), Math.max(a, b)) + saved.slice(at)),
    );
    fc.assert(fc.property(edit, (text) => void decodeChecked(text)), { numRuns: 2000 });
  });

  it("on the saved trace with a value nested in lists, re-signed: too deep exactly when deeper than MAX_JSON_DEPTH", () => {
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 1, max: 100 }), (at, levels) => {
        const { text, json } = rewritten(at, (v) => Array.from({ length: levels }).reduce<unknown>((inner) => [inner], v));
        const code = decodeChecked(text);
        expect(code === "too-deep").toBe(depthOf(json) > MAX_JSON_DEPTH);
      }),
      { numRuns: 500 },
    );
  });

  it("on the saved trace with a value replaced by random JSON, re-signed", () => {
    fc.assert(fc.property(fc.nat(), fc.jsonValue(), (at, value) => void decodeChecked(rewritten(at, () => value).text)), { numRuns: 1000 });
  });
});
