/**
 * Running scenarios on the real kernels: provisioning (oracle/provision.sh) and one TCG guest
 * boot (oracle/run-guest.sh) for a batch of scenarios, shared by `conformance` and `reproduce`.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { guestSteps } from "../../spec/oracle/guest-steps.js";
import type { Kernel } from "../../spec/oracle/predict.js";
import type { Scenario } from "../../spec/oracle/scenario.js";
import type { Io } from "./io.js";

/** Where the host tools' kernels are unpacked unless --cache says otherwise. */
export const DEFAULT_CACHE = join(homedir(), ".cache", "daxmc-oracle");

/** Provisions QEMU and the kernels into `cache`; undefined when ready, else the one-line reason. */
export async function provision(root: string, cache: string, io: Io): Promise<string | undefined> {
  const r = await run("sh", [join(root, "oracle", "provision.sh"), cache], io);
  if (r.code === 0) return undefined;
  return (r.stderr.trim().split("\n").pop() ?? "provision.sh failed").slice(0, 300);
}

/** Boots one guest of `kernel` for `scenarios` (each must have guest steps) and returns its serial log. */
export async function bootScenarios(root: string, cache: string, kernel: Kernel, scenarios: readonly Scenario[], io: Io): Promise<{ code: number; stdout: string }> {
  const dir = mkdtempSync(join(tmpdir(), "daxmc-guest-"));
  try {
    const files = scenarios.map((s) => {
      const steps = guestSteps(s);
      const file = join(dir, `${s.id}.scn`);
      writeFileSync(file, `${steps.ok ? steps.lines.join("\n") : ""}\n`);
      return file;
    });
    const r = await run("sh", [join(root, "oracle", "run-guest.sh"), cache, kernel, ...files], io, io.signal);
    return { code: r.code, stdout: r.stdout };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** How long an interrupted guest gets to remove its temporary folder before it is killed. */
const GRACE_MS = 5000;

/**
 * Runs a command in a process group of its own, collecting stdout, passing stderr lines through as
 * progress. An interrupt sends the whole group (the shell, `timeout --foreground` and QEMU under
 * it) SIGTERM, so run-guest.sh removes its folder, and SIGKILL after GRACE_MS.
 */
function run(cmd: string, args: readonly string[], io: Io, signal?: AbortSignal): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, [...args], { stdio: ["ignore", "pipe", "pipe"], detached: true });
    const signalGroup = (sig: NodeJS.Signals): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, sig);
      } catch {
        // already gone
      }
    };
    let grace: NodeJS.Timeout | undefined;
    const stopGroup = (): void => {
      signalGroup("SIGTERM");
      grace = setTimeout(() => signalGroup("SIGKILL"), GRACE_MS);
    };
    if (signal?.aborted === true) stopGroup();
    signal?.addEventListener("abort", stopGroup, { once: true });
    child.on("close", () => {
      signal?.removeEventListener("abort", stopGroup);
      if (grace !== undefined) clearTimeout(grace);
    });
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
