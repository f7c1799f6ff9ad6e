/**
 * The Informal Trace Format (ITF) as effect Schemas: values, states and the whole file.
 * See https://apalache-mc.org/docs/adr/015adr-trace.html. Files on disk are untrusted input,
 * so every field is decoded through these schemas before use.
 */
import * as Schema from "effect/Schema";

/**
 * A value in a trace: ITF's JSON values. Integers are `number` when safe and `bigint` beyond;
 * on disk every integer is `{"#bigint": "..."}`, as ADR-015 requires ("big and small integers
 * must be written in this format"); files written before that use plain JSON numbers, which
 * are still read.
 */
export type ItfValue =
  | string
  | number
  | boolean
  | bigint
  | readonly ItfValue[]
  | { readonly [key: string]: ItfValue };

/** An ITF value as it is written in JSON. */
export type ItfJson = string | number | boolean | readonly ItfJson[] | { readonly [key: string]: ItfJson };

/**
 * The most digits a `#bigint` may have: BigInt() takes quadratic time in the length, so the
 * length is checked before the pattern and the conversion. 100 covers 256-bit values (78 digits).
 */
export const MAX_BIGINT_DIGITS = 100;

const BIGINT_LIMIT = 10n ** BigInt(MAX_BIGINT_DIGITS);
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** A JavaScript number that is a safe integer (ITF has no floats). */
const SafeInt = Schema.Int.pipe(Schema.filter((n) => Number.isSafeInteger(n) || "a safe integer (larger ones are {\"#bigint\": ...})"));

/** An integer in memory: a safe `number`, or a `bigint` within the digit bound. */
const IntegerValue = Schema.Union(SafeInt, Schema.BigIntFromSelf.pipe(Schema.betweenBigInt(1n - BIGINT_LIMIT, BIGINT_LIMIT - 1n)));

/** `{"#bigint": "-12"}`: safe values decode to numbers, so a view's numbers compare equal to what was read back. */
const BigIntTagged = Schema.transform(
  Schema.Struct({ "#bigint": Schema.String.pipe(Schema.maxLength(MAX_BIGINT_DIGITS + 1), Schema.pattern(/^-?[0-9]+$/)) }),
  // The same bound on the way in, so that a trace is never written that could not be read back.
  IntegerValue,
  {
    strict: true,
    decode: (t) => {
      const b = BigInt(t["#bigint"]);
      return b >= MIN_SAFE && b <= MAX_SAFE ? Number(b) : b;
    },
    encode: (v) => ({ "#bigint": v.toString() }),
  },
);

/** ITF values with integers tagged or plain on the way out (the first branch that takes a value encodes it). */
function valueSchema(integersTagged: boolean): Schema.Schema<ItfValue, ItfJson> {
  const self: Schema.Schema<ItfValue, ItfJson> = Schema.Union(
    Schema.String,
    Schema.Boolean,
    ...(integersTagged ? [BigIntTagged, SafeInt] as const : [SafeInt, BigIntTagged] as const),
    Schema.Array(Schema.suspend((): Schema.Schema<ItfValue, ItfJson> => self)),
    Schema.Record({ key: Schema.String, value: Schema.suspend((): Schema.Schema<ItfValue, ItfJson> => self) }).pipe(
      Schema.filter((r) => !Object.keys(r).some((k) => k.startsWith("#")) || "a record without keys starting with # (ITF reserves them)"),
    ),
  );
  return self;
}

/** State values: decodes tagged and (legacy) plain integers; encodes every integer as `{"#bigint": ...}`. */
export const ItfValueSchema: Schema.Schema<ItfValue, ItfJson> = valueSchema(true);

/** `#meta` values (free-form JSON in ITF): the same values, integers written as plain JSON numbers. */
export const MetaValueSchema: Schema.Schema<ItfValue, ItfJson> = valueSchema(false);

/** Quint's `Option` in ITF: `{"tag": "Some", "value": v}`, or `{"tag": "None", "value": {"#tup": []}}` (the unit value). */
export const OptionSchema = Schema.Union(
  Schema.Struct({ tag: Schema.Literal("Some"), value: ItfValueSchema }),
  Schema.Struct({ tag: Schema.Literal("None"), value: Schema.Struct({ "#tup": Schema.Tuple() }) }),
);

/** Quint's `mbt::nondetPicks`: every parameter name of the model, each an Option of the value this step picked. */
export const NondetPicksSchema = Schema.Record({ key: Schema.String, value: OptionSchema });

/** The trace-level `#meta` record daxmc writes and reads. */
export const MetaSchema = Schema.Struct({
  format: Schema.Literal("ITF"),
  "format-description": Schema.String,
  source: Schema.String,
  tool: Schema.String,
  variant: Schema.String,
  /**
   * `"files=2,offsets=1,..."` (see `formatMetaBounds` in itf.ts): itf-rs keeps every `#meta` field it does not
   * know as a string. Files written before that hold an object of values, still read.
   */
  bounds: Schema.Union(Schema.Record({ key: Schema.String, value: MetaValueSchema }), Schema.String),
  invariant: Schema.String,
  kind: Schema.Literal("violation"),
  /** The action labels: only in files written before it was dropped for itf-rs (each state's `action` says the same). */
  actions: Schema.optional(Schema.Array(Schema.String)),
  description: Schema.String,
  /** sha256 of the content (see `traceDigest`); optional here so a missing one is reported as an edit, not a malformed field. */
  digest: Schema.optional(Schema.String),
});

/** One state on disk: its `#meta` index, the action that led to it, then one field per variable. */
export const StateSchema = Schema.Struct(
  { "#meta": Schema.Struct({ index: Schema.Int }), action: Schema.String },
  Schema.Record({ key: Schema.String, value: Schema.Unknown }),
);

/** A whole trace file as JSON. */
export const TraceFileSchema = Schema.Struct({
  "#meta": MetaSchema,
  vars: Schema.Array(Schema.String),
  states: Schema.NonEmptyArray(StateSchema),
});

/** A trace file as decoded by `TraceFileSchema`. */
export type TraceFile = typeof TraceFileSchema.Type;
