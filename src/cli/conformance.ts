/**
 * `daxmc conformance [--kernel 6.1|6.12] [--scenario ID] [--cache DIR] [--logs DIR]`: runs the scenarios of
 * oracle/scenarios/ on real Linux 6.1 and 6.12 under QEMU and compares what each kernel did with
 * the outcomes the model allows. Exit 0 all agree, 1 a disagreement, 2 provisioning impossible,
 * 3 interrupted (Ctrl-C, SIGTERM: the guest is killed, the rows run so far are printed).
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import * as Either from "effect/Either";
import { type ConformanceRow, rowFor } from "../../spec/oracle/compare.js";
import { parseGuestLog } from "../../spec/oracle/guest-log.js";
import { guestSteps } from "../../spec/oracle/guest-steps.js";
import { DEFAULT_CACHE, bootScenarios, provision } from "./guest-run.js";
import { type Kernel, type Observed, asGuestRuns, predict, unpredictable } from "../../spec/oracle/predict.js";
import { writeFileAtomic } from "../trace/atomic.js";
import { type Scenario, decodeScenario } from "../../spec/oracle/scenario.js";
import { parseCommand, stringOption } from "./args.js";
import { type CliError, cliError } from "./errors.js";
import { EXIT } from "./exit.js";
import { type Io, println } from "./io.js";
import { packageRoot } from "./version.js";

const OPTIONS = { kernel: { type: "string" }, scenario: { type: "string" }, cache: { type: "string" }, logs: { type: "string" } } as const;

/** Provisions, boots the guests, and prints the table. */
export async function conformance(argv: readonly string[], io: Io): Promise<Either.Either<number, CliError>> {
  const parsed = parseCommand("conformance", argv, OPTIONS);
  if (Either.isLeft(parsed)) return Either.left(parsed.left);
  const root = packageRoot();
  if (root === undefined) return Either.left(cliError("internal", "cannot find daxmc's own folder", "run it from a clone"));
  const kernelText = stringOption(parsed.right, "kernel");
  if (kernelText !== undefined && kernelText !== "6.1" && kernelText !== "6.12") {
    return Either.left(cliError("bad-option", `unknown --kernel '${kernelText.slice(0, 20)}'`, "use --kernel 6.1 or --kernel 6.12"));
  }
  const kernels: Kernel[] = kernelText === undefined ? ["6.1", "6.12"] : [kernelText];
  const scenarios = loadScenarios(join(root, "oracle", "scenarios"));
  if (Either.isLeft(scenarios)) return Either.left(scenarios.left);
  const only = stringOption(parsed.right, "scenario");
  const chosen = only === undefined ? scenarios.right : scenarios.right.filter((s) => s.id === only);
  if (chosen.length === 0) return Either.left(cliError("bad-option", `no scenario '${(only ?? "").slice(0, 60)}'`, `use one of ${scenarios.right.map((s) => s.id).join(", ")}`));
  const cache = stringOption(parsed.right, "cache") ?? DEFAULT_CACHE;
  const why = await provision(root, cache, io);
  if (why !== undefined) {
    println(io.stderr, `daxmc: the kernels cannot be provisioned here (${why}): see oracle/README.md`);
    return Either.right(EXIT.badInput);
  }
  const logs = stringOption(parsed.right, "logs");
  const rows: ConformanceRow[] = [];
  for (const kernel of kernels) rows.push(...(await runKernel(root, cache, kernel, chosen, io, logs)));
  printTable(io, rows);
  if (rows.some((r) => r.verdict === "DISAGREE")) return Either.right(EXIT.violation);
  return Either.right(io.signal?.aborted === true ? EXIT.incomplete : EXIT.ok);
}

function loadScenarios(dir: string): Either.Either<Scenario[], CliError> {
  const out: Scenario[] = [];
  for (const f of readdirSync(dir).filter((n) => n.endsWith(".json")).sort()) {
    const s = decodeScenario(readFileSync(join(dir, f), "utf8"));
    if (Either.isLeft(s)) return Either.left(cliError("bad-trace", `oracle/scenarios/${f} is not a valid scenario (${s.left})`, "fix the file (spec/oracle/scenario.ts gives the format)"));
    out.push(s.right);
  }
  return Either.right(out);
}

/**
 * Runs one kernel's scenarios, each in a boot of its own: the WARNs are WARN_ON_ONCE (a second
 * scenario in the same boot would not print them again) and an oops ends the guest.
 */
async function runKernel(root: string, cache: string, kernel: Kernel, scenarios: readonly Scenario[], io: Io, logs: string | undefined): Promise<ConformanceRow[]> {
  const rows: ConformanceRow[] = [];
  const interrupted = (): boolean => io.signal?.aborted === true;
  for (const s of scenarios) {
    const why = unpredictable(s);
    if (why !== undefined) {
      rows.push(rowFor(s.id, kernel, [], undefined, `the model cannot predict it: ${why}`));
      continue;
    }
    const predicted = predict(asGuestRuns(s), kernel).outcomes;
    const steps = guestSteps(s);
    if (!steps.ok) rows.push(rowFor(s.id, kernel, predicted, undefined, steps.why));
    else if (interrupted()) rows.push(rowFor(s.id, kernel, predicted, undefined, "interrupted before its guest ran"));
    else rows.push(await runOne(root, cache, kernel, s, predicted, io, logs));
  }
  return rows;
}

/** One scenario in a guest of its own; its serial log kept under `logs` (as the test fixtures are) when given. */
async function runOne(root: string, cache: string, kernel: Kernel, s: Scenario, predicted: readonly Observed[], io: Io, logs: string | undefined): Promise<ConformanceRow> {
  println(io.stderr, `conformance ${kernel}: booting a guest for ${s.id}`);
  const started = Date.now();
  const guest = await bootScenarios(root, cache, kernel, [s], io);
  println(io.stderr, `conformance ${kernel}: guest done in ${((Date.now() - started) / 1000).toFixed(0)} s (exit ${guest.code})`);
  if (logs !== undefined) writeFileAtomic(join(logs, kernel, `${s.id}.log`), guest.stdout);
  const outcome = parseGuestLog(guest.stdout).find((o) => o.id === s.id);
  if (outcome === undefined && io.signal?.aborted === true) return rowFor(s.id, kernel, predicted, undefined, "interrupted while its guest ran");
  return rowFor(s.id, kernel, predicted, outcome);
}

function printTable(io: Io, rows: readonly ConformanceRow[]): void {
  println(io.stdout, "| scenario | kernel | predicted (any of) | observed | agree |", "| --- | --- | --- | --- | --- |");
  for (const r of rows) println(io.stdout, `| ${r.scenario} | ${r.kernel} | ${r.predicted} | ${r.observed} | ${r.verdict}${r.note === undefined ? "" : ` (${r.note})`} |`);
  const agree = rows.filter((r) => r.verdict === "agree").length;
  println(io.stdout, "", `${agree} of ${rows.length} rows agree; ${rows.filter((r) => r.verdict === "DISAGREE").length} disagree; ${rows.filter((r) => r.verdict === "not run").length} not run`);
}
