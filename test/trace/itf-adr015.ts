/**
 * The Informal Trace Format as ADR-015 specifies it (https://apalache-mc.org/docs/adr/015adr-trace.html,
 * apalache-mc/apalache docs/src/adr/015adr-trace.md), written as effect Schemas independently of
 * daxmc's own decoder, plus the conventions Quint's reader (quint/src/itf.ts, `ofItf`) adds.
 * Neither project publishes a JSON Schema; the ADR calls one "a heavy-weight solution" for now.
 */
import * as Either from "effect/Either";
import * as ParseResult from "effect/ParseResult";
import * as Schema from "effect/Schema";

/** Quint's variables for model-based testing (quint/src/itf.ts: ACTION_TAKEN, NONDET_PICKS). */
export const ACTION_TAKEN = "mbt::actionTaken";
export const NONDET_PICKS = "mbt::nondetPicks";

type Expr = unknown;

/**
 * ADR-015 "Expressions": booleans, strings, `{"#bigint": "[-][0-9]+"}`, lists, `#tup`, `#set`,
 * `#map` (pairs), records (field names not starting with `#`), variants `{"tag", "value"}` and
 * `#unserializable`. "Big and small integers must be written" as `#bigint`; `plainIntegers` also
 * takes JSON integers, as Quint's ofItf, itf-rs (`Value::Number`) and Apalache's ItfJsonToTla do
 * for older traces.
 */
function exprSchema(plainIntegers: boolean): Schema.Schema<Expr> {
  const expr: Schema.Schema<Expr> = Schema.suspend(() => self);
  const list = Schema.Array(expr);
  const self: Schema.Schema<Expr> = Schema.Union(
    Schema.Boolean,
    Schema.String,
    ...(plainIntegers ? [Schema.Int] : []),
    Schema.Struct({ "#bigint": Schema.String.pipe(Schema.pattern(/^-?[0-9]+$/)) }),
    list,
    Schema.Struct({ "#tup": list }),
    Schema.Struct({ "#set": list }),
    Schema.Struct({ "#map": Schema.Array(Schema.Tuple(expr, expr)) }),
    Schema.Struct({ "#unserializable": Schema.String }),
    Schema.Struct({ tag: Schema.String, value: expr }),
    Schema.Record({ key: Schema.String.pipe(Schema.filter((k) => !k.startsWith("#") || "a record field not starting with #")), value: expr }),
  ) as Schema.Schema<Expr>;
  return self;
}

/** ADR-015 "Trace object": `#meta` (any object), optional `params`, `vars`, `states`, optional `loop`; nothing else. */
const TraceObject = Schema.Struct({
  "#meta": Schema.optional(Schema.Record({ key: Schema.String, value: Schema.Unknown })),
  params: Schema.optional(Schema.Array(Schema.String)),
  vars: Schema.Array(Schema.String),
  states: Schema.Array(Schema.Record({ key: Schema.String, value: Schema.Unknown })),
  loop: Schema.optional(Schema.NonNegativeInt),
});

/** Quint's Option in `mbt::nondetPicks`: Some(value), or None whose value is the unit `{"#tup": []}`. */
function optionSchema(expr: Schema.Schema<Expr>) {
  return Schema.Union(
    Schema.Struct({ tag: Schema.Literal("Some"), value: expr }),
    Schema.Struct({ tag: Schema.Literal("None"), value: Schema.Struct({ "#tup": Schema.Tuple() }) }),
  );
}

/** How strictly to read. */
export interface Adr015Options {
  /** Take plain JSON integers (files daxmc wrote before it tagged them). */
  readonly plainIntegers?: boolean;
}

/** Every way `json` departs from ADR-015 and Quint's reading of it, one line each; empty when it conforms. */
export function adr015Problems(json: unknown, options: Adr015Options = {}): string[] {
  const exact = { errors: "first", onExcessProperty: "error" } as const;
  const trace = Schema.decodeUnknownEither(TraceObject, exact)(json);
  if (Either.isLeft(trace)) return [`trace object: ${firstIssue(trace.left)}`];
  const { vars, states, loop } = trace.right;
  const problems: string[] = [];
  if (new Set(vars).size !== vars.length) problems.push("vars names a variable twice");
  if (states.length === 0) problems.push("no states");
  if (loop !== undefined && loop >= states.length) problems.push(`loop ${loop} is past the last state`);
  const expr = exprSchema(options.plainIntegers === true);
  const option = optionSchema(expr);
  let pickNames: string | undefined;
  for (const [i, s] of states.entries()) {
    const where = `state ${i}`;
    const meta = s["#meta"];
    if (meta !== undefined && (typeof meta !== "object" || meta === null || Array.isArray(meta))) problems.push(`${where}: #meta is not an object`);
    // Quint and Apalache number their states; daxmc does too.
    else if ((meta as { index?: unknown } | undefined)?.index !== i) problems.push(`${where}: #meta.index is not ${i}`);
    const undeclared = Object.keys(s).filter((k) => k !== "#meta" && !vars.includes(k));
    if (undeclared.length > 0) problems.push(`${where}: fields not in vars: ${undeclared.join(", ")}`);
    for (const v of vars) {
      if (!(v in s)) {
        problems.push(`${where}: no value for ${v}`);
        continue;
      }
      const value = Schema.decodeUnknownEither(expr, exact)(s[v]);
      if (Either.isLeft(value)) problems.push(`${where}, ${v}: not an ITF expression (${firstIssue(value.left)})`);
      else if (v !== NONDET_PICKS) problems.push(...quintReadsAsWritten(s[v], `${where}, ${v}`));
    }
    if (vars.includes(ACTION_TAKEN) && typeof s[ACTION_TAKEN] !== "string") problems.push(`${where}: ${ACTION_TAKEN} is not a string`);
    if (vars.includes(NONDET_PICKS)) {
      const picks = Schema.decodeUnknownEither(Schema.Record({ key: Schema.String, value: option }), exact)(s[NONDET_PICKS]);
      if (Either.isLeft(picks)) problems.push(`${where}: ${NONDET_PICKS} is not a record of Options (${firstIssue(picks.left)})`);
      else {
        const names = JSON.stringify(Object.keys(picks.right).sort());
        pickNames ??= names;
        if (names !== pickNames) problems.push(`${where}: ${NONDET_PICKS} names other fields than state 0 (Quint lists every pick in every state)`);
      }
    }
  }
  return problems;
}

/**
 * Records Quint's ofItf would not read back as the record written: fields starting with `__`
 * are dropped, and an object with exactly `tag` and `value` (or only `tag`) becomes a variant.
 */
function quintReadsAsWritten(value: unknown, where: string): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => quintReadsAsWritten(v, `${where}[${i}]`));
  if (typeof value !== "object" || value === null) return [];
  const keys = Object.keys(value);
  if (keys.some((k) => k.startsWith("#"))) return Object.values(value).flatMap((v) => quintReadsAsWritten(v, where));
  const out: string[] = [];
  if (keys.includes("tag") && keys.every((k) => k === "tag" || k === "value")) out.push(`${where}: a record Quint reads as a variant`);
  for (const k of keys) {
    if (k.startsWith("__")) out.push(`${where}: field ${k} starts with __, which Quint's reader drops`);
    out.push(...quintReadsAsWritten((value as Record<string, unknown>)[k], `${where}.${k}`));
  }
  return out;
}

function firstIssue(error: ParseResult.ParseError): string {
  const issue = ParseResult.ArrayFormatter.formatErrorSync(error)[0];
  if (issue === undefined) return "does not match";
  return `at ${issue.path.map(String).join(".") || "top"}: ${issue.message.split("\n")[0]}`;
}
