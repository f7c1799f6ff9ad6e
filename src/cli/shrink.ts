/** `daxmc shrink FILE [--out FILE]`: a smaller counterexample that still violates the same invariant under replay. */
import { basename, dirname, join, resolve } from "node:path";
import * as Either from "effect/Either";
import { plural } from "../report/format.js";
import { parseCommand } from "./args.js";
import { writeTraceFile } from "./counterexamples.js";
import { type CliError, cliError } from "./errors.js";
import { EXIT } from "./exit.js";
import { type Io, printAll, println } from "./io.js";
import { loadTrace } from "./load-trace.js";
import { shown } from "./out-dir.js";
import { formatShrink, shrinkPath } from "./shrink-trace.js";

const USAGE = "daxmc shrink FILE [--out FILE]";

/** Shrinks the trace and writes it next to the input (or to --out): exit 0 when written. */
export function shrinkCommand(argv: readonly string[], io: Io): Either.Either<number, CliError> {
  return Either.gen(function* () {
    const parsed = yield* parseCommand("shrink", argv, { out: { type: "string" } }, 1);
    const given = parsed.positionals[0];
    if (given === undefined || given === "") return yield* Either.left(cliError("missing-option", "missing trace file", USAGE));
    const t = yield* loadTrace(given, io.cwd, "shrink");
    const result = shrinkPath(t.model, t.variant, t.bounds, t.invariant.id, t.actions);
    if (result === undefined) {
      return yield* Either.left(cliError(
        "not-violating",
        `${t.name} does not end in a state violating ${t.invariant.id} in today's model, so there is nothing to keep while shrinking`,
        `daxmc replay ${t.name} shows where it stands`,
      ));
    }
    const out = typeof parsed.values.out === "string" ? resolve(io.cwd, parsed.values.out) : shrunkName(t.file);
    writeTraceFile(t.model, result.states, result.path, {
      variant: t.variant.id,
      bounds: t.bounds,
      invariant: t.invariant.id,
      description: `${t.invariant.id} is violated after ${result.path.length} steps (shrunk by daxmc shrink from ${t.actions.length}): ${t.invariant.meaning}`,
    }, out, "choose a writable file with --out FILE");
    println(io.stdout, `shrink ${t.name}: ${t.variant.id}, ${t.invariant.id}, ${plural(t.actions.length, "step")} -> ${plural(result.path.length, "step")}`);
    printAll(io.stdout, formatShrink(result));
    println(io.stdout, `  path: ${result.path.map((a) => t.model.actionLabel(a)).join("; ")}`);
    println(io.stdout, `wrote ${shown(io.cwd, out)}`);
    return EXIT.ok;
  });
}

/** `x.itf.json` -> `x.shrunk.itf.json` beside it; a path file `x.path` -> `x.shrunk.itf.json`. */
export function shrunkName(file: string): string {
  const base = basename(file).replace(/(\.shrunk)?(\.itf\.json|\.json|\.path|\.txt)?$/, "");
  return join(dirname(file), `${base}.shrunk.itf.json`);
}
