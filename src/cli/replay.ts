/** `daxmc replay FILE [--path-only]`: rebuild a trace's states in today's model and say whether it still violates. */
import * as Either from "effect/Either";
import { explainTrace } from "../report/explain.js";
import { plural } from "../report/format.js";
import { violatedBy } from "../report/verdicts.js";
import { parseCommand } from "./args.js";
import { shown } from "./out-dir.js";
import { type CliError, cliError } from "./errors.js";
import { EXIT } from "./exit.js";
import { type Io, printAll, println } from "./io.js";
import { loadTrace } from "./load-trace.js";
import { buildExplainer, describeBounds } from "./wiring.js";

/** Replays the file: exit 1 if its last state still violates the invariant, 0 if not, 2 if the file is unusable. */
export function replay(argv: readonly string[], io: Io): Either.Either<number, CliError> {
  return Either.gen(function* () {
    const parsed = yield* parseCommand("replay", argv, { "path-only": { type: "boolean" } }, 1);
    const given = parsed.positionals[0];
    if (given === undefined) return yield* Either.left(cliError("missing-option", "missing trace file", "daxmc replay FILE [--path-only]"));
    const { file, variant, bounds, invariant, model, states, actions } = yield* loadTrace(given, io.cwd, "replay", parsed.values["path-only"] === true);
    const last = states[states.length - 1];
    const still = violatedBy(model, invariant.id, last) === true;
    const n = actions.length;
    println(io.stdout, `replay ${shown(io.cwd, file)}: ${variant.id} at bounds ${describeBounds(bounds)}, ${invariant.id}, ${plural(n, "step")}`);
    const story = explainTrace(model, buildExplainer(variant, bounds), states, actions, invariant.id, {
      format: "text", glossary: false, cite: true, title: "", meaning: invariant.meaning, violated: still,
    });
    printAll(io.stdout, story.slice(2).map((l) => (l === "" ? l : `  ${l}`)));
    if (still) {
      println(io.stdout, `after step ${n}, ${invariant.id} is still violated: ${invariant.meaning}`);
      return EXIT.violation;
    }
    println(io.stdout, `after step ${n}, the trace no longer violates ${invariant.id}: this model does not fail this way (any more)`);
    return EXIT.ok;
  });
}
