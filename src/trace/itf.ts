/**
 * Encoding and decoding of counterexample traces in ITF, the Informal Trace Format that Quint
 * and Apalache read. Decoding treats the file as untrusted: every failure is a value with a
 * stable code and a one-line reason.
 */
import { createHash } from "node:crypto";
import * as Either from "effect/Either";
import * as ParseResult from "effect/ParseResult";
import * as Schema from "effect/Schema";
import { type ItfValue, ItfValueSchema, TraceFileSchema } from "./itf-schema.js";
import { checkJsonShape } from "./json-limits.js";
import { MAX_TRACE_BYTES } from "./read.js";
import { oneLine } from "./reason.js";

export type { ItfValue } from "./itf-schema.js";

/** Where ITF is specified; written into every file. */
export const ITF_DESCRIPTION = "https://apalache-mc.org/docs/adr/015adr-trace.html";

/** What a trace records about its origin. */
export interface TraceMeta {
  /** The program that wrote it (files from any other source are refused). */
  readonly source: string;
  /** Program name and version. */
  readonly tool: string;
  readonly variant: string;
  readonly bounds: Readonly<Record<string, ItfValue>>;
  /** The property the trace violates. */
  readonly invariant: string;
  readonly kind: "violation";
  readonly description: string;
}

/** One state of a trace: the action that led to it ("init" for the first) and its variables. */
export interface TraceState {
  readonly action: string;
  readonly values: Readonly<Record<string, ItfValue>>;
}

/** A trace in memory: `actions[i]` leads from `states[i]` to `states[i + 1]`. */
export interface Trace {
  readonly meta: TraceMeta;
  readonly actions: readonly string[];
  /** Variable names, in the order each state lists them (without "action"). */
  readonly vars: readonly string[];
  readonly states: readonly TraceState[];
}

/** Why a file is not a usable trace. */
export type TraceErrorCode =
  /** The file is empty or ends in the middle of the JSON. */
  | "truncated"
  /** The file is not JSON at all. */
  | "not-json"
  /** The JSON has no ITF `#meta` with `format: "ITF"`. */
  | "not-itf"
  /** An ITF trace written by another program. */
  | "foreign"
  /** A field is missing or has the wrong type. */
  | "malformed"
  /** The fields disagree with each other (indices, actions, variables). */
  | "inconsistent"
  /** `#meta.digest` is missing or does not match the content: the file was changed after it was written. */
  | "edited"
  /** Arrays and objects nest deeper than `MAX_JSON_DEPTH`. */
  | "too-deep"
  /** The text, one string or number in it, or its count of items exceeds a limit (see json-limits.ts). */
  | "too-large";

/** A decoding failure, as data. */
export interface TraceError {
  readonly code: TraceErrorCode;
  /** One line of at most `MAX_REASON_CHARS` characters, control characters escaped. */
  readonly reason: string;
  /** For "edited": what the file claims to be (variant, bounds, invariant), so the caller can name the re-run. */
  readonly meta?: TraceMeta;
}

/** The action label ITF states carry for the initial state. */
export const INIT_ACTION = "init";

/** The trace as ITF JSON text (two-space indented, one trailing newline). */
export function encodeTrace(trace: Trace): string {
  const encodeValue = Schema.encodeSync(ItfValueSchema);
  const file = {
    "#meta": {
      format: "ITF",
      "format-description": ITF_DESCRIPTION,
      source: trace.meta.source,
      tool: trace.meta.tool,
      variant: trace.meta.variant,
      bounds: encodeValue(trace.meta.bounds),
      invariant: trace.meta.invariant,
      kind: trace.meta.kind,
      actions: trace.actions,
      description: trace.meta.description,
      digest: "",
    },
    vars: ["action", ...trace.vars],
    states: trace.states.map((s, index) => {
      const out: Record<string, unknown> = { "#meta": { index }, action: s.action };
      for (const v of trace.vars) out[v] = encodeValue(s.values[v]);
      return out;
    }),
  };
  file["#meta"].digest = traceDigest(file);
  return JSON.stringify(file, null, 2) + "\n";
}

/** The parts of a trace file (as JSON) that `#meta.digest` covers. */
export interface DigestedContent {
  readonly "#meta": {
    readonly variant: unknown;
    readonly bounds: unknown;
    readonly invariant: unknown;
    readonly actions: unknown;
  };
  readonly states: unknown;
}

/**
 * The sha256 (hex) of the trace's content as JSON: variant, bounds, invariant, actions and
 * states, serialised with object keys sorted so the digest does not depend on key order or
 * layout. Written into `#meta.digest`; a file whose digest does not match was edited.
 */
export function traceDigest(file: DigestedContent): string {
  const m = file["#meta"];
  const content = { variant: m.variant, bounds: m.bounds, invariant: m.invariant, actions: m.actions, states: file.states };
  return createHash("sha256").update(canonicalJson(content)).digest("hex");
}

/** JSON text with every object's keys sorted (arrays keep their order); undefined fields are left out, as JSON.stringify does. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const record = value as Record<string, unknown>;
    const fields = Object.keys(record)
      .filter((k) => record[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`);
    return `{${fields.join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** Decodes untrusted ITF text written by `source`; never throws: Left is a coded, one-line, bounded reason. */
export function decodeTrace(text: string, source: string): Either.Either<Trace, TraceError> {
  let result: Either.Either<Trace, TraceError>;
  try {
    result = decodeText(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, source);
  } catch (e) {
    // A last line of defence (a stack overflow, a bug): the limits below should make it unreachable.
    result = fail("malformed", `it could not be decoded (${describeThrown(e)})`);
  }
  return Either.mapLeft(result, (e) => ({ ...e, reason: oneLine(e.reason) }));
}

function decodeText(text: string, source: string): Either.Either<Trace, TraceError> {
  if (text.length > MAX_TRACE_BYTES) return fail("too-large", `it is longer than ${MAX_TRACE_BYTES} characters`);
  const limit = checkJsonShape(text);
  if (limit !== undefined) return fail(limit.code, limit.reason);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return Either.left(parseFailure(text, e));
  }
  return decodeJson(json, source);
}

/** Decodes parsed JSON whose depth and literal sizes `checkJsonShape` has bounded. */
function decodeJson(json: unknown, source: string): Either.Either<Trace, TraceError> {
  const meta = isRecord(json) ? json["#meta"] : undefined;
  if (!isRecord(meta) || meta.format !== "ITF") {
    return fail("not-itf", 'no "#meta" with format "ITF": this is not an ITF trace');
  }
  if (meta.source !== source) {
    const by = typeof meta.source === "string" ? JSON.stringify(meta.source.slice(0, 100)) : "an unnamed tool";
    return fail("foreign", `an ITF trace written by ${by}, not ${source}`);
  }
  const decoded = Schema.decodeUnknownEither(TraceFileSchema, { errors: "first" })(json);
  if (Either.isLeft(decoded)) return fail("malformed", firstIssue(decoded.left));
  const trace = fromFile(decoded.right);
  if (Either.isLeft(trace)) return trace;
  const digest = decoded.right["#meta"].digest;
  if (digest === undefined) {
    return Either.left({ code: "edited", reason: "it has no #meta.digest, so it cannot be shown to be unedited", meta: trace.right.meta });
  }
  // The raw JSON, not the decoded copy: the digest covers exactly what the file says.
  if (digest !== traceDigest(json as DigestedContent)) {
    return Either.left({ code: "edited", reason: "its #meta.digest does not match its content: the file was changed after daxmc wrote it", meta: trace.right.meta });
  }
  return trace;
}

function fromFile(file: typeof TraceFileSchema.Type): Either.Either<Trace, TraceError> {
  const { "#meta": m, vars: allVars, states } = file;
  if (allVars[0] !== "action") return fail("inconsistent", 'vars must start with "action"');
  const vars = allVars.slice(1);
  const varSet = new Set(vars);
  if (states.length !== m.actions.length + 1) {
    return fail("inconsistent", `${m.actions.length} actions but ${states.length} states (expected ${m.actions.length + 1})`);
  }
  const out: TraceState[] = [];
  for (const [i, s] of states.entries()) {
    const expected = i === 0 ? INIT_ACTION : m.actions[i - 1];
    if (s["#meta"].index !== i) return fail("inconsistent", `state ${i} has #meta.index ${s["#meta"].index}`);
    if (s.action !== expected) {
      return fail("inconsistent", `state ${i} says action ${JSON.stringify(s.action)} but #meta.actions has ${JSON.stringify(expected)}`);
    }
    const extra = Object.keys(s).find((k) => k !== "#meta" && k !== "action" && !varSet.has(k));
    if (extra !== undefined) return fail("inconsistent", `state ${i} has field ${JSON.stringify(extra)}, which is not in vars`);
    const values: Record<string, ItfValue> = {};
    for (const v of vars) {
      if (!(v in s)) return fail("malformed", `state ${i} lacks variable ${JSON.stringify(v)}`);
      const value = Schema.decodeUnknownEither(ItfValueSchema)(s[v]);
      if (Either.isLeft(value)) return fail("malformed", `state ${i}, variable ${JSON.stringify(v)}: not an ITF value`);
      values[v] = value.right;
    }
    out.push({ action: s.action, values });
  }
  const { format: _f, "format-description": _d, digest: _g, actions, ...meta } = m;
  return Either.right({ meta, actions, vars, states: out });
}

function parseFailure(text: string, e: unknown): TraceError {
  const message = e instanceof Error ? e.message : String(e);
  if (text.trim() === "") return { code: "truncated", reason: "the file is empty" };
  if (/end of JSON input|Unterminated/i.test(message) || failsAtEnd(text, message)) {
    return { code: "truncated", reason: "the JSON ends early: the file is truncated" };
  }
  return { code: "not-json", reason: `not JSON (${message.split("\n")[0]})` };
}

/** Whether JSON.parse's error is at the end of the text ("Expected ',' or '}' ... at position N"): a cut-off file. */
function failsAtEnd(text: string, message: string): boolean {
  const at = /in JSON at position (\d+)(?: \(line \d+ column \d+\))?$/.exec(message);
  return at !== null && Number(at[1]) >= text.trimEnd().length;
}

function describeThrown(e: unknown): string {
  try {
    return e instanceof Error ? `${e.name}: ${e.message}` : typeof e;
  } catch {
    return "an unprintable exception";
  }
}

function firstIssue(error: ParseResult.ParseError): string {
  const issue = ParseResult.ArrayFormatter.formatErrorSync(error)[0];
  if (issue === undefined) return "does not match the ITF trace layout";
  const path = issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("");
  return `at ${path === "" ? "top level" : path.slice(path.startsWith(".") ? 1 : 0)}: ${issue.message.split("\n")[0]}`;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

function fail(code: TraceErrorCode, reason: string): Either.Either<never, TraceError> {
  return Either.left({ code, reason });
}
