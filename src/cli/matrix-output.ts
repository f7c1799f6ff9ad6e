/** What `matrix` prints and writes: an invariant x variant table as text, Markdown or JSON. */
import { dirname, relative } from "node:path";
import { int } from "../report/format.js";
import { agreementText } from "../report/agreement.js";
import { cellText } from "../report/outcomes.js";
import { formatIncomplete, incompleteHint } from "../report/stats.js";
import { markdownTable, textTable } from "../report/table.js";
import { outcomeJson } from "./check-output.js";
import { boundsDir, shown } from "./out-dir.js";
import { type Io, println } from "./io.js";
import type { MatrixReport, MatrixRow } from "./matrix.js";
import { specDigest } from "./spec-digest.js";
import { toolName } from "./version.js";
import { DEFAULT_PRESET, INVARIANTS, VARIANTS, describeBounds, expectedFails, expectedFor, formatBounds } from "./wiring.js";

const LEGEND =
  "holds: held in every reachable state; VIOLATED n: fails, shortest counterexample n steps; " +
  "vacuous: held, but the situation it guards never arose; undecided: a limit stopped the search; " +
  "*: differs from what the variant is expected to give (see 'against expectations')";

/**
 * Rows are invariants and columns variants: a dozen long invariant ids fit down a terminal, not
 * across it. `linkFrom` (the folder of a Markdown file) turns invariant names into links to
 * invariants.md and VIOLATED cells into links to their counterexamples.
 */
function cells(report: MatrixReport, linkFrom?: string): { header: string[]; rows: string[][] } {
  const header = ["invariant", ...report.rows.map((r) => r.variant.id)];
  const rows = INVARIANTS.map((inv) => [
    linkFrom === undefined ? inv.id : `[${inv.id}](invariants.md#${inv.id})`,
    ...report.rows.map((r) => {
      const o = r.outcomes.find((x) => x.name === inv.id);
      if (o === undefined) return "-";
      const file = r.files.get(inv.id);
      const text = linkFrom === undefined || file === undefined ? cellText(o) : `[${cellText(o)}](${relative(linkFrom, file)})`;
      return r.agreement.marked.includes(inv.id) ? `${text} *` : text;
    }),
  ]);
  return { header, rows };
}

function rowAgreement(row: MatrixRow): string {
  const fails = new Set(expectedFails(row.variant));
  return agreementText(row.agreement, INVARIANTS.map((i) => i.id).filter((id) => fails.has(id)));
}

/** The table, the legend, a line per variant comparing with what history expects, then counts and where files went. */
export function printMatrixText(io: Io, report: MatrixReport): void {
  const out = io.stdout;
  const { header, rows } = cells(report);
  println(out, `${toolName()}: matrix at bounds ${describeBounds(report.bounds)}`, "");
  println(out, ...textTable(header, rows), "", LEGEND, "");
  const width = Math.max(0, ...VARIANTS.map((v) => v.id.length));
  println(out, "against expectations");
  for (const r of report.rows) println(out, `  ${r.variant.id.padEnd(width)}  ${rowAgreement(r)}`);
  println(out, "", "searches");
  for (const r of report.rows) {
    const s = r.result.stats;
    println(out, `  ${r.variant.id.padEnd(width)}  ${int(s.distinct)} states${s.renamings > 1 ? " up to renaming" : ""}, depth ${s.depth}, ${(s.elapsedMs / 1000).toFixed(2)} s, ${r.result.status}`);
    const incomplete = formatIncomplete(r.result);
    if (incomplete !== undefined) println(out, `  ${"".padEnd(width)}  ${incomplete}; ${incompleteHint(r.result)}`);
  }
  const skipped = VARIANTS.slice(report.rows.length).map((v) => v.id);
  if (skipped.length > 0) println(out, `  not searched (interrupted before they began): ${skipped.join(", ")}`);
  const traces = report.rows.reduce((n, r) => n + r.files.size, 0);
  const where = shown(io.cwd, boundsDir(report.outDir, report.bounds));
  println(out, "", `${traces} counterexamples written under ${where}; ${docsLine(io, report)}`);
}

function docsLine(io: Io, report: MatrixReport): string {
  const docs = shown(io.cwd, report.docsFile);
  if (report.docsWritten) return `table written to ${docs}`;
  return formatBounds(report.bounds) === DEFAULT_PRESET
    ? `${docs} left alone: a limit or an interrupt stopped this run, and it documents the complete matrix`
    : `${docs} left alone: it documents the matrix at the default bounds (${DEFAULT_PRESET}), and this run was at ${formatBounds(report.bounds)}`;
}

/** docs/verdicts.md: the same table in Markdown, with bounds, expectations and state counts (no times, so it is reproducible). */
export function matrixMarkdown(report: MatrixReport): string {
  const { header, rows } = cells(report, dirname(report.docsFile));
  const digest = specDigest();
  const searches = report.rows.map((r) => [
    r.variant.id,
    r.variant.kernel,
    int(r.result.stats.distinct),
    String(r.result.stats.depth),
    r.result.status,
    rowAgreement(r),
  ]);
  return [
    "# Verdicts",
    "",
    `Written by \`daxmc matrix --bounds ${formatBounds(report.bounds)}\` (${toolName()}); re-run it rather than editing this file.`,
    "",
    `Bounds: ${describeBounds(report.bounds)}.`,
    "",
    ...(digest === undefined ? [] : [`Spec digest (sha256 of spec/*.ts when this was written): ${digest}.`, ""]),
    "Each invariant links to its statement and kernel sources in [invariants.md](invariants.md); each VIOLATED cell to its counterexample.",
    "",
    ...markdownTable(header, rows),
    "",
    `${LEGEND}.`,
    "",
    ...markdownTable(["variant", "models", distinctHeading(report), "depth", "search", "against expectations"], searches),
    "",
    "## Expectations",
    "",
    "What each variant should give, and where that comes from: `history` (a commit or thread), `seen` (the kernels run under QEMU, shared/design/kernel-oracle.md; a disagreement there is a model bug until shown otherwise) or `hypothesis` (a reading of the sources). Declared in `spec/variants.ts`.",
    "",
    ...markdownTable(["variant", "invariant", "expected", "evidence", "source"], expectationRows(report)),
    "",
  ].join("\n");
}

/** "distinct states", saying so when symmetry folded them (every row searched alike). */
function distinctHeading(report: MatrixReport): string {
  const folded = report.rows.some((r) => r.result.stats.renamings > 1);
  return folded ? "distinct states (up to renaming blocks and like processes; --no-symmetry counts all)" : "distinct states";
}

/** One row per claim of each variant (in invariant order), then one for what it says of the other invariants. */
function expectationRows(report: MatrixReport): string[][] {
  return report.rows.flatMap((r) => {
    const claims = r.variant.expected.claims;
    const claimed = INVARIANTS.filter((inv) => Object.hasOwn(claims, inv.id));
    const rows = claimed.map((inv) => [r.variant.id, inv.id, claims[inv.id].verdict, claims[inv.id].kind, claims[inv.id].source]);
    const other = r.variant.expected.otherwise;
    return [...rows, [r.variant.id, "every other invariant", other.verdict, other.kind, other.source]];
  });
}

/** The matrix as one JSON document. */
export function printMatrixJson(io: Io, report: MatrixReport): void {
  const doc = {
    tool: toolName(),
    command: "matrix",
    bounds: report.bounds,
    verdictsFile: report.docsWritten ? shown(io.cwd, report.docsFile) : null,
    variants: report.rows.map((r) => ({
      variant: r.variant.id,
      status: r.result.status,
      stopReason: r.result.stopReason ?? null,
      verdicts: r.outcomes.map((o) => {
        const file = r.files.get(o.name);
        return outcomeJson(o, file === undefined ? undefined : shown(io.cwd, file));
      }),
      expected: INVARIANTS.map((inv) => ({ invariant: inv.id, ...expectedFor(r.variant, inv.id) })),
      agrees: r.agreement.agrees,
      differences: r.agreement.differences,
      couldNotArise: r.agreement.unarisen,
      heldAtTheseBounds: r.agreement.unreproduced,
      stats: r.result.stats,
    })),
  };
  io.stdout.write(JSON.stringify(doc, null, 2) + "\n");
}
