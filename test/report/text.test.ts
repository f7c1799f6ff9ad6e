import { describe, expect, it } from "vitest";
import type { SearchResult } from "../../src/core/result.js";
import { replaySteps, search } from "../../src/engine/index.js";
import { bytes, int, plural, probability } from "../../src/report/format.js";
import { progressReporter } from "../../src/report/progress.js";
import { formatIncomplete, formatStats } from "../../src/report/stats.js";
import { formatSteps } from "../../src/report/steps.js";
import { markdownTable, textTable } from "../../src/report/table.js";
import { toyModel } from "./toy-model.js";

describe("formatSteps", () => {
  it("prints the initial state, then each step's label, description and changed fields", () => {
    const model = toyModel();
    const r = replaySteps(model, 0, [0, 1]);
    if (!r.ok) throw new Error("replay failed");
    expect(formatSteps(model, r.states, r.actions)).toEqual([
      "  initial state:",
      "      counter.value = 0",
      "      counter.even = true",
      "      seen = []",
      "  1. inc",
      "     add one",
      "        counter.value: 0 -> 1",
      "        counter.even: true -> false",
      "        seen: [] -> [v0]",
      "  2. reset",
      "     back to zero",
      "        counter.value: 1 -> 0",
      "        counter.even: false -> true",
      "        seen: [v0] -> []",
    ]);
  });

  it("says so when a step changes nothing visible", () => {
    const model = { ...toyModel(), view: () => ({ same: 1 }) };
    expect(formatSteps(model, [0, 1], [0])).toContain("        (no visible change)");
  });
});

describe("formatStats", () => {
  it("shows counts, rates, hashing and per-action lines", () => {
    const lines = formatStats(search(toyModel(), { stopWhenDecided: false }).stats);
    expect(lines[0]).toBe("statistics");
    expect(lines[1]).toMatch(/^ {2}states +4 distinct, 4 generated, depth 3, queue peak 1$/);
    expect(lines.join("\n")).toMatch(/states\/s/);
    expect(lines.join("\n")).toMatch(/collision bound .*, visited set [\d.]+ (B|KiB|MiB|GiB) \([\d.]+ bytes\/state\)$/m);
    expect(lines).toContain("    inc    3 / 3");
    expect(lines).toContain("    reset  1 / 0");
  });

  it("shows the visited set's total size before bytes per state, so a small run's preallocated chunks do not look alarming", () => {
    const stats = search(toyModel(), {}).stats;
    const hashing = (visitedBytes: number, distinct: number): string | undefined =>
      formatStats({ ...stats, visitedBytes, distinct }).find((l) => l.startsWith("  hashing"));
    expect(hashing(4.6 * 1024 * 1024, 278_800)).toMatch(/, visited set 4\.6 MiB \(17\.3 bytes\/state\)$/);
    expect(hashing(1_309_800, 1000)).toMatch(/, visited set 1\.2 MiB \(1309\.8 bytes\/state\)$/);
  });

  it("lists action kinds that never fired", () => {
    const lines = formatStats(search(toyModel(0), {}).stats);
    expect(lines.at(-1)).toBe("    never fired: inc, reset");
  });

  it("explains an incomplete search and is silent on a complete one", () => {
    const complete = search(toyModel(), {});
    expect(formatIncomplete(complete)).toBeUndefined();
    const cut: SearchResult = search(toyModel(50), { maxStates: 5, properties: ["non-negative"] });
    expect(formatIncomplete(cut)).toMatch(/^incomplete: the search stopped at the state limit \(--max-states\) after 5 distinct states/);
  });
});

describe("tables and numbers", () => {
  it("aligns text columns and escapes Markdown", () => {
    expect(textTable(["a", "bb"], [["ccc", "d"]])).toEqual(["a    bb", "---  --", "ccc  d"]);
    expect(markdownTable(["x"], [["a|b"]])).toEqual(["| x |", "| --- |", "| a\\|b |"]);
  });
  it("formats numbers", () => {
    expect(int(1234567)).toBe("1,234,567");
    expect(int(999)).toBe("999");
    expect(plural(1, "step")).toBe("1 step");
    expect(plural(3, "step")).toBe("3 steps");
    expect(probability(0)).toBe("0");
    expect(probability(4.94e-9)).toBe("4.9e-9");
    expect(bytes(0)).toBe("0 B");
    expect(bytes(1023)).toBe("1023 B");
    expect(bytes(1024)).toBe("1.0 KiB");
    expect(bytes(4.6 * 1024 * 1024)).toBe("4.6 MiB");
    expect(bytes(3 * 1024 ** 3)).toBe("3.0 GiB");
  });
});

describe("progressReporter", () => {
  const withElapsed = (ms: number) => ({ ...search(toyModel(), {}).stats, elapsedMs: ms });

  it("redraws one \\r line with the elapsed time on a TTY", () => {
    const written: string[] = [];
    const r = progressReporter({ write: (t: string) => written.push(t), isTTY: true }, "check v");
    r.progress(withElapsed(1500));
    r.done?.(withElapsed(1600));
    expect(written[0]).toMatch(/^\r\x1b\[Kcheck v: 4 states, [\d,]+ states\/s, queue 0, depth 3, elapsed 1 s$/);
    expect(written[1]).toBe("\r\x1b[K");
  });

  it("prints a plain line every few seconds when not a TTY, and nothing before the first interval", () => {
    const written: string[] = [];
    const r = progressReporter({ write: (t: string) => written.push(t) }, "matrix v", 5000);
    r.progress(withElapsed(250));
    r.progress(withElapsed(4999));
    expect(written).toEqual([]);
    r.progress(withElapsed(5000));
    r.progress(withElapsed(9000));
    r.progress(withElapsed(125_000));
    expect(written).toHaveLength(2);
    expect(written[0]).toMatch(/^matrix v: 4 states, [\d,]+ states\/s, queue 0, depth 3, elapsed 5 s\n$/);
    expect(written[1]).toMatch(/elapsed 2 min 05 s\n$/);
    expect(r.done).toBeUndefined();
  });
});
