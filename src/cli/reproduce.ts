/**
 * `daxmc reproduce FILE [--out DIR] [--seq N] [--no-run] [--cache DIR]`: a counterexample of a
 * kernel-version variant as a scenario for that kernel. It writes the scenario, a standalone
 * shell script and an fstests test (what a developer runs on real pmem), then runs the scenario
 * on the kernel under QEMU and says whether the kernel shows the violation.
 * Exit 0 the kernel did what the model predicts, 1 it did not, 2 bad input or no kernels here.
 */
import { readFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import * as Either from "effect/Either";
import { observedText, rowFor } from "../../spec/oracle/compare.js";
import { scenarioFromTrace } from "../../spec/oracle/from-trace.js";
import { parseGuestLog } from "../../spec/oracle/guest-log.js";
import { guestSteps } from "../../spec/oracle/guest-steps.js";
import { asGuestRuns, predict } from "../../spec/oracle/predict.js";
import { fstestsTest, shellScript } from "../../spec/oracle/reproducer-text.js";
import { violationSign } from "../../spec/oracle/violation.js";
import { writeFileAtomic } from "../trace/atomic.js";
import { parseCommand, stringOption } from "./args.js";
import { type CliError, cliError } from "./errors.js";
import { EXIT } from "./exit.js";
import { DEFAULT_CACHE, bootScenarios, provision } from "./guest-run.js";
import { type Io, println } from "./io.js";
import { loadTrace } from "./load-trace.js";
import { reasonOf } from "./out-dir.js";
import { packageRoot } from "./version.js";
import { buildModel } from "./wiring.js";

const OPTIONS = { out: { type: "string" }, seq: { type: "string" }, "no-run": { type: "boolean" }, cache: { type: "string" } } as const;

/** Writes the reproducer and, unless --no-run, runs it on its kernel. */
export async function reproduce(argv: readonly string[], io: Io): Promise<Either.Either<number, CliError>> {
  const parsed = parseCommand("reproduce", argv, OPTIONS, 1);
  if (Either.isLeft(parsed)) return Either.left(parsed.left);
  const given = parsed.right.positionals[0];
  if (given === undefined || given === "") return Either.left(cliError("missing-option", "missing trace file", "daxmc reproduce FILE [--out DIR]"));
  const seqText = stringOption(parsed.right, "seq") ?? "1999";
  if (!/^\d{1,5}$/.test(seqText)) return Either.left(cliError("bad-number", `--seq '${seqText.slice(0, 20)}' is not a test number`, "give --seq N with N a whole number (fstests numbers tests; ./new renumbers)"));
  const root = packageRoot();
  if (root === undefined) return Either.left(cliError("internal", "cannot find daxmc's own folder", "run it from a clone"));
  const loaded = loadTrace(given, io.cwd, "reproduce");
  if (Either.isLeft(loaded)) return Either.left(loaded.left);
  const t = loaded.right;
  const L = buildModel(t.variant, t.bounds).layout;
  const id = `${t.variant.id.replace(/\./g, "")}-${t.invariant.id.replace(/_/g, "-")}`.toLowerCase();
  const conv = scenarioFromTrace(id, t.variant.id, t.bounds, L, t.actions, t.states, (a) => t.model.actionLabel(a));
  if (!conv.ok) return Either.left(cliError("not-reproducible", `${t.name} cannot run on a real kernel (${conv.why})`, "reproduce takes counterexamples of v6.1, v6.1-normap, v6.12 and v6.12-normap whose actions a user program can perform"));
  const scenario = conv.scenario;
  const steps = guestSteps(scenario);
  if (!steps.ok) return Either.left(cliError("not-reproducible", `${t.name} cannot run in the guest (${steps.why})`, "see oracle/README.md for what the guest can do"));
  const prediction = predict(asGuestRuns(scenario), conv.kernel);
  const sign = violationSign(t.invariant.id);
  const outDir = resolve(io.cwd, stringOption(parsed.right, "out") ?? join("reproducers", basename(t.file).replace(/\.itf\.json$|\.json$|\.txt$/i, "")));
  const context = {
    scenario, steps: steps.lines, helperSource: readFileSync(join(root, "oracle", "helper.c"), "utf8"),
    origin: `${t.variant.id} counterexample of ${t.invariant.id} (${basename(t.file)})`,
    predicted: prediction.outcomes.map(observedText), sign, invariant: t.invariant.id,
  };
  const fst = fstestsTest(context, Number(seqText));
  try {
    writeFileAtomic(join(outDir, "scenario.json"), `${JSON.stringify(scenario, null, 2)}\n`);
    writeFileAtomic(join(outDir, "reproduce.sh"), shellScript(context), 0o755);
    writeFileAtomic(join(outDir, "fstests", "tests", "xfs", seqText), fst.test, 0o755);
    writeFileAtomic(join(outDir, "fstests", "tests", "xfs", `${seqText}.out`), fst.out);
  } catch (e) {
    return Either.left(cliError("unwritable-output", `cannot write the reproducer into ${outDir} (${reasonOf(e)})`, "give --out a folder you can write"));
  }
  const predictedShows = sign === undefined ? undefined : prediction.outcomes.some((o) => sign.shows(o));
  println(io.stdout,
    `${t.name}: ${t.variant.id}, ${t.invariant.id}: scenario ${scenario.id} on Linux ${conv.kernel} (${scenario.events.length} events; the kernel's own ${conv.dropped.length} steps left to it)`,
    `  wrote ${join(outDir, "scenario.json")}, reproduce.sh, fstests/tests/xfs/${seqText} and .out`,
    ...conv.substituted.map((x) => `  a media error without a machine check: ${x}`),
    `  the violation: ${sign?.text ?? `${t.invariant.id} is about kernel-internal state, which a run cannot show directly`}`,
    `  the model predicts (any of): ${prediction.outcomes.map(observedText).join(" OR ")}`,
    predictedShows === undefined ? "" : `  run one operation at a time, the model ${predictedShows ? "shows the violation" : "does not show the violation: the counterexample needs operations interleaved, which a sequential scenario cannot force"}`,
  );
  if (parsed.right.values["no-run"] === true) return Either.right(EXIT.ok);
  const cache = stringOption(parsed.right, "cache") ?? DEFAULT_CACHE;
  const why = await provision(root, cache, io);
  if (why !== undefined) {
    println(io.stderr, `daxmc: the kernels cannot be provisioned here (${why}): the reproducer is written; run it with --no-run, or see oracle/README.md`);
    return Either.right(EXIT.badInput);
  }
  println(io.stderr, `reproduce: booting Linux ${conv.kernel} for ${scenario.id}`);
  const guest = await bootScenarios(root, cache, conv.kernel, [scenario], io);
  writeFileAtomic(join(outDir, `guest-${conv.kernel}.log`), guest.stdout);
  const outcome = parseGuestLog(guest.stdout).find((o) => o.id === scenario.id);
  const row = rowFor(scenario.id, conv.kernel, prediction.outcomes, outcome);
  const kernelShows = outcome === undefined || sign === undefined ? undefined : sign.shows(outcome.observed);
  println(io.stdout,
    `  Linux ${conv.kernel} did: ${row.observed}${row.note === undefined ? "" : ` (${row.note})`}`,
    ...[...new Set(outcome?.lines ?? [])].map((l) => `    ${l}`),
    `  the kernel ${kernelShows === undefined ? "run cannot show this invariant directly" : kernelShows ? "SHOWS the violation" : "does not show the violation"}; the model's prediction ${row.verdict === "agree" ? "agrees" : "DISAGREES"} (guest log: ${join(outDir, `guest-${conv.kernel}.log`)})`,
  );
  return Either.right(row.verdict === "agree" ? EXIT.ok : EXIT.violation);
}
