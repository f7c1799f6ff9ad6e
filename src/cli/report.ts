/** `daxmc report FILE... [--out report.html]`: saved traces as one self-contained HTML page of stories, swim lanes and ownership pictures. */
import { resolve } from "node:path";
import * as Either from "effect/Either";
import { plural } from "../report/format.js";
import { renderReport } from "../report/html.js";
import { type SectionView, buildSection } from "../report/trace-report.js";
import { writeFileAtomic } from "../trace/atomic.js";
import { parseCommand } from "./args.js";
import { type CliError, cliError } from "./errors.js";
import { EXIT } from "./exit.js";
import { type Io, println } from "./io.js";
import { type LoadedTrace, loadTrace } from "./load-trace.js";
import { reasonOf, shown } from "./out-dir.js";
import { buildExplainer, describeBounds } from "./wiring.js";

const USAGE = "daxmc report FILE... [--out report.html]";
const OPTIONS = { out: { type: "string" } } as const;

/** Replays every FILE and writes the report: exit 0 when written, 2 when a file is unusable or the output cannot be written. */
export async function report(argv: readonly string[], io: Io): Promise<Either.Either<number, CliError>> {
  const parsed = parseCommand("report", argv, OPTIONS, Number.MAX_SAFE_INTEGER, "FILE...");
  if (Either.isLeft(parsed)) return Either.left(parsed.left);
  const files = parsed.right.positionals;
  if (files.length === 0) return Either.left(cliError("missing-option", "missing trace file", USAGE));
  const outGiven = parsed.right.values.out;
  const out = resolve(io.cwd, typeof outGiven === "string" ? outGiven : "report.html");
  const loaded: LoadedTrace[] = [];
  for (const given of files) {
    const t = loadTrace(given, io.cwd, "report");
    if (Either.isLeft(t)) return Either.left(t.left);
    loaded.push(t.right);
  }
  const sections: SectionView[] = [];
  for (const t of loaded) sections.push(await sectionOf(t, io.cwd));
  const written = write(out, renderReport(`daxmc report: ${plural(loaded.length, "trace")}`, sections), io.cwd);
  if (Either.isLeft(written)) return Either.left(written.left);
  const steps = loaded.reduce((n, t) => n + t.actions.length, 0);
  println(io.stdout, `wrote ${shown(io.cwd, out)}: ${plural(loaded.length, "trace")}, ${plural(steps, "step")}`);
  return Either.right(EXIT.ok);
}

/** One trace's section: heading facts, stories, lanes and pictures. */
function sectionOf(t: LoadedTrace, cwd: string): Promise<SectionView> {
  return buildSection({
    title: `${t.variant.id}: ${t.invariant.id}`,
    facts: [
      ["variant", `${t.variant.id} (${t.variant.kernel})`],
      ["invariant", `${t.invariant.id}: ${t.invariant.meaning}`],
      ["bounds", describeBounds(t.bounds)],
      ["trace", shown(cwd, t.file)],
      ["steps", String(t.actions.length)],
    ],
    model: t.model,
    explainer: buildExplainer(t.variant, t.bounds),
    states: t.states,
    actions: t.actions,
    property: t.invariant.id,
  });
}

function write(out: string, html: string, cwd: string): Either.Either<void, CliError> {
  try {
    writeFileAtomic(out, html);
    return Either.right(undefined);
  } catch (e) {
    return Either.left(cliError("unwritable-output", `cannot write the report to ${shown(cwd, out)} (${reasonOf(e)})`, "give --out a file in a writable folder"));
  }
}
