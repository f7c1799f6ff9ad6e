/** What `daxmc --help` and `daxmc COMMAND --help` print: kept apart so help loads nothing else. */

/** The commands daxmc has. */
export type CommandName = "list" | "check" | "matrix" | "replay" | "docs" | "mutants";

const NAMES: readonly CommandName[] = ["list", "check", "matrix", "replay", "docs", "mutants"];

/** Whether `name` is a command (an own name, never an Object.prototype member). */
export function isCommandName(name: string): name is CommandName {
  return (NAMES as readonly string[]).includes(name);
}

const EXIT_LINE = "exit codes: 0 holds / completed, 1 violation, 2 bad input, 3 incomplete (a limit or an interrupt stopped it), 70 internal error";

const SEARCH_LINES = [
  "  --bounds B          a preset (tiny, small = default, full), key=value edits, or both: tiny,blocks=3",
  "  --max-states N      stop after N distinct states (verdicts not yet decided are 'undecided')",
  "  --max-depth N       do not expand states N steps or more from the start",
  "  --timeout SECONDS   stop after this long",
  "  --max-memory SIZE   stop when the process uses this much memory: 512M, 4G (default: 80% of RAM)",
  "  --out DIR           where counterexamples go (default counterexamples/; other bounds in DIR/bounds-B/)",
  "  --json              one JSON document on stdout instead of text",
];

/** The overview `daxmc --help` prints. */
export const USAGE: readonly string[] = [
  "usage:",
  "  daxmc list [--json]                          variants, invariants and bound presets",
  "  daxmc check --variant ID [--invariant ID] [--bounds PRESET|key=value,...] [--json] [--brief]",
  "              [--max-states N] [--max-depth N] [--timeout SECONDS] [--max-memory SIZE] [--out DIR]",
  "  daxmc matrix [--bounds ...] [--out DIR] [--json | --md] [--workers N] [limits as for check]",
  "  daxmc replay FILE [--path-only]",
  "  daxmc docs [--check]                         write docs/invariants.md from the spec (--check: exit 1 if stale)",
  "  daxmc mutants [--bounds ...] [--json | --md]  seeded kernel bugs, and which invariant catches each",
  "  daxmc COMMAND --help                         one command's options",
  "Ctrl-C (or SIGTERM) stops a search, saves the counterexamples found so far and reports; a second one exits at once.",
  EXIT_LINE,
];

/** Each command's own help. */
export const COMMAND_HELP: Readonly<Record<CommandName, readonly string[]>> = {
  list: ["usage: daxmc list [--json]", "  the variants, invariants (with their 'sometimes' partners) and bound presets", "  --json  one JSON document"],
  check: [
    "usage: daxmc check --variant ID [--invariant ID] [options]",
    "  explores every state of one variant breadth-first and reports each invariant: holds, VIOLATED n, vacuous or undecided",
    "  --variant ID        the design variant (daxmc list)",
    "  --invariant ID      check this invariant (and its partner) only",
    ...SEARCH_LINES,
    "  --brief             one line per verdict, with the counterexample's file",
    EXIT_LINE,
  ],
  matrix: [
    "usage: daxmc matrix [options]",
    "  every variant against every invariant; at the default bounds it also rewrites docs/verdicts.md and docs/invariants.md",
    ...SEARCH_LINES,
    "  --md                the Markdown table (as in docs/verdicts.md) on stdout instead of text",
    "  --workers N         search up to N variants at once, each in a worker thread with an equal share of --max-memory",
    "                      (default: the number of CPU cores; 1: one after another, in this process); same report either way",
    EXIT_LINE,
  ],
  replay: [
    "usage: daxmc replay FILE [--path-only]",
    "  rebuilds a saved counterexample's states in today's model and says whether it still violates",
    "  --path-only  follow the actions only; do not compare the states stored in the file",
    `  FILE must be a regular file of at most 128 MiB written by daxmc check or matrix`,
    EXIT_LINE,
  ],
  docs: [
    "usage: daxmc docs [--check]",
    "  writes docs/invariants.md from the spec and the counterexamples saved at the default bounds",
    "  --check  write nothing; exit 1 when docs/invariants.md is stale",
  ],
  mutants: [
    "usage: daxmc mutants [--bounds B] [--json | --md] [--max-states N] [--timeout SECONDS] [--max-memory SIZE]",
    "  runs each seeded bug of spec/mutants.ts against its variant; caught when a verdict, or the number of states violating an invariant, changes",
    "  exit 0 every mutant caught, 1 one not caught (an invariant is missing), 3 a limit or an interrupt cut a search short",
  ],
};
