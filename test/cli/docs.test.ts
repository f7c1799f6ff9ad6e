import { cpSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { INVARIANTS, INVARIANT_STATEMENTS, VARIANTS } from "../../spec/index.js";
import { invariantsMarkdown } from "../../src/cli/docs.js";
import { specDigest } from "../../src/cli/spec-digest.js";
import { daxmc, tempDir } from "./run.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const committed = (file: string) => readFileSync(join(root, "docs", file), "utf8");

describe("the documents derived from the spec are current", () => {
  it("docs/invariants.md is what daxmc docs writes now", () => {
    expect(committed("invariants.md")).toBe(invariantsMarkdown(join(root, "counterexamples"), join(root, "docs")));
  });

  it("docs/verdicts.md was written from today's spec (its digest of spec/*.ts matches): else run npm start", () => {
    const written = /^Spec digest \(sha256 of spec\/\*\.ts when this was written\): ([0-9a-f]{64})\.$/m.exec(committed("verdicts.md"))?.[1];
    expect(written).toBeDefined();
    expect(written, "spec/ changed since docs/verdicts.md was written: run npm start").toBe(specDigest(root));
  });

  it("every invariant has a statement and kernel sources, and verdicts.md links each one into invariants.md", () => {
    const verdicts = committed("verdicts.md");
    for (const inv of INVARIANTS) {
      expect(INVARIANT_STATEMENTS[inv.id]?.sources.length, inv.id).toBeGreaterThan(0);
      expect(verdicts).toContain(`[${inv.id}](invariants.md#${inv.id})`);
      expect(committed("invariants.md")).toContain(`\n## ${inv.id}\n`);
    }
    expect(Object.keys(INVARIANT_STATEMENTS).sort()).toEqual(INVARIANTS.map((i) => i.id).sort());
  });

  it("the default matrix it records agrees with every variant's expectations: no cell marked, no variant differing", () => {
    const verdicts = committed("verdicts.md");
    const table = verdicts.slice(0, verdicts.indexOf("## Expectations"));
    expect(table).not.toMatch(/ \* \|/);
    for (const v of VARIANTS) expect(table).toMatch(new RegExp(`^\\| ${v.id.replace(".", "\\.")} \\| .* \\| complete \\| agrees \\(expected to fail: `, "m"));
  });

  it("an invariant vacuous in every variant at the default bounds is explained", () => {
    const verdicts = committed("verdicts.md");
    for (const inv of INVARIANTS) {
      const row = verdicts.split("\n").find((l) => l.startsWith(`| [${inv.id}]`))!;
      const cells = row.split("|").map((c) => c.trim()).filter((c) => c !== "").slice(1);
      expect(cells).toHaveLength(VARIANTS.length);
      if (cells.every((c) => c === "vacuous")) expect(INVARIANT_STATEMENTS[inv.id].vacuity, inv.id).toBeDefined();
    }
  });
});

describe("daxmc docs", () => {
  it("writes docs/invariants.md from the counterexamples under the working directory, and --check tells stale from current", async () => {
    const cwd = tempDir();
    cpSync(join(root, "counterexamples"), join(cwd, "counterexamples"), { recursive: true });
    expect((await daxmc(["docs", "--check"], cwd)).code).toBe(1);
    const r = await daxmc(["docs"], cwd);
    expect([r.code, r.stdout, r.stderr]).toEqual([0, "wrote docs/invariants.md\n", ""]);
    expect(readFileSync(join(cwd, "docs", "invariants.md"), "utf8")).toBe(committed("invariants.md"));
    const check = await daxmc(["docs", "--check"], cwd);
    expect([check.code, check.stdout]).toEqual([0, "docs/invariants.md is current\n"]);
  });

  it("with no counterexamples saved, every invariant is violated by no variant", async () => {
    const cwd = tempDir();
    expect((await daxmc(["docs"], cwd)).code).toBe(0);
    const text = readFileSync(join(cwd, "docs", "invariants.md"), "utf8");
    expect(text.match(/\*\*Violated by\.\*\* no variant at the default bounds\./g)).toHaveLength(INVARIANTS.length);
  });

  it("matrix --md prints the Markdown table", async () => {
    const r = await daxmc(["matrix", "--bounds", "tiny", "--md", "--max-states", "2000"]);
    expect(r.stdout).toMatch(/^# Verdicts\n/);
    expect(r.stdout).toContain("| [no_oops](invariants.md#no_oops) |");
  });
});
