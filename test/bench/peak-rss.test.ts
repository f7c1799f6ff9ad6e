/** The peak resident set the bench's `--check` prints for each run. Needs dist/ (npm test builds it). */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { PEAK_RSS, cpuSeconds, peakRssBytes } from "../../bench/peak-rss-line.js";

const bench = fileURLToPath(new URL("../../dist/bench/bench.js", import.meta.url));

describe("peakRssBytes", () => {
  it("reads the KiB of the preload's line among check's progress lines, as bytes", () => {
    expect(peakRssBytes(`check v6.12: 1,000 states\n\n${PEAK_RSS} 51200\n`)).toBe(51200 * 1024);
    expect(peakRssBytes("check v6.12: 1,000 states\n")).toBeUndefined();
    expect(peakRssBytes(`${PEAK_RSS} lots\n`)).toBeUndefined();
  });

  it("reads the CPU microseconds after the KiB, as seconds, and the KiB alike", () => {
    const line = `check v6.12: 1,000 states\n\n${PEAK_RSS} 51200 cpu-us 2500000\n`;
    expect(peakRssBytes(line)).toBe(51200 * 1024);
    expect(cpuSeconds(line)).toBe(2.5);
    expect(cpuSeconds(`${PEAK_RSS} 51200\n`)).toBeUndefined();
    expect(cpuSeconds(`${PEAK_RSS} 51200 cpu-us many\n`)).toBeUndefined();
  });
});

describe("bench --check", () => {
  it("prints each run's visited set, peak resident set and CPU time, measured in the check's own process", () => {
    const r = spawnSync(process.execPath, [bench, "--bounds", "none", "--matrix", "none", "--ceiling", "none", "--check", "v6.12,tiny,2000"], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const lines = r.stdout.split("\n").filter((line) => line.includes("--workers"));
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      const m = /: ([\d,]+) states in ([\d.]+) s, [\d,]+ states\/s, visited set ([\d.]+) B\/state, peak RSS (\d+) MiB \(([\d.]+) B\/state\), CPU ([\d.]+) s$/.exec(line);
      expect(m, line).not.toBeNull();
      // A node process with a search in it holds tens of MiB at least, and no check of 2,000 states holds gigabytes.
      const [states, visited, mib, perState] = [Number(m?.[1].replace(/,/g, "")), Number(m?.[3]), Number(m?.[4]), Number(m?.[5])];
      // The whole process's CPU: starting node and loading the CLI alone take more than the search's own seconds, and a tiny check takes well under a minute.
      const [searchSeconds, cpu] = [Number(m?.[2]), Number(m?.[6])];
      expect(cpu).toBeGreaterThan(searchSeconds);
      expect(cpu).toBeLessThan(60);
      expect(states).toBeGreaterThanOrEqual(2000);
      // The tables and the trail: more than the trail's 16 bytes a state, less than the whole process.
      expect(visited).toBeGreaterThan(16);
      expect(visited).toBeLessThan(perState);
      expect(mib).toBeGreaterThan(20);
      expect(mib).toBeLessThan(2048);
      expect(perState).toBeCloseTo((mib * 2 ** 20) / states, -3);
    }
    expect(r.stdout).toMatch(/ {2}CPU: one thread [\d.]+ s, two [\d.]+ s \(medians\); two threads used [\d.]+x the CPU time of one, which caps them at [\d.]+x on two cores\n/);
  });
});
