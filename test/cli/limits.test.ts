import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { memoryShare, memoryShort, workerMemoryShort } from "../../src/cli/memory.js";
import { ONE_LINE, daxmc, tempDir } from "./run.js";

describe("an interrupt (the signal main is given) stops a search cleanly and keeps what it found", () => {
  it("check: saves every counterexample found so far, reports the rest undecided, exits 1", async () => {
    const cwd = tempDir();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 3000);
    const r = await daxmc(["check", "--variant", "reflink-singular", "--bounds", "full"], cwd, false, controller.signal);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^ {2}no_warn_associate +VIOLATED in 3 steps$/m);
    expect(r.stdout).toMatch(/undecided/);
    expect(r.stdout).toMatch(/^incomplete: the search stopped at an interrupt after [\d,]+ distinct states .*; run it again to completion$/m);
    const saved = readdirSync(join(cwd, "counterexamples", "bounds-full", "reflink-singular"));
    expect(saved).toContain("no_warn_associate.itf.json");
    expect(r.stdout).toMatch(/^result: \d+ violations? \(/m);
  });

  it("matrix: reports the variants it finished, names those it never began, leaves docs alone, exits 3", async () => {
    const cwd = tempDir();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 1500);
    const r = await daxmc(["matrix", "--bounds", "full"], cwd, false, controller.signal);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/incomplete: the search stopped at an interrupt/);
    expect(r.stdout).toMatch(/^ {2}not searched \(interrupted before they began\): .*upstream-normap$/m);
    expect(existsSync(join(cwd, "docs"))).toBe(false);
  });

  it("an interrupt before the search begins exits 3 with every verdict undecided", async () => {
    const controller = new AbortController();
    controller.abort();
    const r = await daxmc(["check", "--variant", "v4.18", "--bounds", "tiny", "--brief"], tempDir(), false, controller.signal);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/^no_oops +undecided/m);
    expect(r.stdout).toMatch(/stopped at an interrupt after 1 distinct states/);
  });
});

describe("memory is a limit like the others", () => {
  it("--max-memory below what the process already uses stops at once: exit 3, the option named", async () => {
    const r = await daxmc(["check", "--variant", "v4.18", "--max-memory", "64M"]);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/^incomplete: the search stopped at the memory limit after .*; give it more with --max-memory/m);
  });

  it.each([["0"], ["64K"], ["lots"], ["1e9"], ["-5G"], ["0x40000000"]])("--max-memory %s is refused before searching", async (size) => {
    const r = await daxmc(["check", "--variant", "v4.18", "--max-memory", size]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(ONE_LINE);
    expect(r.stderr).toMatch(/--max-memory '.*' is not valid: give a size of at least 64M/);
  });
});

describe("--out is checked before the search", () => {
  it.each([["/dev/null"], ["/proc"], ["/proc/self"], ["/proc/self/fd"]])("--out %s: one line, exit 2, nothing searched", async (out) => {
    const started = performance.now();
    const r = await daxmc(["check", "--variant", "v6.12-normap", "--out", out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(ONE_LINE);
    expect(r.stderr).toMatch(/^daxmc: cannot write counterexamples under \S+ \(.+\): give a writable directory with --out DIR\n$/);
    expect(r.stdout).toBe("");
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it("matrix checks it too", async () => {
    const r = await daxmc(["matrix", "--out", "/dev/null"]);
    expect([r.code, r.stdout]).toEqual([2, ""]);
  });
});

describe("memoryShort", () => {
  it("is short when the resident set plus the reserve passes --max-memory, or the virtual size nears the address-space limit", () => {
    const rss = process.memoryUsage.rss();
    expect(memoryShort(rss * 4, undefined)(0)).toBe(false);
    expect(memoryShort(rss * 4, undefined)(rss * 4)).toBe(true);
    expect(memoryShort(rss * 4, 2 ** 50)(0)).toBe(false);
    expect(memoryShort(rss * 4, rss)(0)).toBe(true);
  });

  it("reads ulimit -v from /proc/self/limits", () => {
    const script = `import("${fileURLToPath(new URL("../../dist/src/cli/memory.js", import.meta.url))}").then((m) => console.log(m.addressSpaceLimit()))`;
    const limited = spawnSync("bash", ["-c", `ulimit -v 4194304; "${process.execPath}" -e '${script}'`], { encoding: "utf8" });
    expect(limited.stdout.trim()).toBe(String(4194304 * 1024));
  });
});

describe("--max-memory split between matrix's worker threads", () => {
  it("each worker's share is what the process does not use, split evenly", () => {
    const rss = process.memoryUsage.rss();
    const share = memoryShare(rss + 2 ** 30, 2);
    expect(share).toBeGreaterThan(2 ** 28);
    expect(share).toBeLessThan(2 ** 29 + 2 ** 24);
  });

  it("a worker is short past its own share, or when the whole process would pass --max-memory", () => {
    const rss = process.memoryUsage.rss();
    expect(workerMemoryShort(2 ** 40, 2 ** 40, undefined)(0)).toBe(false);
    expect(workerMemoryShort(1, 2 ** 40, undefined)(0)).toBe(true);
    expect(workerMemoryShort(2 ** 40, rss / 2, undefined)(0)).toBe(true);
  });
});
