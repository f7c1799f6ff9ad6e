/**
 * Encoding and decoding of counterexample traces in ITF, the Informal Trace Format that Quint
 * and Apalache read. Decoding treats the file as untrusted: every failure is a value with a
 * stable code and a one-line reason.
 */
import { createHash } from "node:crypto";
import * as Either from "effect/Either";
import * as ParseResult from "effect/ParseResult";
import * as Schema from "effect/Schema";
import { type ItfValue, ItfValueSchema, NondetPicksSchema, TraceFileSchema } from "./itf-schema.js";
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

/** Quint's model-based-testing record of the step into a state, as `quint run --mbt` writes it. */
export interface MbtStep {
  /** The action's kind ("fault"; "init" for the initial state): Quint's `mbt::actionTaken`. */
  readonly actionTaken: string;
  /** The parameters the action took (proc, slot, block...): Quint's `mbt::nondetPicks`, where the names it does not take are None. */
  readonly nondetPicks: Readonly<Record<string, ItfValue>>;
}

/** One state of a trace: the action that led to it ("init" for the first) and its variables. */
export interface TraceState {
  readonly action: string;
  readonly values: Readonly<Record<string, ItfValue>>;
  /** The same step in Quint's MBT form; absent in files written before daxmc wrote it. */
  readonly mbt?: MbtStep;
}

/** A trace in memory: `actions[i]` leads from `states[i]` to `states[i + 1]`. */
export interface Trace {
  readonly meta: TraceMeta;
  readonly actions: readonly string[];
  /** Variable names, in the order each state lists them (without "action" and the `mbt::` pair). */
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

/** The action label ITF states carry for the initial state (Quint's `mbt::actionTaken` says "init" too). */
export const INIT_ACTION = "init";

/** Quint's variable for the action taken into a state (see Quint's itf.ts, `ACTION_TAKEN`). */
export const MBT_ACTION_TAKEN = "mbt::actionTaken";
/** Quint's variable for the nondeterministic values that action picked (`NONDET_PICKS`). */
export const MBT_NONDET_PICKS = "mbt::nondetPicks";

/**
 * The trace as ITF JSON text (two-space indented, one trailing newline): integers as
 * `{"#bigint": ...}` in states, and, when the states carry their MBT step, Quint's
 * `mbt::actionTaken` and `mbt::nondetPicks` as the last two variables.
 */
export function encodeTrace(trace: Trace): string {
  checkActions(trace);
  const encodeValue = Schema.encodeSync(ItfValueSchema);
  const mbt = withMbt(trace.states);
  const picks = mbt ? pickNames(trace.states) : [];
  const file = {
    "#meta": {
      format: "ITF",
      "format-description": ITF_DESCRIPTION,
      source: trace.meta.source,
      tool: trace.meta.tool,
      variant: trace.meta.variant,
      bounds: formatMetaBounds(trace.meta.bounds),
      invariant: trace.meta.invariant,
      kind: trace.meta.kind,
      description: trace.meta.description,
      digest: "",
    },
    vars: ["action", ...trace.vars, ...(mbt ? [MBT_ACTION_TAKEN, MBT_NONDET_PICKS] : [])],
    states: trace.states.map((s, index) => {
      const out: Record<string, unknown> = { "#meta": { index }, action: s.action };
      for (const v of trace.vars) out[v] = encodeValue(s.values[v]);
      if (s.mbt !== undefined) Object.assign(out, encodeMbt(s.mbt, picks));
      return out;
    }),
  };
  file["#meta"].digest = traceDigest(file);
  return compactTags(JSON.stringify(file, null, 2)) + "\n";
}

/**
 * Whether `trace.actions` is what its states say (state 0 "init", state i+1 the label of action i):
 * the file keeps only the states' labels, so a trace where the two disagree is a bug in the caller.
 */
function checkActions(trace: Trace): void {
  const labels = trace.states.map((s) => s.action);
  if (labels[0] !== INIT_ACTION || labels.length !== trace.actions.length + 1 || trace.actions.some((a, i) => labels[i + 1] !== a)) {
    throw new TypeError('trace: the states\' action labels must be "init" then the actions');
  }
}

/** A bound's name in `#meta.bounds` text: a word, so that "," and "=" separate. */
const BOUND_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;
/** A bound's value: a decimal integer without leading zeros. */
const BOUND_VALUE = /^-?(?:0|[1-9][0-9]{0,15})$/;

/**
 * `#meta.bounds` as written: `key=value` pairs joined by commas in the object's key order
 * (`files=2,offsets=1,...`, which `--bounds` also parses). A string because itf-rs keeps every `#meta`
 * field it does not know as one (itf-rs 0.3.0, src/trace.rs: `Meta.other: BTreeMap<String, String>`).
 * Bounds are named integers; anything else is a bug in the caller.
 */
export function formatMetaBounds(bounds: Readonly<Record<string, ItfValue>>): string {
  return Object.entries(bounds)
    .map(([k, v]) => {
      if (!BOUND_NAME.test(k) || typeof v !== "number" || !Number.isSafeInteger(v)) {
        throw new TypeError(`trace: bound ${JSON.stringify(k)} is not a name with an integer value`);
      }
      return `${k}=${v}`;
    })
    .join(",");
}

/** Reads `formatMetaBounds` text back (untrusted): Left is a one-line reason. */
export function parseMetaBounds(text: string): Either.Either<Record<string, number>, string> {
  const bounds: Record<string, number> = {};
  if (text === "") return Either.right(bounds);
  for (const part of text.split(",")) {
    const eq = part.indexOf("=");
    const [key, value] = eq < 0 ? [part, ""] : [part.slice(0, eq), part.slice(eq + 1)];
    if (!BOUND_NAME.test(key) || !BOUND_VALUE.test(value) || !Number.isSafeInteger(Number(value))) {
      return Either.left(`#meta.bounds is not name=integer pairs joined by commas (at ${JSON.stringify(part.slice(0, 40))})`);
    }
    if (Object.hasOwn(bounds, key)) return Either.left(`#meta.bounds names ${JSON.stringify(key)} twice`);
    bounds[key] = Number(value);
  }
  return Either.right(bounds);
}

/** A scalar JSON value, or an object already put on one line. */
const INLINE = String.raw`(?:"(?:[^"\\]|\\.)*"|-?\d+|true|false|null|\{ [^\n]* \})`;
const BIGINT_BLOCK = new RegExp(String.raw`\{\n\s*("#bigint": "-?\d+")\n\s*\}`, "g");
const UNIT_BLOCK = /\{\n\s*"#tup": \[\]\n\s*\}/g;
const OPTION_BLOCK = new RegExp(String.raw`\{\n\s*("tag": "(?:Some|None)"),\n\s*("value": ${INLINE})\n\s*\}`, "g");

/**
 * Indented JSON with ITF's small tagged values each on one line (`{ "#bigint": "3" }`, `{ "tag": "None", "value": { "#tup": [] } }`):
 * the same JSON, a sixth smaller and easier to read. Safe on any text JSON.stringify indents, since string literals never hold a raw newline.
 */
function compactTags(json: string): string {
  return json
    .replace(BIGINT_BLOCK, "{ $1 }")
    .replace(UNIT_BLOCK, '{ "#tup": [] }')
    .replace(OPTION_BLOCK, "{ $1, $2 }");
}

/** Whether every state carries its MBT step (a mix is a bug in the caller: the vars would lie for some states). */
function withMbt(states: readonly TraceState[]): boolean {
  const n = states.filter((s) => s.mbt !== undefined).length;
  if (n !== 0 && n !== states.length) throw new TypeError("trace: either every state carries its MBT step or none does");
  return n !== 0;
}

/** Every parameter name any step picks, sorted, as Quint lists `mbt::nondetPicks` fields. */
function pickNames(states: readonly TraceState[]): string[] {
  return [...new Set(states.flatMap((s) => Object.keys(s.mbt?.nondetPicks ?? {})))].sort();
}

/** The two `mbt::` fields of a state: each pick name as Some(value) or None. */
function encodeMbt(step: MbtStep, picks: readonly string[]): Record<string, unknown> {
  const options = Object.fromEntries(
    picks.map((name) => {
      const v = step.nondetPicks[name];
      return [name, v === undefined ? { tag: "None" as const, value: { "#tup": [] as const } } : { tag: "Some" as const, value: v }];
    }),
  );
  return { [MBT_ACTION_TAKEN]: step.actionTaken, [MBT_NONDET_PICKS]: Schema.encodeSync(NondetPicksSchema)(options) };
}

/** The parts of a trace file (as JSON) that `#meta.digest` covers. */
export interface DigestedContent {
  readonly "#meta": {
    readonly variant: unknown;
    readonly bounds: unknown;
    readonly invariant: unknown;
    /** Only in files written before `#meta.actions` was dropped; left out of the digest when absent. */
    readonly actions?: unknown;
  };
  readonly states: unknown;
}

/**
 * The sha256 (hex) of the trace's content as JSON: variant, bounds, invariant, actions and
 * states, serialised with object keys sorted so the digest does not depend on key order or
 * layout. Written into `#meta.digest`; a file whose digest does not match was edited. It covers
 * the fields as the file holds them: in files written since itf-rs compatibility, bounds is the
 * string and there is no actions field (the states' `action` labels are covered with the states);
 * older files, with a bounds object and an actions array, verify as they always did.
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
  const split = splitVars(allVars.slice(1));
  if (Either.isLeft(split)) return Either.left(split.left);
  const { vars, mbt } = split.right;
  const known = new Set([...vars, ...(mbt ? [MBT_ACTION_TAKEN, MBT_NONDET_PICKS] : [])]);
  if (m.actions !== undefined && states.length !== m.actions.length + 1) {
    return fail("inconsistent", `${m.actions.length} actions but ${states.length} states (expected ${m.actions.length + 1})`);
  }
  const bounds = typeof m.bounds === "string" ? parseMetaBounds(m.bounds) : Either.right(m.bounds);
  if (Either.isLeft(bounds)) return fail("malformed", bounds.left);
  const out: TraceState[] = [];
  let pickNamesOf0: string | undefined;
  for (const [i, s] of states.entries()) {
    if (s["#meta"].index !== i) return fail("inconsistent", `state ${i} has #meta.index ${s["#meta"].index}`);
    if (i === 0 && s.action !== INIT_ACTION) return fail("inconsistent", `state 0 says action ${JSON.stringify(s.action)}, not "init"`);
    const expected = i === 0 || m.actions === undefined ? s.action : m.actions[i - 1];
    if (s.action !== expected) {
      return fail("inconsistent", `state ${i} says action ${JSON.stringify(s.action)} but #meta.actions has ${JSON.stringify(expected)}`);
    }
    const extra = Object.keys(s).find((k) => k !== "#meta" && k !== "action" && !known.has(k));
    if (extra !== undefined) return fail("inconsistent", `state ${i} has field ${JSON.stringify(extra)}, which is not in vars`);
    const values: Record<string, ItfValue> = {};
    for (const v of vars) {
      if (!(v in s)) return fail("malformed", `state ${i} lacks variable ${JSON.stringify(v)}`);
      const value = Schema.decodeUnknownEither(ItfValueSchema)(s[v]);
      if (Either.isLeft(value)) return fail("malformed", `state ${i}, variable ${JSON.stringify(v)}: not an ITF value`);
      values[v] = value.right;
    }
    if (!mbt) {
      out.push({ action: s.action, values });
      continue;
    }
    const step = decodeMbt(s, i);
    if (Either.isLeft(step)) return Either.left(step.left);
    pickNamesOf0 ??= step.right.names;
    if (step.right.names !== pickNamesOf0) return fail("inconsistent", `state ${i}: ${MBT_NONDET_PICKS} names other fields than state 0`);
    out.push({ action: s.action, values, mbt: step.right.step });
  }
  const { format: _f, "format-description": _d, digest: _g, actions: _a, bounds: _b, ...rest } = m;
  // Files without #meta.actions: the actions are the states' labels after "init".
  return Either.right({ meta: { ...rest, bounds: bounds.right }, actions: out.slice(1).map((s) => s.action), vars, states: out });
}

/** The model's variables, and whether Quint's `mbt::` pair ends the list (files written before it have neither). */
function splitVars(vars: readonly string[]): Either.Either<{ vars: readonly string[]; mbt: boolean }, TraceError> {
  const mbtAt = vars.findIndex((v) => v === MBT_ACTION_TAKEN || v === MBT_NONDET_PICKS);
  if (mbtAt === -1) return Either.right({ vars, mbt: false });
  if (mbtAt !== vars.length - 2 || vars[mbtAt] !== MBT_ACTION_TAKEN || vars[mbtAt + 1] !== MBT_NONDET_PICKS) {
    return fail("inconsistent", `vars must end with "${MBT_ACTION_TAKEN}", "${MBT_NONDET_PICKS}" when they name either`);
  }
  return Either.right({ vars: vars.slice(0, mbtAt), mbt: true });
}

/** A state's MBT step, and its pick names joined (every state must name the same ones: Quint lists all of them in each state). */
function decodeMbt(s: Readonly<Record<string, unknown>>, i: number): Either.Either<{ step: MbtStep; names: string }, TraceError> {
  const taken = s[MBT_ACTION_TAKEN];
  if (typeof taken !== "string") return fail("malformed", `state ${i}: ${MBT_ACTION_TAKEN} is not a string`);
  if (i === 0 && taken !== INIT_ACTION) return fail("inconsistent", `state 0 says ${MBT_ACTION_TAKEN} ${JSON.stringify(taken)}, not "init"`);
  const picks = Schema.decodeUnknownEither(NondetPicksSchema)(s[MBT_NONDET_PICKS]);
  if (Either.isLeft(picks)) return fail("malformed", `state ${i}: ${MBT_NONDET_PICKS} is not a record of Some/None values`);
  const names = JSON.stringify(Object.keys(picks.right).sort());
  const nondetPicks: Record<string, ItfValue> = {};
  for (const [k, o] of Object.entries(picks.right)) if (o.tag === "Some") nondetPicks[k] = o.value;
  return Either.right({ step: { actionTaken: taken, nondetPicks }, names });
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

/** The first problem Schema found, as `at path: message` (shared with the shard result reader). */
export function firstIssue(error: ParseResult.ParseError): string {
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
