import { copyFileSync, existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { lanesOf } from "../saved-trace.js";
import { traceDigest } from "../../src/trace/itf.js";
import { ONE_LINE, type Run, daxmc, tempDir } from "./run.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const POISON = join(root, "counterexamples", "v6.12", "poison_reaches_every_mapping.itf.json");
const DEADLOCK = join(root, "counterexamples", "v6.12", "no_deadlock.itf.json");


/** The HTML of one trace's <article>. */
function article(html: string, i: number): string {
  const start = html.indexOf(`<article class="trace" data-trace="${i}">`);
  expect(start).toBeGreaterThanOrEqual(0);
  return html.slice(start, html.indexOf("</article>", start));
}

/** Lanes in page order, each with its marks' step numbers. */
function lanesIn(part: string): [string, number[]][] {
  const out: [string, number[]][] = [];
  for (const chunk of part.split('<div class="lane" data-lane="').slice(1)) {
    const name = chunk.slice(0, chunk.indexOf('"'));
    out.push([name, [...chunk.matchAll(/data-lane-step="(\d+)"/g)].map((m) => Number(m[1]))]);
  }
  return out;
}

/** What the marks should be: lanes in order of first appearance, each with its steps. */
function expectedLanes(lanes: readonly string[]): [string, number[]][] {
  const order = [...new Set(lanes)];
  return order.map((l) => [l, lanes.flatMap((x, i) => (x === l ? [i + 1] : []))]);
}

describe("daxmc report of two saved counterexamples", () => {
  let cwd: string;
  let run: Run;
  let html: string;
  beforeAll(async () => {
    cwd = tempDir();
    run = await daxmc(["report", POISON, DEADLOCK], cwd);
    html = readFileSync(join(cwd, "report.html"), "utf8");
  });

  it("writes report.html in the working folder, says so with the numbers of traces and steps, and exits 0", () => {
    const steps = lanesOf(POISON).length + lanesOf(DEADLOCK).length;
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`wrote report.html: 2 traces, ${steps} steps\n`);
    expect(readdirSync(cwd)).toEqual(["report.html"]);
  });

  it("is one self-contained page: no script, no external resource", () => {
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(|https?:\/\/(?!www\.w3\.org)/i);
  });

  it("gives each trace a section titled with variant, invariant and bounds", () => {
    const a = article(html, 0);
    expect(a).toContain("<h2>v6.12: poison_reaches_every_mapping</h2>");
    expect(a).toMatch(/<dt>bounds<\/dt><dd>small \(files=2/);
    expect(article(html, 1)).toContain("<h2>v6.12: no_deadlock</h2>");
  });

  it("has one picture per state: the initial state and one per step, each an inline SVG", () => {
    for (const [i, file] of [POISON, DEADLOCK].entries()) {
      const a = article(html, i);
      const n = lanesOf(file).length;
      const steps = [...a.matchAll(/<section class="step[^"]*" data-step="(\d+)">/g)].map((m) => Number(m[1]));
      expect(steps).toEqual(Array.from({ length: n + 1 }, (_, k) => k));
      for (const chunk of a.split(/data-step="\d+"/).slice(1)) expect(chunk).toMatch(/^[^]*?<div class="picture"><svg /);
    }
  });

  it("highlights what breaks the invariant in the last picture only", () => {
    const a = article(html, 0);
    const pictures = a.split(/data-step="\d+"/).slice(1);
    expect(pictures[pictures.length - 1]).toContain('stroke="red"');
    for (const p of pictures.slice(0, -1)) expect(p).not.toContain('stroke="red"');
  });

  it("has one lane per lane name, in order of first appearance, with each step's mark in its lane", () => {
    expect(lanesIn(article(html, 0))).toEqual(expectedLanes(lanesOf(POISON)));
    expect(lanesIn(article(html, 1))).toEqual(expectedLanes(lanesOf(DEADLOCK)));
    expect(lanesIn(article(html, 0)).map(([l]) => l)).toEqual(["reflink", "process X", "hardware", "memory_failure"]);
  });

  it("tells each step with its action label and story", () => {
    expect(article(html, 0)).toMatch(/data-step="1"><h3>1\. <code>reflink\(A-&#62;B\)<\/code>.*FICLONE/);
  });
});

describe("daxmc report output and escaping", () => {
  it("writes --out atomically into a new folder, leaving no temporary file", async () => {
    const cwd = tempDir();
    const r = await daxmc(["report", POISON, "--out", "out/deep/r.html"], cwd);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^wrote out\/deep\/r\.html: 1 trace, \d+ steps\n$/);
    expect(readdirSync(join(cwd, "out", "deep"))).toEqual(["r.html"]);
  });

  it("escapes a hostile file name wherever it is shown", async () => {
    const cwd = tempDir();
    const name = `x<script>alert(1)<script>"'&.itf.json`;
    copyFileSync(POISON, join(cwd, name));
    const r = await daxmc(["report", name], cwd);
    expect(r.code).toBe(0);
    const html = readFileSync(join(cwd, "report.html"), "utf8");
    expect(html).not.toContain("<script");
    expect(html).toContain("x&#60;script&#62;alert(1)&#60;script&#62;&#34;&#39;&#38;.itf.json");
  });
});

describe("daxmc report errors: one line, exit 2, nothing written", () => {
  const cases: [string, (cwd: string) => string[], RegExp][] = [
    ["no file", () => ["report"], /^daxmc: missing trace file: daxmc report FILE\.\.\./],
    ["a missing file", () => ["report", "nope.itf.json"], /^daxmc: cannot read trace file nope\.itf\.json/],
    ["an empty --out", () => ["report", POISON, "--out", ""], /^daxmc: option '--out' has an empty value/],
    ["a bad trace", (cwd) => {
      writeFileSync(join(cwd, "bad.itf.json"), "{ not json");
      return ["report", POISON, "bad.itf.json"];
    }, /^daxmc: bad\.itf\.json is not a usable daxmc trace/],
    ["a diverging trace", (cwd) => {
      const json = JSON.parse(readFileSync(POISON, "utf8"));
      if (json["#meta"].actions !== undefined) json["#meta"].actions[1] = "mf_unlock"; // only in files written before itf-rs compatibility
      json.states[2].action = "mf_unlock";
      json["#meta"].digest = traceDigest(json);
      writeFileSync(join(cwd, "diverged.itf.json"), JSON.stringify(json));
      return ["report", "diverged.itf.json"];
    }, /^daxmc: diverged\.itf\.json: .*re-run daxmc check --variant v6\.12 --invariant poison_reaches_every_mapping/],
    ["an unwritable --out", (cwd) => {
      writeFileSync(join(cwd, "file"), "");
      return ["report", POISON, "--out", "file/report.html"];
    }, /^daxmc: cannot write the report to file\/report\.html \(a part of the path is not a directory\): /],
    ["an unknown option", () => ["report", POISON, "--bogus"], /^daxmc: unknown option '--bogus'|^daxmc: .*--bogus/],
  ];
  it.each(cases)("%s", async (_name, argv, message) => {
    const cwd = tempDir();
    const r = await daxmc(argv(cwd), cwd);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(ONE_LINE);
    expect(r.stderr).toMatch(message);
    expect(existsSync(join(cwd, "report.html"))).toBe(false);
  });

  it("report --help prints its usage", async () => {
    const r = await daxmc(["report", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^usage: daxmc report FILE\.\.\. \[--out report\.html\]/);
  });
});
