/**
 * A shard's result on disk: one JSON file (what the shard is, its verdicts with their shortest
 * paths, its statistics) and a binary sidecar beside it with every fingerprint it stored.
 *
 * The fingerprints are raw little-endian uint32 pairs (high, low), 8 bytes a state, rather than
 * base64 inside the JSON: base64 would take 10.7 characters a state in one JavaScript string, and
 * V8 caps a string near 2^29 characters, so a shard of v6.1 at `small` (50 million states) could
 * not be written that way; the sidecar is read back as bytes with no decoding. The JSON names
 * the sidecar and holds its count and sha256, so a sidecar from another run is refused. Both
 * are written atomically, the sidecar first.
 */
import { createHash } from "node:crypto";
import { basename, dirname, join, resolve } from "node:path";
import * as Either from "effect/Either";
import * as Schema from "effect/Schema";
import type { Path, StopReason } from "../core/result.js";
import type { VisitedSet } from "../engine/index.js";
import { writeFileAtomic } from "../trace/atomic.js";
import { firstIssue } from "../trace/itf.js";
import { checkJsonShape } from "../trace/json-limits.js";
import { readRegularFile, readTraceText } from "../trace/read.js";
import { CliFailure, type CliError, cliError } from "./errors.js";
import { reasonOf } from "./out-dir.js";
import { safeText } from "./safe-text.js";

/** What `format` says in every shard result. */
export const SHARD_FORMAT = "daxmc-shard";
/** Bytes a state takes in the sidecar. */
const FINGERPRINT_BYTES = 8;
/** The largest sidecar read: the most states one visited set holds. */
const MAX_SIDECAR_BYTES = 2 ** 27 * FINGERPRINT_BYTES;

const Count = Schema.Int.pipe(Schema.nonNegative());
const Index = Schema.Int.pipe(Schema.positive());
const STOP_REASONS = ["max-states", "max-depth", "timeout", "interrupted", "memory"] as const satisfies readonly StopReason[];

/** A path as the search records it: initial state, action indices and their labels. */
const PathSchema = Schema.Struct({ init: Count, steps: Schema.Array(Count), labels: Schema.Array(Schema.String) }).pipe(
  Schema.filter((p) => p.steps.length === p.labels.length || "as many labels as steps"),
);

/** One property's verdict in this shard's part; a decided one with its shortest path there and that path's length. */
const VerdictSchema = Schema.Union(
  Schema.Struct({ name: Schema.String, kind: Schema.Literal("holds", "unreached", "undecided") }),
  Schema.Struct({ name: Schema.String, kind: Schema.Literal("violated", "reached"), length: Count, path: PathSchema }).pipe(
    Schema.filter((v) => v.length === v.path.steps.length || "length is the number of steps of path"),
  ),
);

/** The JSON document of one shard. */
const ShardFileSchema = Schema.Struct({
  format: Schema.Literal(SHARD_FORMAT),
  version: Schema.Literal(1),
  tool: Schema.String,
  /** sha256 of spec/*.ts where the sources are installed: shards of different models must not be merged. */
  spec: Schema.NullOr(Schema.String),
  variant: Schema.String,
  bounds: Schema.String,
  /** --invariant, when the check was of one invariant (and its partner). */
  invariant: Schema.NullOr(Schema.String),
  shard: Index,
  shards: Index,
  prefixDepth: Count,
  /** Whether states were counted up to renaming (symmetry on): shards must all count alike. */
  symmetry: Schema.Boolean,
  status: Schema.Literal("complete", "incomplete"),
  stopReason: Schema.NullOr(Schema.Literal(...STOP_REASONS)),
  /** Whether the shard explored all of its part (complete, nothing left queued), so its fingerprints are all of it. */
  exhausted: Schema.Boolean,
  roots: Schema.Struct({ kept: Count, total: Count }),
  stats: Schema.Struct({ distinct: Count, generated: Count, depth: Count, elapsedMs: Schema.Number }),
  verdicts: Schema.Array(VerdictSchema),
  fingerprints: Schema.Struct({
    file: Schema.String.pipe(Schema.pattern(/^[^/\\\0]+$/), Schema.filter((f) => (f !== "." && f !== "..") || "a file name")),
    count: Count,
    sha256: Schema.String.pipe(Schema.pattern(/^[0-9a-f]{64}$/)),
  }),
}).pipe(Schema.filter((f) => f.shard <= f.shards || "shard is at most shards"));

/** A shard result as JSON holds it. */
export type ShardResult = typeof ShardFileSchema.Type;
/** A verdict of a shard result. */
export type ShardVerdict = ShardResult["verdicts"][number];

/** A shard result read from disk: where from, and its document. */
export interface LoadedShard {
  /** The name as given, safe to print. */
  readonly name: string;
  readonly file: string;
  readonly result: ShardResult;
}

/** The sidecar beside `file`: its name with `.fp64` added. */
export function sidecarOf(file: string): string {
  return `${file}.fp64`;
}

/** A decided verdict with its path, as the shard result holds it. */
export function verdictWithPath(name: string, kind: "violated" | "reached", path: Path): ShardVerdict {
  return { name, kind, length: path.steps.length, path: { init: path.init, steps: [...path.steps], labels: [...path.labels] } };
}

/** Writes the sidecar of `visited`'s fingerprints, then `doc` naming it, both atomically; returns the document written. */
export function writeShardResult(file: string, doc: Omit<ShardResult, "fingerprints">, visited: VisitedSet): ShardResult {
  const bytes = Buffer.alloc(visited.size * FINGERPRINT_BYTES);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  visited.forEachFingerprint((hi, lo) => {
    view.setUint32(at, hi, true);
    view.setUint32(at + 4, lo, true);
    at += FINGERPRINT_BYTES;
  });
  const sidecar = sidecarOf(file);
  const written = { ...doc, fingerprints: { file: basename(sidecar), count: visited.size, sha256: sha256(bytes) } };
  try {
    writeFileAtomic(sidecar, bytes);
    writeFileAtomic(file, JSON.stringify(written, null, 2) + "\n");
  } catch (e) {
    throw new CliFailure(cliError("unwritable-output", `cannot write the shard result ${safeText(file)} (${reasonOf(e)})`, "give a writable file with --shard-out FILE"));
  }
  return written;
}

const FRESH = "give a result file written by daxmc check --shard I/N --shard-out FILE";

/** Reads and decodes the shard result `given` (relative to `cwd`). */
export function readShardResult(given: string, cwd: string): Either.Either<LoadedShard, CliError> {
  const name = safeText(given);
  const file = resolve(cwd, given);
  const bad = (why: string): CliError => cliError("bad-shard", `${name} is not a usable shard result (${why})`, FRESH);
  return Either.gen(function* () {
    const text = yield* Either.mapLeft(readTraceText(file), (e) => cliError("unreadable-file", `cannot read shard result ${name} (${e.reason})`, FRESH));
    const shape = checkJsonShape(text);
    if (shape !== undefined) return yield* Either.left(bad(shape.reason));
    const json = yield* Either.try({ try: () => JSON.parse(text) as unknown, catch: () => bad("not JSON") });
    if (typeof json !== "object" || json === null || (json as { format?: unknown }).format !== SHARD_FORMAT) {
      return yield* Either.left(bad(`no "format": "${SHARD_FORMAT}"`));
    }
    const result = yield* Either.mapLeft(Schema.decodeUnknownEither(ShardFileSchema, { errors: "first" })(json), (e) => bad(firstIssue(e)));
    return { name, file, result };
  });
}

/** Calls `fn` with each fingerprint of the shard's sidecar, after checking its size and sha256 against the result. */
export function readFingerprints(shard: LoadedShard, fn: (hi: number, lo: number) => void): Either.Either<void, CliError> {
  const { count, sha256: want, file } = shard.result.fingerprints;
  const path = join(dirname(shard.file), file);
  const bad = (why: string): CliError =>
    cliError("bad-shard", `the fingerprints of ${shard.name} (${safeText(file)}) ${why}`, "keep each shard result beside its .fp64 file, as the shard wrote them, or re-run that shard");
  const read = readRegularFile(path, MAX_SIDECAR_BYTES);
  if (Either.isLeft(read)) return Either.left(bad(`cannot be read (${read.left.reason})`));
  const bytes = read.right;
  if (bytes.length !== count * FINGERPRINT_BYTES) return Either.left(bad(`hold ${bytes.length} bytes, not ${count} fingerprints of 8 bytes`));
  if (sha256(bytes) !== want) return Either.left(bad("do not match the sha256 the result holds: they belong to another run"));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = 0; at < bytes.length; at += FINGERPRINT_BYTES) fn(view.getUint32(at, true), view.getUint32(at + 4, true));
  return Either.right(undefined);
}

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}
