/**
 * A conformance scenario: what a test on a real kernel does, declared as data. The same file
 * drives the guest (oracle/) and the model's prediction (predict.ts). Decoded with effect's
 * Schema, as untrusted input.
 */
import * as Either from "effect/Either";
import * as ParseResult from "effect/ParseResult";
import * as Schema from "effect/Schema";

const FileName = Schema.Literal("A", "B");
const Proc = Schema.Int.pipe(Schema.between(0, 3));
const Offset = Schema.Int.pipe(Schema.between(0, 1));

/** One event, in the order the scenario performs them; each completes before the next starts. */
export const EventSchema = Schema.Union(
  Schema.Struct({ clone: Schema.Struct({ src: FileName, dst: FileName }) }),
  Schema.Struct({ touch: Schema.Struct({ proc: Proc, offset: Offset, mode: Schema.Literal("read", "write") }) }),
  /** A page reference held on the process's page (vmsplice into a pipe the process keeps: get_user_pages). */
  Schema.Struct({ pin: Schema.Struct({ proc: Proc, offset: Offset }) }),
  /** The process drains and closes that pipe: the reference goes. */
  Schema.Struct({ unpin: Proc }),
  Schema.Struct({ truncate: FileName }),
  /** fallocate(PUNCH_HOLE|KEEP_SIZE) of one page. */
  Schema.Struct({ punch: Schema.Struct({ file: FileName, offset: Offset }) }),
  /** FICLONERANGE of one page within one file. */
  Schema.Struct({ clone_range: Schema.Struct({ file: FileName, src: Offset, dst: Offset }) }),
  /** The process munmaps its page; a pin it holds stays (the pipe keeps the reference). */
  Schema.Struct({ unmap: Proc }),
  Schema.Struct({ unlink_close: FileName }),
  /** Every process reads its page again (the guest's `check late`), after what the processes report is observed. */
  Schema.Struct({ late_read: Schema.Literal(true) }),
  /** The end of a run: every process exits (its mappings go) and the filesystem is unmounted (every inode evicted). */
  Schema.Struct({ umount: Schema.Literal(true) }),
  Schema.Struct({
    poison: Schema.Struct({
      /** badblocks: the pmem driver's badblocks entry alone (what an ARS scrub adds), no memory_failure. */
      method: Schema.Literal("madvise", "corrupt-pfn", "hard-offline", "media", "badblocks"),
      /** madvise: the process calling it on its mapping; media: the process that consumes it (else a patrol scrub). */
      proc: Schema.optional(Proc),
      /** The file and offset whose block is poisoned (for madvise and a consumed media error: the caller's mapping). */
      file: FileName,
      offset: Offset,
    }),
  }),
);
export type ScenarioEvent = Schema.Schema.Type<typeof EventSchema>;

export const ScenarioSchema = Schema.Struct({
  id: Schema.String.pipe(Schema.pattern(/^[a-z0-9][a-z0-9-]{0,63}$/)),
  description: Schema.String,
  mkfs: Schema.Struct({ reflink: Schema.Boolean, rmapbt: Schema.Boolean }),
  /** File A always exists with data at every offset; B exists (empty) when listed. */
  files: Schema.Array(FileName),
  offsets: Schema.optionalWith(Schema.Int.pipe(Schema.between(1, 2)), { default: () => 1 }),
  /** Each process maps one file MAP_SHARED, early- or late-kill (PR_MCE_KILL_EARLY). */
  procs: Schema.Array(Schema.Struct({ maps: FileName, kill: Schema.Literal("early", "late") })).pipe(Schema.minItems(1), Schema.maxItems(4)),
  events: Schema.Array(EventSchema),
});
export type Scenario = Schema.Schema.Type<typeof ScenarioSchema>;

/** Decodes a scenario from JSON text; Left is a one-line reason. */
export function decodeScenario(text: string): Either.Either<Scenario, string> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return Either.left(`not JSON (${e instanceof Error ? e.message.split("\n")[0] : String(e)})`);
  }
  return Either.mapLeft(Schema.decodeUnknownEither(ScenarioSchema)(json), (e) =>
    ParseResult.TreeFormatter.formatErrorSync(e).split("\n").slice(0, 3).join(" ").replace(/\s+/g, " ").slice(0, 300),
  );
}

/**
 * The process whose recorded pfn the poison event at `index` names (what `corrupt-pfn` and
 * `hard-offline` write to sysfs, whose sectors `badblocks` and `media` mark bad): its `proc` when
 * given, else the first process (in event order) that touched `file` before it. The guest writes the pfn that process's touch read from pagemap; the model
 * poisons the block that process mapped after its touch.
 */
export function pfnSource(s: Scenario, index: number): number | undefined {
  const e = s.events[index];
  if (e === undefined || !("poison" in e)) return undefined;
  if (e.poison.proc !== undefined) return e.poison.proc;
  for (const x of s.events.slice(0, index)) {
    if ("touch" in x && s.procs[x.touch.proc].maps === e.poison.file) return x.touch.proc;
  }
  return undefined;
}
