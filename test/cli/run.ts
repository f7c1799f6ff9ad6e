/** Runs the CLI in-process with captured streams, in a fresh temporary working directory removed after the file's tests. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { main } from "../../src/cli/main.js";

/** What one invocation printed and returned; progress lines (a long run, stderr not a TTY) are set apart from `stderr`. */
export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly progress: readonly string[];
}

/** A plain progress line, as `progressReporter` prints it when stderr is not a terminal. */
export const PROGRESS_LINE = /^(check|matrix) \S+: [\d,]+ states, [\d,]+ states\/s, queue [\d,]+, depth \d+, elapsed .+$/;

const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A new empty directory to use as the working directory; removed when the test file ends. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "daxmc-cli-"));
  made.push(dir);
  return dir;
}

/** Runs `daxmc ...argv` in `cwd`; `tty` makes stderr claim to be a terminal; `signal` stands for Ctrl-C. */
export async function daxmc(argv: readonly string[], cwd: string = tempDir(), tty = false, signal?: AbortSignal): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t), isTTY: tty },
    cwd,
    signal,
  });
  const lines = stderr.split("\n");
  const progress = tty ? [] : lines.filter((l) => PROGRESS_LINE.test(l));
  const rest = tty ? stderr : lines.filter((l) => !PROGRESS_LINE.test(l)).join("\n");
  return { code, stdout, stderr: rest, progress };
}

/** Exactly one line on stderr, `daxmc: <what>: <fix>`, and no stack trace. */
export const ONE_LINE = /^daxmc: [^\n]+: [^\n]+\n$/;
