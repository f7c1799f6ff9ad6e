/**
 * `daxmc docs [--check]`: writes docs/invariants.md from the spec (each invariant's statement,
 * kernel meaning, sources and partner) and the counterexamples saved at the default bounds
 * (which variant violates it, in how many steps, with a link). `--check` writes nothing and
 * exits 1 when the file is stale. `matrix` rewrites it with docs/verdicts.md.
 */
import { dirname, join, relative, resolve } from "node:path";
import * as Either from "effect/Either";
import { readTraceText } from "../trace/read.js";
import { writeFileAtomic } from "../trace/atomic.js";
import { parseCommand } from "./args.js";
import { type CliError, CliFailure, cliError } from "./errors.js";
import { EXIT } from "./exit.js";
import { type Io, println } from "./io.js";
import { DEFAULT_OUT } from "./check.js";
import { reasonOf, traceFile } from "./out-dir.js";
import { toolName } from "./version.js";
import { DEFAULT_PRESET, INVARIANTS, INVARIANT_STATEMENTS, PRESETS, VARIANTS, describeBounds } from "./wiring.js";

/** Where the invariants page goes, under the working directory. */
export const INVARIANTS_FILE = join("docs", "invariants.md");

/** Writes (or with --check, compares) docs/invariants.md: exit 0 written or current, 1 stale. */
export async function docs(argv: readonly string[], io: Io): Promise<Either.Either<number, CliError>> {
  const parsed = parseCommand("docs", argv, { check: { type: "boolean" } });
  if (Either.isLeft(parsed)) return Either.left(parsed.left);
  const file = resolve(io.cwd, INVARIANTS_FILE);
  const text = invariantsMarkdown(resolve(io.cwd, DEFAULT_OUT), dirname(file));
  if (parsed.right.values.check === true) {
    const now = readTraceText(file);
    const current = Either.isRight(now) && now.right === text;
    println(io.stdout, current ? `${INVARIANTS_FILE} is current` : `${INVARIANTS_FILE} is stale: run daxmc docs (or npm start)`);
    return Either.right(current ? EXIT.ok : EXIT.violation);
  }
  writeInvariantsDoc(file, text);
  println(io.stdout, `wrote ${INVARIANTS_FILE}`);
  return Either.right(EXIT.ok);
}

/** Writes the page atomically, as a one-line error when it cannot. */
export function writeInvariantsDoc(file: string, text: string): void {
  try {
    writeFileAtomic(file, text);
  } catch (e) {
    throw new CliFailure(cliError("unwritable-output", `cannot write ${file} (${reasonOf(e)})`, "run daxmc from a directory where docs/ is writable"));
  }
}

/** The number of steps of the counterexample saved in `file` (its states after the initial one), if there is one. */
function savedLength(file: string): number | undefined {
  const text = readTraceText(file);
  if (Either.isLeft(text)) return undefined;
  try {
    const states = (JSON.parse(text.right) as { states?: unknown }).states;
    return Array.isArray(states) && states.length > 0 ? states.length - 1 : undefined;
  } catch {
    return undefined;
  }
}

/** docs/invariants.md (in `docsDir`, linking to the counterexamples under `outDir`): a summary table, then a section per invariant. */
export function invariantsMarkdown(outDir: string, docsDir: string): string {
  const lines = [
    "# Invariants",
    "",
    `Written by \`daxmc docs\` (${toolName()}) from \`spec/invariants.ts\`, \`spec/invariant-docs.ts\` and the counterexamples saved at the default bounds, ${describeBounds(PRESETS[DEFAULT_PRESET])}; re-run it rather than editing this file. The verdict of every variant is in [verdicts.md](verdicts.md).`,
    "",
    "Notation: `□` in every reachable state; `log.X` a kernel outcome the state records; `entry(F,o)` the DAX entry at file F offset o; `bmap(F,o)` its extent's block; `mapping(b)`, `index(b)`, `share(b)` the fields of block b's struct page; `0x1` the shared marker.",
    "",
    "| invariant | statement | partner | violated at the default bounds by |",
    "| --- | --- | --- | --- |",
  ];
  const violations = new Map(INVARIANTS.map((inv) => [inv.id, violatorsOf(outDir, docsDir, inv.id)]));
  for (const inv of INVARIANTS) {
    const by = violations.get(inv.id)!;
    const cell = by.length === 0 ? "none" : by.map((v) => `${v.variant} (${v.steps})`).join(", ");
    lines.push(`| [${inv.id}](#${inv.id}) | \`${statementOf(inv.id).formal.replace(/\|/g, "\\|")}\` | ${inv.partner} | ${cell} |`);
  }
  for (const inv of INVARIANTS) lines.push("", ...section(inv.id, violations.get(inv.id)!));
  lines.push("");
  return lines.join("\n");
}

interface Violator {
  readonly variant: string;
  readonly steps: number;
  readonly link: string;
}

function violatorsOf(outDir: string, docsDir: string, invariant: string): Violator[] {
  return VARIANTS.flatMap((v) => {
    const file = traceFile(outDir, v.id, invariant, PRESETS[DEFAULT_PRESET]);
    const steps = savedLength(file);
    return steps === undefined ? [] : [{ variant: v.id, steps, link: relative(docsDir, file) }];
  });
}

function statementOf(id: string) {
  const s = INVARIANT_STATEMENTS[id];
  if (s === undefined) throw new Error(`spec/invariant-docs.ts has no statement for the invariant ${id}`);
  return s;
}

/** One invariant's section: statement, meaning, kernel sources, partner, violations, and an explained vacuity. */
function section(id: string, by: readonly Violator[]): string[] {
  const inv = INVARIANTS.find((i) => i.id === id)!;
  const s = statementOf(id);
  const out = [
    `## ${id}`,
    "",
    `**Statement.** \`${s.formal}\``,
    "",
    `**Meaning.** ${inv.meaning} (${inv.kernel}).`,
    "",
    "**Kernel sources.**",
    ...s.sources.map((src) => `- ${src}`),
    "",
    `**Partner.** \`${inv.partner}\`: ${inv.partnerMeaning}. A pass is reported *vacuous* where this never happens.`,
    "",
    by.length === 0
      ? "**Violated by.** no variant at the default bounds."
      : `**Violated by.** ${by.map((v) => `${v.variant} in ${v.steps} step${v.steps === 1 ? "" : "s"} ([trace](${v.link}))`).join("; ")}.`,
  ];
  if (s.vacuity !== undefined) out.push("", `**Expected to be vacuous where:** ${s.vacuity}`);
  return out;
}
