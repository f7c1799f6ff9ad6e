import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { tempDir } from "./run.js";

const main = fileURLToPath(new URL("../../dist/src/cli/main.js", import.meta.url));

/** What a finished child printed and how it ended. */
interface Ended {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Starts `daxmc ...argv` as a real process (the built CLI, as users run it); `stderrSoFar` reads what it printed there yet. */
function start(argv: readonly string[], cwd: string): { child: ChildProcess; ended: Promise<Ended>; stderrSoFar: () => string } {
  const child = spawn(process.execPath, [main, ...argv], { cwd, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d) => (stdout += d));
  child.stderr!.on("data", (d) => (stderr += d));
  const ended = new Promise<Ended>((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
  return { child, ended, stderrSoFar: () => stderr };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("signals, sent to a real daxmc process (needs dist/: npm test builds it)", () => {
  it("SIGINT during check: stops, saves what it found, prints the partial report, exits 1", async () => {
    const cwd = tempDir();
    const { child, ended } = start(["check", "--variant", "reflink-singular", "--bounds", "full"], cwd);
    await sleep(3000);
    child.kill("SIGINT");
    const r = await ended;
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^daxmc: SIGINT: stopping the search and saving what it found \(interrupt again to exit at once\)$/m);
    expect(r.stdout).toMatch(/^incomplete: the search stopped at an interrupt after/m);
    expect(r.stdout).toMatch(/^statistics$/m);
    expect(readdirSync(join(cwd, "counterexamples", "bounds-full", "reflink-singular"))).toContain("no_warn_associate.itf.json");
  });

  it("SIGTERM during matrix: reports the variants it finished and exits 3", async () => {
    const cwd = tempDir();
    const { child, ended } = start(["matrix", "--bounds", "full"], cwd);
    await sleep(2500);
    child.kill("SIGTERM");
    const r = await ended;
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/daxmc: SIGTERM: stopping the search/);
    expect(r.stdout).toMatch(/^against expectations$/m);
    expect(r.stdout).toMatch(/not searched \(interrupted before they began\)/);
    expect(existsSync(join(cwd, "docs"))).toBe(false);
  });

  it("a second interrupt exits at once with 130 (the handlers, in a process that is still busy after the first)", () => {
    const handlers = fileURLToPath(new URL("../../dist/src/cli/interrupt.js", import.meta.url));
    const script = [
      `const { installInterruptHandlers } = await import(${JSON.stringify(handlers)});`,
      "const h = installInterruptHandlers(process.stderr);",
      "h.signal.addEventListener('abort', () => setTimeout(() => process.kill(process.pid, 'SIGTERM'), 50));",
      "setInterval(() => {}, 1000);",
      "setTimeout(() => process.kill(process.pid, 'SIGINT'), 50);",
    ].join("\n");
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 10_000 });
    expect(r.status).toBe(130);
    expect(r.stderr).toMatch(/daxmc: SIGINT: stopping the search and saving what it found \(interrupt again to exit at once\)\n/);
    expect(r.stderr).toMatch(/daxmc: SIGTERM again: exiting at once; results not yet saved are lost\n$/);
  });

  it("without a TTY, a long run prints a progress line every few seconds with states/s and elapsed time", async () => {
    // Waits for the line rather than a fixed time: on a loaded machine (CI runs test files side by side) the process
    // may take more than a second to start, and the first line comes 5 s into the search.
    const { child, ended, stderrSoFar } = start(["check", "--variant", "reflink-singular", "--bounds", "full"], tempDir());
    const line = /^check reflink-singular: [\d,]+ states, [\d,]+ states\/s, queue [\d,]+, depth \d+, elapsed (\d+) s$/m;
    const deadline = Date.now() + 60_000;
    while (!line.test(stderrSoFar()) && Date.now() < deadline) await sleep(100);
    child.kill("SIGINT");
    const first = (await ended).stderr.match(line);
    expect(first).not.toBeNull();
    expect(Number(first?.[1])).toBeGreaterThanOrEqual(5);
  }, 90_000);
});
