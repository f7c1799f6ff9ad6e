/**
 * The daxmc command line: `list`, `check`, `matrix`, `replay`. `main` is what tests call; the
 * module runs itself when node executes it directly, and `bin/daxmc.js` calls `run`.
 */
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Either } from "effect";
import { check } from "./check.js";
import { CliFailure, type CliError, cliError, exitCodeOf, formatCliError } from "./errors.js";
import { EXIT } from "./exit.js";
import { type Io, println } from "./io.js";
import { list } from "./list.js";
import { matrix } from "./matrix.js";
import { replay } from "./replay.js";
import { toolName } from "./version.js";

type Command = (argv: readonly string[], io: Io) => Either.Either<number, CliError>;

const COMMANDS: Readonly<Record<string, Command>> = { list, check, matrix, replay };

const USAGE = [
  "usage:",
  "  daxmc list                                   variants, invariants and bound presets",
  "  daxmc check --variant ID [--invariant ID] [--bounds PRESET|key=value,...] [--json]",
  "              [--max-states N] [--max-depth N] [--timeout SECONDS] [--out DIR]",
  "  daxmc matrix [--bounds ...] [--out DIR] [--json] [limits as for check]",
  "  daxmc replay FILE [--path-only]",
  "exit codes: 0 holds / completed, 1 violation, 2 bad input, 3 incomplete (a limit was hit), 70 internal error",
];

const COMMAND_NAMES = `use one of ${Object.keys(COMMANDS).join(", ")} (daxmc help shows how)`;

/** Runs one invocation (`argv` without node and the script) and returns its exit code; never throws. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  try {
    const [name, ...rest] = argv;
    if (name === "help" || name === "--help" || name === "-h") {
      println(io.stdout, `${toolName()}: bounded model checker for filesystem-DAX page ownership`, ...USAGE);
      return EXIT.ok;
    }
    if (name === "--version") {
      println(io.stdout, toolName());
      return EXIT.ok;
    }
    if (name === undefined) return report(io, cliError("no-command", "no command given", COMMAND_NAMES));
    const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (command === undefined) return report(io, cliError("unknown-command", `unknown command '${name}'`, COMMAND_NAMES));
    const result = command(rest, io);
    return Either.isRight(result) ? result.right : report(io, result.left);
  } catch (e) {
    if (e instanceof CliFailure) return report(io, e.error);
    const message = e instanceof Error ? e.message : String(e);
    return report(io, cliError("internal", `internal error: ${message.split("\n")[0]}`, "please report it with the command line that caused it"));
  }
}

function report(io: Io, error: CliError): number {
  println(io.stderr, formatCliError(error));
  return exitCodeOf(error);
}

/** Runs `main` on this process's arguments and streams, and sets the exit code. */
export async function run(): Promise<void> {
  // A closed pipe (`daxmc list | head`) is not an error worth a stack trace.
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw e;
  });
  process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() });
}

function executedDirectly(): boolean {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (executedDirectly()) void run();
