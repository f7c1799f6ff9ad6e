/** The peak resident set the bench's `--check` prints for each run. Needs dist/ (npm test builds it). */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { PEAK_RSS, peakRssBytes } from "../../bench/peak-rss-line.js";

const bench = fileURLToPath(new URL("../../dist/bench/bench.js", import.meta.url));

describe("peakRssBytes", () => {
  it("reads the KiB of the preload's line among check's progress lines, as bytes", () => {
    expect(peakRssBytes(`check v6.12: 1,000 states\n\n${PEAK_RSS} 51200\n`)).toBe(51200 * 1024);
    expect(peakRssBytes("check v6.12: 1,000 states\n")).toBeUndefined();
    expect(peakRssBytes(`${PEAK_RSS} lots\n`)).toBeUndefined();
  });
});

describe("bench --check", () => {
  it("prints each run's visited set and peak resident set, measured in the check's own process", () => {
    const r = spawnSync(process.execPath, [bench, "--bounds", "none", "--matrix", "none", "--ceiling", "none", "--check", "v6.12,tiny,2000"], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const lines = r.stdout.split("\n").filter((line) => line.includes("--workers"));
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      const m = /: ([\d,]+) states in [\d.]+ s, [\d,]+ states\/s, visited set ([\d.]+) B\/state, peak RSS (\d+) MiB \(([\d.]+) B\/state\)$/.exec(line);
      expect(m, line).not.toBeNull();
      // A node process with a search in it holds tens of MiB at least, and no check of 2,000 states holds gigabytes.
      const [states, visited, mib, perState] = [Number(m?.[1].replace(/,/g, "")), Number(m?.[2]), Number(m?.[3]), Number(m?.[4])];
      expect(states).toBeGreaterThanOrEqual(2000);
      // The tables and the trail: more than the trail's 16 bytes a state, less than the whole process.
      expect(visited).toBeGreaterThan(16);
      expect(visited).toBeLessThan(perState);
      expect(mib).toBeGreaterThan(20);
      expect(mib).toBeLessThan(2048);
      expect(perState).toBeCloseTo((mib * 2 ** 20) / states, -3);
    }
  });
});
