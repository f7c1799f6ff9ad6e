import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { INVARIANTS, PRESETS, VARIANTS } from "../../spec/index.js";
import { matrixMarkdown } from "../../src/cli/matrix-output.js";
import { matrixRows } from "../../src/cli/matrix.js";
import { type Run, daxmc, tempDir } from "./run.js";

/** What tiny bounds (no pins, CoW or eviction) can and cannot show, against each variant's expected failures: nothing that could arise disagrees. */
const TINY_AGREEMENT = [
  "holds: held in every reachable state; VIOLATED n: fails, shortest counterexample n steps; vacuous: held, but the situation it guards never arose; undecided: a limit stopped the search; *: differs from what the variant is expected to give (see 'against expectations')",
  "",
  "against expectations",
  "  v4.18                  agrees as far as these bounds can show (expected to fail: no_warn_truncate_busy, no_free_while_pinned); could not arise at these bounds (not a disagreement): no_warn_truncate_busy (pinned_page_of_releasable_file never arose), no_free_while_pinned (pinned_page_of_releasable_file never arose)",
  "  v4.19.0                agrees as far as these bounds can show (expected to fail: no_oops, no_warn_truncate_busy, no_free_while_pinned, no_spurious_signal); could not arise at these bounds (not a disagreement): no_warn_truncate_busy (pinned_page_of_releasable_file never arose), no_free_while_pinned (pinned_page_of_releasable_file never arose)",
  "  whole-mapping          agrees as far as these bounds can show (expected to fail: no_warn_truncate_busy, no_free_while_pinned); could not arise at these bounds (not a disagreement): no_warn_truncate_busy (pinned_page_of_releasable_file never arose), no_free_while_pinned (pinned_page_of_releasable_file never arose)",
  "  whole-mapping-reflink  agrees as far as these bounds can show (expected to fail: no_warn_associate, no_warn_disassociate, no_warn_truncate_busy, no_free_while_pinned, owner_lookup_complete, poison_reaches_every_mapping, signalled_pte_gone, sole_owner_exact); could not arise at these bounds (not a disagreement): no_warn_truncate_busy (pinned_page_of_releasable_file never arose), no_free_while_pinned (pinned_page_of_releasable_file never arose)",
  "  reflink-singular       agrees as far as these bounds can show (expected to fail: no_oops, no_warn_associate, no_warn_disassociate, no_warn_truncate_busy, no_free_while_pinned, owner_lookup_complete, poison_reaches_every_mapping, signalled_pte_gone, sole_owner_exact); could not arise at these bounds (not a disagreement): no_warn_truncate_busy (pinned_page_of_releasable_file never arose), no_free_while_pinned (pinned_page_of_releasable_file never arose)",
  "  v6.1                   agrees as far as these bounds can show (expected to fail: no_warn_associate, no_warn_disassociate, no_warn_truncate_busy, no_free_while_pinned, owner_lookup_complete, share_count_exact, clean_when_unowned, poison_reaches_every_mapping, entry_matches_extent, sole_owner_exact, no_deadlock, no_stuck_state); could not arise at these bounds (not a disagreement): no_warn_truncate_busy (pinned_page_of_releasable_file never arose), no_free_while_pinned (pinned_page_of_releasable_file never arose), share_count_exact (page_marked_shared never arose); held at these bounds, expected to fail at the default bounds: owner_lookup_complete, clean_when_unowned, poison_reaches_every_mapping, entry_matches_extent, no_deadlock, no_stuck_state",
  "  v6.1-normap            agrees as far as these bounds can show (expected to fail: no_oops, no_warn_associate, no_warn_disassociate, no_warn_truncate_busy, no_free_while_pinned, owner_lookup_complete, share_count_exact, clean_when_unowned, poison_reaches_every_mapping, entry_matches_extent, signalled_pte_gone, sole_owner_exact); could not arise at these bounds (not a disagreement): no_warn_truncate_busy (pinned_page_of_releasable_file never arose), no_free_while_pinned (pinned_page_of_releasable_file never arose), share_count_exact (page_marked_shared never arose); held at these bounds, expected to fail at the default bounds: clean_when_unowned, entry_matches_extent",
  "  v6.12                  agrees as far as these bounds can show (expected to fail: no_warn_associate, no_warn_disassociate, no_warn_truncate_busy, no_free_while_pinned, owner_lookup_complete, share_count_exact, poison_reaches_every_mapping, entry_matches_extent, sole_owner_exact, no_deadlock, no_stuck_state); could not arise at these bounds (not a disagreement): no_warn_truncate_busy (pinned_page_of_releasable_file never arose), no_free_while_pinned (pinned_page_of_releasable_file never arose); held at these bounds, expected to fail at the default bounds: no_warn_associate, no_warn_disassociate, owner_lookup_complete, share_count_exact, poison_reaches_every_mapping, entry_matches_extent, sole_owner_exact",
  "  v6.12-normap           agrees as far as these bounds can show (expected to fail: no_oops, no_warn_associate, no_warn_disassociate, no_warn_truncate_busy, no_free_while_pinned, owner_lookup_complete, share_count_exact, entry_matches_extent, sole_owner_exact); could not arise at these bounds (not a disagreement): no_warn_truncate_busy (pinned_page_of_releasable_file never arose), no_free_while_pinned (pinned_page_of_releasable_file never arose); held at these bounds, expected to fail at the default bounds: no_warn_associate, no_warn_disassociate, share_count_exact, entry_matches_extent, sole_owner_exact",
  "  v6.15                  agrees as far as these bounds can show (expected to fail: no_warn_associate, no_free_while_pinned, owner_lookup_complete, poison_reaches_every_mapping, entry_matches_extent, sole_owner_exact, no_deadlock, no_stuck_state); could not arise at these bounds (not a disagreement): no_free_while_pinned (pinned_page_of_releasable_file never arose), entry_matches_extent (extent_changing_under_entry never arose); held at these bounds, expected to fail at the default bounds: no_warn_associate, owner_lookup_complete, poison_reaches_every_mapping, sole_owner_exact",
  "  v6.15-normap           agrees as far as these bounds can show (expected to fail: no_warn_associate, no_free_while_pinned, owner_lookup_complete, poison_reaches_every_mapping, entry_matches_extent, sole_owner_exact); could not arise at these bounds (not a disagreement): no_free_while_pinned (pinned_page_of_releasable_file never arose); held at these bounds, expected to fail at the default bounds: no_warn_associate, entry_matches_extent, sole_owner_exact",
  "  upstream               agrees as far as these bounds can show (expected to fail: no_warn_associate, no_free_while_pinned, owner_lookup_complete, poison_reaches_every_mapping, entry_matches_extent, sole_owner_exact, no_deadlock, no_stuck_state); could not arise at these bounds (not a disagreement): no_free_while_pinned (pinned_page_of_releasable_file never arose), entry_matches_extent (extent_changing_under_entry never arose); held at these bounds, expected to fail at the default bounds: no_warn_associate, owner_lookup_complete, poison_reaches_every_mapping, sole_owner_exact",
  "  upstream-normap        agrees as far as these bounds can show (expected to fail: no_warn_associate, no_free_while_pinned, owner_lookup_complete, poison_reaches_every_mapping, entry_matches_extent, sole_owner_exact); could not arise at these bounds (not a disagreement): no_free_while_pinned (pinned_page_of_releasable_file never arose), entry_matches_extent (extent_changing_under_entry never arose); held at these bounds, expected to fail at the default bounds: no_warn_associate, sole_owner_exact",
  "",
].join("\n");

describe("matrix at tiny bounds", () => {
  let cwd: string;
  let run: Run;
  beforeAll(async () => {
    cwd = tempDir();
    run = await daxmc(["matrix", "--bounds", "tiny"], cwd);
  }, 120_000);

  it("exits 0 and prints an invariant x variant table of known cells", () => {
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    const lines = run.stdout.split("\n");
    const header = lines.find((l) => l.startsWith("invariant "));
    expect(header?.split(/\s+/)).toEqual(["invariant", ...VARIANTS.map((v) => v.id)]);
    for (const inv of INVARIANTS) {
      const row = lines.find((l) => l.startsWith(`${inv.id} `));
      expect(row, inv.id).toBeDefined();
      const cells = row!.slice(inv.id.length).trim().split(/\s{2,}/);
      expect(cells).toHaveLength(VARIANTS.length);
      for (const c of cells) expect(c).toMatch(/^(holds|VIOLATED \d+|vacuous|undecided)$/);
    }
  });

  it("compares each variant with what history expects: at tiny bounds pins are off, so the pin failures could not arise, and that is no disagreement", () => {
    expect(run.stdout).toContain(`\n${TINY_AGREEMENT}\n`);
  });

  it("writes every violation's counterexample, and each replays to exit 1", async () => {
    const dir = join(cwd, "counterexamples", "bounds-tiny", "reflink-singular");
    expect(readdirSync(dir)).toContain("no_warn_associate.itf.json");
    const r = await daxmc(["replay", join(dir, "no_warn_associate.itf.json")], cwd);
    expect(r.code).toBe(1);
  });

  it("leaves docs/verdicts.md alone at bounds other than the default, and says so", () => {
    expect(existsSync(join(cwd, "docs"))).toBe(false);
    expect(run.stdout).toMatch(
      /^\d+ counterexamples written under counterexamples\/bounds-tiny; docs\/verdicts\.md left alone: it documents the matrix at the default bounds \(small\), and this run was at tiny$/m,
    );
  });
});

describe("matrix", () => {
  it("renders docs/verdicts.md with the same table, the bounds and the state counts", async () => {
    const io = { stdout: { write: () => true }, stderr: { write: () => true, isTTY: false }, cwd: tempDir() };
    const oneProcess = { ...PRESETS.tiny, procs: 1 };
    const rows = await matrixRows(oneProcess, {}, join(io.cwd, "cx"), io);
    const md = matrixMarkdown({ bounds: oneProcess, rows, outDir: join(io.cwd, "cx"), docsFile: join(io.cwd, "v.md"), docsWritten: true });
    expect(md).toMatch(/^# Verdicts\n/);
    expect(md).toContain(`| invariant | ${VARIANTS.map((v) => v.id).join(" | ")} |`);
    for (const inv of INVARIANTS) expect(md).toContain(`\n| [${inv.id}](invariants.md#${inv.id}) |`);
    expect(md).toMatch(/Bounds: files=2 offsets=1 blocks=2 procs=1 /);
    expect(md).toMatch(/\| reflink-singular \| .* \| [\d,]+ \| \d+ \| complete \|/);
  });

  it("marks each cell that differs from the variant's expectation with *, and lists the evidence in docs/verdicts.md", async () => {
    const io = { stdout: { write: () => true }, stderr: { write: () => true, isTTY: false }, cwd: tempDir() };
    const rows = await matrixRows(PRESETS.tiny, { maxStates: 3000 }, join(io.cwd, "cx"), io);
    const marked = rows.map((r, i) => (i === 0 ? { ...r, agreement: { ...r.agreement, marked: ["no_oops"] } } : r));
    const md = matrixMarkdown({ bounds: PRESETS.tiny, rows: marked, outDir: join(io.cwd, "cx"), docsFile: join(io.cwd, "v.md"), docsWritten: true });
    const row = md.split("\n").find((l) => l.startsWith("| [no_oops]"))!;
    expect(row.split("|")[2].trim()).toMatch(/ \*$/);
    expect(row.split("|")[3].trim()).not.toMatch(/\*/);
    expect(md).toMatch(/^\| v6\.12-normap \| no_oops \| violated \| seen \| /m);
    expect(md).toMatch(/^\| v4\.18 \| every other invariant \| holds \| hypothesis \| /m);
  });

  it("at the default bounds, a limit exits 3, marks cells undecided and leaves docs/verdicts.md alone", async () => {
    const cwd = tempDir();
    const r = await daxmc(["matrix", "--max-states", "50", "--json"], cwd);
    expect(r.code).toBe(3);
    const doc = JSON.parse(r.stdout);
    expect(doc.verdictsFile).toBeNull();
    expect(doc.variants.map((v: { status: string }) => v.status)).toEqual(VARIANTS.map(() => "incomplete"));
    expect(doc.variants[0].verdicts.some((v: { verdict: string }) => v.verdict === "undecided")).toBe(true);
    expect(existsSync(join(cwd, "docs"))).toBe(false);
    const text = await daxmc(["matrix", "--max-states", "50"], cwd);
    expect(text.stdout).toContain("docs/verdicts.md left alone: a limit or an interrupt stopped this run, and it documents the complete matrix");
  });

  it("--json at other bounds reports verdictsFile null and writes no docs", async () => {
    const cwd = tempDir();
    const r = await daxmc(["matrix", "--bounds", "tiny", "--max-states", "50", "--json"], cwd);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout).verdictsFile).toBeNull();
    expect(existsSync(join(cwd, "docs"))).toBe(false);
  });
});
