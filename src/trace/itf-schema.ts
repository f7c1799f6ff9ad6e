/**
 * The Informal Trace Format (ITF) as effect Schemas: values, states and the whole file.
 * See https://apalache-mc.org/docs/adr/015adr-trace.html. Files on disk are untrusted input,
 * so every field is decoded through these schemas before use.
 */
import * as Schema from "effect/Schema";

/** A value in a trace: ITF's JSON values, with big integers as `{"#bigint": "..."}` on disk. */
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

const BigIntTagged = Schema.transform(
  Schema.Struct({ "#bigint": Schema.String.pipe(Schema.maxLength(MAX_BIGINT_DIGITS + 1), Schema.pattern(/^-?[0-9]+$/)) }),
  // The same bound on the way in, so that a trace is never written that could not be read back.
  Schema.BigIntFromSelf.pipe(Schema.betweenBigInt(1n - BIGINT_LIMIT, BIGINT_LIMIT - 1n)),
  { strict: true, decode: (t) => BigInt(t["#bigint"]), encode: (b) => ({ "#bigint": b.toString() }) },
);

/** Decodes JSON into ITF values and back; numbers must be safe integers (ITF has no floats). */
export const ItfValueSchema: Schema.Schema<ItfValue, ItfJson> = Schema.Union(
  Schema.String,
  Schema.Boolean,
  Schema.Int.pipe(Schema.filter((n) => Number.isSafeInteger(n) || "a safe integer (larger ones are {\"#bigint\": ...})")),
  BigIntTagged,
  Schema.Array(Schema.suspend((): Schema.Schema<ItfValue, ItfJson> => ItfValueSchema)),
  Schema.Record({ key: Schema.String, value: Schema.suspend((): Schema.Schema<ItfValue, ItfJson> => ItfValueSchema) }).pipe(
    Schema.filter((r) => !Object.keys(r).some((k) => k.startsWith("#")) || "a record without keys starting with # (ITF reserves them)"),
  ),
);

/** The trace-level `#meta` record daxmc writes and reads. */
export const MetaSchema = Schema.Struct({
  format: Schema.Literal("ITF"),
  "format-description": Schema.String,
  source: Schema.String,
  tool: Schema.String,
  variant: Schema.String,
  bounds: Schema.Record({ key: Schema.String, value: ItfValueSchema }),
  invariant: Schema.String,
  kind: Schema.Literal("violation"),
  actions: Schema.Array(Schema.String),
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
