/**
 * `daxmc conformance [--kernel 6.1|6.12] [--scenario ID] [--cache DIR]`: runs the scenarios of
 * oracle/scenarios/ on real Linux 6.1 and 6.12 under QEMU and compares what each kernel did with
 * the outcomes the model allows. Exit 0 all agree, 1 a disagreement, 2 provisioning impossible.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import * as Either from "effect/Either";
import { type ConformanceRow, rowFor } from "../../spec/oracle/compare.js";
import { parseGuestLog } from "../../spec/oracle/guest-log.js";
import { guestSteps } from "../../spec/oracle/guest-steps.js";
import { type Kernel, predict } from "../../spec/oracle/predict.js";
import { type Scenario, decodeScenario } from "../../spec/oracle/scenario.js";
import { parseCommand, stringOption } from "./args.js";
import { type CliError, cliError } from "./errors.js";
import { EXIT } from "./exit.js";
import { type Io, println } from "./io.js";
import { packageRoot } from "./version.js";

const OPTIONS = { kernel: { type: "string" }, scenario: { type: "string" }, cache: { type: "string" } } as const;

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
  const cache = stringOption(parsed.right, "cache") ?? join(homedir(), ".cache", "daxmc-oracle");
  const provision = await run("sh", [join(root, "oracle", "provision.sh"), cache], io);
  if (provision.code !== 0) {
    const why = provision.stderr.trim().split("\n").pop() ?? "provision.sh failed";
    println(io.stderr, `daxmc: the kernels cannot be provisioned here (${why.slice(0, 300)}): see oracle/README.md`);
    return Either.right(EXIT.badInput);
  }
  const rows: ConformanceRow[] = [];
  for (const kernel of kernels) rows.push(...(await runKernel(root, cache, kernel, chosen, io)));
  printTable(io, rows);
  return Either.right(rows.some((r) => r.verdict === "DISAGREE") ? EXIT.violation : EXIT.ok);
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
async function runKernel(root: string, cache: string, kernel: Kernel, scenarios: readonly Scenario[], io: Io): Promise<ConformanceRow[]> {
  // The guest's helper ends with `check late` (each process reads its page again) and the guest unmounts.
  const withEnd = (s: Scenario): Scenario => ({ ...s, events: [...s.events, { late_read: true as const }, { umount: true as const }] });
  const predictions = new Map(scenarios.map((s) => [s.id, predict(withEnd(s), kernel).outcomes]));
  const rows: ConformanceRow[] = [];
  const batches: Scenario[][] = [];
  for (const s of scenarios) {
    const steps = guestSteps(s);
    if (steps.ok) batches.push([s]);
    else rows.push(rowFor(s.id, kernel, predictions.get(s.id) ?? [], undefined, steps.why));
  }
  const dir = mkdtempSync(join(tmpdir(), "daxmc-conformance-"));
  try {
    for (const batch of batches) {
      const files = batch.map((s) => {
        const steps = guestSteps(s);
        const file = join(dir, `${s.id}.scn`);
        writeFileSync(file, `${steps.ok ? steps.lines.join("\n") : ""}\n`);
        return file;
      });
      println(io.stderr, `conformance ${kernel}: booting a guest for ${batch.map((s) => s.id).join(", ")}`);
      const started = Date.now();
      const guest = await run("sh", [join(root, "oracle", "run-guest.sh"), cache, kernel, ...files], io);
      println(io.stderr, `conformance ${kernel}: guest done in ${((Date.now() - started) / 1000).toFixed(0)} s (exit ${guest.code})`);
      const outcomes = new Map(parseGuestLog(guest.stdout).map((o) => [o.id, o]));
      for (const s of batch) rows.push(rowFor(s.id, kernel, predictions.get(s.id) ?? [], outcomes.get(s.id)));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

function printTable(io: Io, rows: readonly ConformanceRow[]): void {
  println(io.stdout, "| scenario | kernel | predicted (any of) | observed | agree |", "| --- | --- | --- | --- | --- |");
  for (const r of rows) println(io.stdout, `| ${r.scenario} | ${r.kernel} | ${r.predicted} | ${r.observed} | ${r.verdict}${r.note === undefined ? "" : ` (${r.note})`} |`);
  const agree = rows.filter((r) => r.verdict === "agree").length;
  println(io.stdout, "", `${agree} of ${rows.length} rows agree; ${rows.filter((r) => r.verdict === "DISAGREE").length} disagree; ${rows.filter((r) => r.verdict === "not run").length} not run`);
}

/** Runs a command, collecting stdout, passing stderr lines through as progress. */
function run(cmd: string, args: readonly string[], io: Io): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, [...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString("utf8");
      io.stderr.write(d.toString("utf8"));
    });
    child.on("error", (e) => resolve({ code: 127, stdout, stderr: `${stderr}${e.message}\n` }));
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}
