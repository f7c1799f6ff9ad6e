/**
 * The conformance matrix without QEMU: the guest logs of the last `npm run conformance -- --logs
 * test/oracle/fixtures/runs` (real Linux 6.1.192 and 6.12.117), read back and compared with
 * today's predictions. A change to the model, the prediction or the log reader that turns a row
 * into a disagreement fails here; a new scenario must come with its runs.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import * as Either from "effect/Either";
import { describe, expect, it } from "vitest";
import { rowFor } from "../../spec/oracle/compare.js";
import { parseGuestLog } from "../../spec/oracle/guest-log.js";
import { guestSteps } from "../../spec/oracle/guest-steps.js";
import { type Kernel, asGuestRuns, predict, unpredictable } from "../../spec/oracle/predict.js";
import { type Scenario, decodeScenario } from "../../spec/oracle/scenario.js";
import { ROOT } from "../saved-trace.js";

const SCENARIOS = join(ROOT, "oracle", "scenarios");
const RUNS = join(ROOT, "test", "oracle", "fixtures", "runs");
const OTHER_RUNS = join(ROOT, "test", "oracle", "fixtures", "runs-other");
const KERNELS: readonly Kernel[] = ["6.1", "6.12"];

const scenarios: Scenario[] = readdirSync(SCENARIOS).filter((f) => f.endsWith(".json")).sort().map((f) => {
  const s = decodeScenario(readFileSync(join(SCENARIOS, f), "utf8"));
  if (Either.isLeft(s)) throw new Error(`${f}: ${s.left}`);
  return s.right;
});


const cases = scenarios.flatMap((s) => KERNELS.map((kernel) => ({ id: s.id, kernel, s })));

describe("the recorded runs on the real kernels", () => {
  it("has at least 30 scenarios, each predictable and runnable in the guest", () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(30);
    for (const s of scenarios) {
      expect(unpredictable(s), s.id).toBeUndefined();
      expect(guestSteps(s).ok, s.id).toBe(true);
    }
  });

  it.each(cases)("$id on $kernel: the kernel did what the model allows", ({ id, kernel, s }) => {
    const file = join(RUNS, kernel, `${id}.log`);
    expect(existsSync(file), `no recorded run ${file}: run npm run conformance -- --scenario ${id} --logs test/oracle/fixtures/runs`).toBe(true);
    expectAgreement(file, id, kernel, s);
  });

  /** Runs where the kernel took the other way of a race it decides (inode inactivation before or after the poison). */
  const others = KERNELS.flatMap((kernel) =>
    (existsSync(join(OTHER_RUNS, kernel)) ? readdirSync(join(OTHER_RUNS, kernel)) : []).map((f) => ({ kernel, id: f.replace(/\.log$/, "") })),
  );
  it.each(others)("$id on $kernel, the other outcome recorded: the model allows it too", ({ id, kernel }) => {
    const s = scenarios.find((x) => x.id === id);
    expect(s, `no scenario ${id}`).toBeDefined();
    if (s !== undefined) expectAgreement(join(OTHER_RUNS, kernel, `${id}.log`), id, kernel, s);
  });
});

function expectAgreement(file: string, id: string, kernel: Kernel, s: Scenario): void {
  const outcome = parseGuestLog(readFileSync(file, "utf8")).find((o) => o.id === id);
  const row = rowFor(id, kernel, predict(asGuestRuns(s), kernel).outcomes, outcome);
  expect(row.verdict, `predicted ${row.predicted}; observed ${row.observed} ${row.note ?? ""}`).toBe("agree");
}
