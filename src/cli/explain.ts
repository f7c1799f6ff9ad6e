/** `daxmc explain FILE [--format text|mail] [--glossary] [--no-cite]`: a counterexample told in kernel terms. */
import * as Either from "effect/Either";
import { explainTrace } from "../report/explain.js";
import { violatedBy } from "../report/verdicts.js";
import { parseCommand, stringOption } from "./args.js";
import { type CliError, cliError } from "./errors.js";
import { EXIT } from "./exit.js";
import { type Io, printAll } from "./io.js";
import { type LoadedTrace, loadTrace } from "./load-trace.js";
import { buildExplainer, describeBounds } from "./wiring.js";

const OPTIONS = { format: { type: "string" }, glossary: { type: "boolean" }, "no-cite": { type: "boolean" } } as const;

/** Prints the story: exit 1 when the trace still violates its invariant, 0 when it no longer does. */
export function explain(argv: readonly string[], io: Io): Either.Either<number, CliError> {
  return Either.gen(function* () {
    const parsed = yield* parseCommand("explain", argv, OPTIONS, 1);
    const given = parsed.positionals[0];
    if (given === undefined || given === "") return yield* Either.left(cliError("missing-option", "missing trace file", "daxmc explain FILE [--format text|mail]"));
    const format = stringOption(parsed, "format") ?? "text";
    if (format !== "text" && format !== "mail") return yield* Either.left(cliError("bad-option", `unknown --format '${format.slice(0, 40)}'`, "use --format text or --format mail"));
    const t = yield* loadTrace(given, io.cwd, "explain");
    const lines = storyOf(t, { format, glossary: parsed.values.glossary === true, cite: parsed.values["no-cite"] !== true });
    printAll(io.stdout, lines.lines);
    return lines.violated ? EXIT.violation : EXIT.ok;
  });
}

/** The story of a loaded trace, and whether its last state violates its invariant. */
export function storyOf(t: LoadedTrace, o: { format: "text" | "mail"; glossary: boolean; cite: boolean }): { lines: string[]; violated: boolean } {
  const violated = violatedBy(t.model, t.invariant.id, t.states[t.states.length - 1]) === true;
  const explainer = buildExplainer(t.variant, t.bounds);
  const lines = explainTrace(t.model, explainer, t.states, t.actions, t.invariant.id, {
    ...o,
    title: `${t.name}: ${t.variant.id} at bounds ${describeBounds(t.bounds)}, ${t.invariant.id}`,
    meaning: t.invariant.meaning,
    violated,
  });
  return { lines, violated };
}
