/** What a command reads and writes besides files: injected, so tests run `main` in-process. */

/** A text output stream (process.stdout/stderr, or a capture in tests). */
export interface Out {
  write(text: string): unknown;
  /** True when the stream is a terminal: only then is live progress drawn. */
  readonly isTTY?: boolean;
}

/** The streams and working directory of one invocation. */
export interface Io {
  readonly stdout: Out;
  readonly stderr: Out;
  /** Relative paths (--out, trace files, docs/) resolve against this. */
  readonly cwd: string;
  /** Aborted by an interrupt (Ctrl-C, SIGTERM): a search then stops cleanly and keeps what it found. */
  readonly signal?: AbortSignal;
}

/** Writes each line followed by a newline (a few lines; use `printAll` for a list of any length). */
export function println(out: Out, ...lines: readonly string[]): void {
  printAll(out, lines);
}

/** Writes every line of `lines`, one by one, so output of any length never passes through an argument list. */
export function printAll(out: Out, lines: Iterable<string>): void {
  for (const line of lines) out.write(line + "\n");
}
