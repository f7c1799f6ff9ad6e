/** What `daxmc --help` and `daxmc COMMAND --help` print: kept apart so help loads nothing else. */

/** The commands daxmc has. */
export type CommandName = "list" | "check" | "merge" | "matrix" | "replay" | "shrink" | "simulate" | "explain" | "report" | "conformance" | "reproduce" | "docs" | "mutants";

const NAMES: readonly CommandName[] = ["list", "check", "merge", "matrix", "replay", "shrink", "simulate", "explain", "report", "conformance", "reproduce", "docs", "mutants"];

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
  "  --no-symmetry       count every state: do not fold states that differ only by renaming blocks or like processes",
  "  --no-por            compute every successor: no sleep sets (the same states, verdicts and paths either way)",
  "  --json              one JSON document on stdout instead of text",
];

/** The overview `daxmc --help` prints. */
export const USAGE: readonly string[] = [
  "usage:",
  "  daxmc list [--json]                          variants, invariants and bound presets",
  "  daxmc check --variant ID [--invariant ID] [--bounds PRESET|key=value,...] [--strategy bfs|dfs] [--json] [--brief] [--workers N]",
  "              [--max-states N] [--max-depth N] [--timeout SECONDS] [--max-memory SIZE] [--out DIR]",
  "  daxmc check --variant ID --shard I/N [--prefix-depth K] --shard-out FILE [--invariant ID] [--bounds ...] [limits]",
  "  daxmc merge FILE... [--out DIR] [--json | --brief]   the N shard results of one check: its verdicts and counterexamples",
  "  daxmc matrix [--bounds ...] [--out DIR] [--json | --md] [--workers N] [limits as for check]",
  "  daxmc replay FILE [--path-only]",
  "  daxmc shrink FILE [--out FILE]               a smaller trace that still violates the same invariant",
  "  daxmc simulate --variant ID [--bounds ...] [--runs N] [--depth D] [--seed S] [--invariant ID] [--out DIR]",
  "  daxmc explain FILE [--format text|mail] [--glossary]   the trace told in kernel terms",
  "  daxmc report FILE... [--out report.html]      saved traces as one HTML page: stories, swim lanes, ownership pictures",
  "  daxmc conformance [--kernel 6.1|6.12] [--scenario ID] [--cache DIR] [--logs DIR]   the scenarios on real kernels under QEMU",
  "  daxmc reproduce FILE [--out DIR] [--seq N] [--no-run]   a counterexample as a kernel test: scenario, script, fstests test",
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
    "  --strategy bfs|dfs  explore breadth-first (default) or depth-first; dfs holds only one path's siblings in its",
    "                      frontier, and each path it finds is shortened by a breadth-first search to the depth found",
    "  --shard I/N         search shard I (1..N) of a check split N ways, for daxmc merge: every shard explores",
    "                      breadth-first to the prefix depth, then only below the states there that hash to shard I",
    "  --prefix-depth K    the depth of the shards' roots (default 4; deeper gives more roots to share out)",
    "  --shard-out FILE    where the shard writes its result (and FILE.fp64, the fingerprints it stored); required",
    ...SEARCH_LINES,
    "  --brief             one line per verdict, with the counterexample's file",
    "  --workers N         (breadth-first only) after a second, search in N worker threads that share one table of states; states are",
    "                      numbered as by one thread, so counts, verdicts and counterexamples are one thread's (default: the CPU cores; 1: one thread)",
    EXIT_LINE,
  ],
  merge: [
    "usage: daxmc merge FILE... [--out DIR] [--json | --brief]",
    "  combines the result files of the N shards of one split check (daxmc check --shard I/N --shard-out FILE):",
    "  a violation in any shard is one, with the shortest counterexample over the shards (ties: the lowest shard);",
    "  an invariant holds only if every shard completed its part; distinct states are counted exactly, from the",
    "  union of the fingerprints the shards stored (each FILE's FILE.fp64 must be beside it)",
    "  --out DIR           where counterexamples go (default counterexamples/; other bounds in DIR/bounds-B/)",
    "  --json              one JSON document on stdout instead of text",
    "  --brief             one line per verdict, with the counterexample's file",
    "  every shard 1..N must be given exactly once, all of the same variant, bounds, invariant, K and N",
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
  shrink: [
    "usage: daxmc shrink FILE [--out FILE]",
    "  makes a counterexample smaller while it still violates the same invariant under replay: fewer steps",
    "  (the first violating prefix, chunks, single steps; the last step stays), then fewer and lower ids",
    "  (processes, files, blocks), then fewer context switches between operations in flight",
    "  FILE is a trace written by daxmc (check, matrix, simulate, shrink) or a path file: 'variant: ID',",
    "  'bounds: B', 'invariant: ID' lines, then one action label per line as replay prints them",
    "  --out FILE  where to write the result (default: FILE's name with .shrunk.itf.json, beside it)",
    "  exit 0 written; 2 bad input, or the trace does not violate its invariant",
  ],
  simulate: [
    "usage: daxmc simulate --variant ID [--bounds B] [--runs N] [--depth D] [--seed S] [--invariant ID] [--out DIR]",
    "  random walks over the enabled actions, driven by fast-check, for bounds too large to exhaust;",
    "  the first violation is shrunk (fast-check's shrinker on the walk's choices, then daxmc shrink) and saved",
    "  --runs N       walks to try (default 1000)",
    "  --depth D      longest walk (default 60 steps)",
    "  --seed S       fast-check's seed (printed by every run, so any run can be repeated)",
    "  --invariant ID look for this invariant only (default: every invariant)",
    "  --out DIR      where the counterexample goes: DIR/bounds-B/simulate/VARIANT/ (default DIR: counterexamples)",
    "  prints per-action coverage and which 'sometimes' partners the walks reached",
    "  exit 0 no violation found in these walks (not a proof), 1 a violation found and saved, 2 bad input,",
    "  3 interrupted (Ctrl-C) before every walk ran and none had failed",
  ],
  explain: [
    "usage: daxmc explain FILE [--format text|mail] [--glossary] [--no-cite]",
    "  the trace as a numbered story in kernel terms: a summary, the initial state, one line per step",
    "  (kernel function, lock, what changed, source lines), the violated invariant stated for this trace,",
    "  a picture of the last state, and which kernel versions brought and fixed the behaviour",
    "  --format mail  plain text under 80 columns, to paste into a mailing-list reply",
    "  --glossary     explain the notation (p1, A[0], SHARED(0x1), [-])",
    "  exit 1 when the trace still violates its invariant, 0 when it no longer does, 2 bad input",
  ],
  report: [
    "usage: daxmc report FILE... [--out report.html]",
    "  replays each saved counterexample and writes one self-contained HTML page (opens offline): per trace its",
    "  steps told in kernel terms, a swim lane per process or kernel operation, and the ownership graph of every",
    "  state laid out by Graphviz, with what breaks the invariant in red in the last one",
    "  --out FILE  where to write the page (default report.html in the current folder); written atomically",
    `  each FILE is a daxmc trace (check, matrix, simulate, shrink) or a hand-written path file (see daxmc shrink --help)`,
    "exit codes: 0 written, 2 bad input (a missing, unusable or diverging trace, an unwritable --out), 70 internal error",
  ],
  conformance: [
    "usage: daxmc conformance [--kernel 6.1|6.12] [--scenario ID] [--cache DIR] [--logs DIR]   (npm run conformance -- ...)",
    "  provisions QEMU and the Debian 6.1 and 6.12 kernels into DIR (default ~/.cache/daxmc-oracle), runs the",
    "  scenarios of oracle/scenarios/ in TCG guests, and prints scenario, kernel, predicted, observed, agree",
    "  --logs DIR  keep each guest's serial log as DIR/KERNEL/SCENARIO.log (what test/oracle/fixtures/runs holds)",
    "  exit 0 every row agrees, 1 a disagreement, 2 provisioning impossible (one line says why), 3 interrupted",
  ],
  reproduce: [
    "usage: daxmc reproduce FILE [--out DIR] [--seq N] [--no-run] [--cache DIR]",
    "  turns a counterexample of v6.1, v6.1-normap, v6.12 or v6.12-normap into a scenario (its user actions in",
    "  order, the kernel's own steps left to the kernel), writes DIR/scenario.json, DIR/reproduce.sh (a standalone",
    "  script for a real pmem device) and DIR/fstests/tests/xfs/N(.out) (an fstests test in the style of xfs/550),",
    "  then runs the scenario on that kernel under QEMU and says whether the kernel shows the violation",
    "  --out DIR  default reproducers/NAME in the current folder   --seq N  the fstests test number (default 1999)",
    "  --no-run   write the files only",
    "exit codes: 0 the kernel did what the model predicts, 1 it did not, 2 bad input (a trace that cannot run",
    "  on a real kernel) or no kernels here, 70 internal error",
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
