/**
 * `daxmc reproduce`: a counterexample of a kernel variant as a scenario, a shell script and an
 * fstests test. The guest run itself needs QEMU, so these tests use --no-run; what the real
 * kernels did with scenarios is in test/oracle/recorded-runs.test.ts.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { scenarioFromTrace } from "../../spec/oracle/from-trace.js";
import { buildModel } from "../../src/cli/wiring.js";
import { daxmc, tempDir } from "../cli/run.js";
import { ROOT, savedCounterexample } from "../saved-trace.js";

const convert = (variant: string, invariant: string) => {
  const t = savedCounterexample(variant, invariant);
  return scenarioFromTrace("x", t.variant.id, t.bounds, buildModel(t.variant, t.bounds).layout, t.actions, t.states, (a) => t.model.actionLabel(a));
};

describe("scenarioFromTrace", () => {
  it("keeps the user actions in order and leaves the kernel's steps to the kernel", () => {
    const r = convert("v6.1-normap", "no_oops");
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.kernel).toBe("6.1");
    expect(r.scenario.mkfs).toEqual({ reflink: true, rmapbt: false });
    expect(r.scenario.events.map((e) => Object.keys(e)[0])).toEqual(["clone", "touch", "poison"]);
    expect(r.dropped.length).toBeGreaterThan(0);
    expect(r.substituted).toEqual([expect.stringMatching(/^scrub\(p\d\): badblocks, then corrupt-pfn/)]);
  });

  it("refuses a variant that is no kernel the oracle runs", () => {
    const r = convert("v4.19.0", "no_oops");
    expect(r).toEqual({ ok: false, why: expect.stringContaining("is not a kernel this oracle runs") });
  });

  it("makes an allocating write fault of B a write touch (the guest creates B as holes)", () => {
    const r = convert("v6.12", "share_count_exact");
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.scenario.events).toContainEqual({ touch: { proc: 1, offset: 0, mode: "write" } });
  });
});

describe("daxmc reproduce --no-run", () => {
  it("writes the scenario, a script and an fstests test that parse, and says the sequential run shows the WARN", async () => {
    const cwd = tempDir();
    const r = await daxmc(["reproduce", join(ROOT, "counterexamples", "v6.12", "no_warn_truncate_busy.itf.json"), "--no-run", "--out", "r", "--seq", "777"], cwd);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("the model shows the violation");
    expect(r.stdout).toContain("on Linux 6.12");
    const dir = join(cwd, "r");
    const scenario = JSON.parse(readFileSync(join(dir, "scenario.json"), "utf8"));
    expect(scenario.events.map((e: object) => Object.keys(e)[0])).toContain("pin");
    const test = readFileSync(join(dir, "fstests", "tests", "xfs", "777"), "utf8");
    expect(test).toContain('_require_scratch_dax_mountopt "dax=always"');
    expect(test).toContain("_require_check_dmesg");
    expect(test).toContain("# FS QA Test No. 777");
    expect(readFileSync(join(dir, "fstests", "tests", "xfs", "777.out"), "utf8")).toBe("QA output created by 777\nFormat and mount\nRun the scenario\n");
    expect(statSync(join(dir, "reproduce.sh")).mode & 0o111).not.toBe(0);
    execFileSync("bash", ["-n", join(dir, "fstests", "tests", "xfs", "777")]);
    execFileSync("sh", ["-n", join(dir, "reproduce.sh")]);
    // The helper travels inside both, byte for byte.
    expect(test).toContain(readFileSync(join(ROOT, "oracle", "helper.c"), "utf8"));
  });

  it("says when a counterexample needs two operations interleaved", async () => {
    const r = await daxmc(["reproduce", join(ROOT, "counterexamples", "v6.12", "no_deadlock.itf.json"), "--no-run", "--out", "r"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("does not show the violation: the counterexample needs operations interleaved");
  });

  it("refuses a counterexample of a design no kernel here runs, in one line with exit 2", async () => {
    const cwd = tempDir();
    const r = await daxmc(["reproduce", join(ROOT, "counterexamples", "v4.19.0", "no_oops.itf.json"), "--no-run"], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("is not a kernel this oracle runs");
    expect(existsSync(join(cwd, "reproducers"))).toBe(false);
  });

  it("refuses a bad --seq", async () => {
    const r = await daxmc(["reproduce", join(ROOT, "counterexamples", "v6.1-normap", "no_oops.itf.json"), "--seq", "x1"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("is not a test number");
  });
});
