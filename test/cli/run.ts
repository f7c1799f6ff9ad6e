/** Runs the CLI in-process with captured streams, in a fresh temporary working directory. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../src/cli/main.js";

/** What one invocation printed and returned. */
export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A new empty directory to use as the working directory. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "daxmc-cli-"));
}

/** Runs `daxmc ...argv` in `cwd`; `tty` makes stderr claim to be a terminal. */
export async function daxmc(argv: readonly string[], cwd: string = tempDir(), tty = false): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t), isTTY: tty },
    cwd,
  });
  return { code, stdout, stderr };
}

/** Exactly one line on stderr, `daxmc: <what>: <fix>`, and no stack trace. */
export const ONE_LINE = /^daxmc: [^\n]+: [^\n]+\n$/;
