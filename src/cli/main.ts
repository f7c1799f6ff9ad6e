/**
 * The daxmc command line: `list`, `check`, `merge`, `matrix`, `replay`, `report`, `docs`, `mutants`. `main` is what tests call; the
 * module runs itself when node executes it directly, and `bin/daxmc.js` calls `run`.
 * Each command's module is loaded only when that command runs, so `list`, `--help` and bad
 * input answer without loading the search engine or effect's Schema.
 */
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as Either from "effect/Either";
import { wantsHelp } from "./args.js";
import { CliFailure, type CliError, cliError, exitCodeOf, formatCliError } from "./errors.js";
import { EXIT } from "./exit.js";
import { type Io, println } from "./io.js";
import { installInterruptHandlers } from "./interrupt.js";
import { COMMAND_HELP, type CommandName, USAGE, isCommandName } from "./usage.js";
import { toolName } from "./version.js";

/** What a command is: it validates its arguments, runs, and returns an exit code or an error. */
export type Command = (argv: readonly string[], io: Io) => Promise<Either.Either<number, CliError>> | Either.Either<number, CliError>;

/** Loads a command's module on demand. */
const COMMANDS: Readonly<Record<CommandName, () => Promise<Command>>> = {
  list: async () => (await import("./list.js")).list,
  check: async () => (await import("./check.js")).check,
  merge: async () => (await import("./merge.js")).merge,
  matrix: async () => (await import("./matrix.js")).matrix,
  replay: async () => (await import("./replay.js")).replay,
  shrink: async () => (await import("./shrink.js")).shrinkCommand,
  simulate: async () => (await import("./simulate.js")).simulate,
  explain: async () => (await import("./explain.js")).explain,
  report: async () => (await import("./report.js")).report,
  conformance: async () => (await import("./conformance.js")).conformance,
  reproduce: async () => (await import("./reproduce.js")).reproduce,
  docs: async () => (await import("./docs.js")).docs,
  mutants: async () => (await import("./mutants.js")).mutants,
};

const COMMAND_NAMES = `use one of ${Object.keys(COMMANDS).join(", ")} (daxmc --help shows how)`;

/** Runs one invocation (`argv` without node and the script) and returns its exit code; never throws. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  try {
    const [name, ...rest] = argv;
    if (name === "help" || name === "--help" || name === "-h") {
      const topic = rest[0];
      if (topic !== undefined && isCommandName(topic)) println(io.stdout, ...COMMAND_HELP[topic]);
      else println(io.stdout, `${toolName()}: bounded model checker for filesystem-DAX page ownership`, ...USAGE);
      return EXIT.ok;
    }
    if (name === "--version") {
      println(io.stdout, toolName());
      return EXIT.ok;
    }
    if (name === undefined) return report(io, cliError("no-command", "no command given", COMMAND_NAMES));
    if (!isCommandName(name)) return report(io, cliError("unknown-command", `unknown command '${name}'`, COMMAND_NAMES));
    if (wantsHelp(rest)) {
      println(io.stdout, ...COMMAND_HELP[name]);
      return EXIT.ok;
    }
    const command = await COMMANDS[name]();
    const result = await command(rest, io);
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
  const interrupt = installInterruptHandlers(process.stderr);
  try {
    process.exitCode = await main(process.argv.slice(2), {
      stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), signal: interrupt.signal,
    });
  } finally {
    interrupt.dispose();
  }
}

function executedDirectly(): boolean {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (executedDirectly()) void run();
