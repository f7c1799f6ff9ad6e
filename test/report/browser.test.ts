/**
 * The report in a real browser: headless Chromium (the system's, driven by playwright-core)
 * opens the generated file with the network refused, and every picture must have rendered with
 * nodes and a size, and the swim lanes must show the trace's steps in order. A full-page
 * screenshot goes to test-artifacts/ (gitignored). Without /usr/bin/chromium the test fails
 * under CI (which installs it) and is skipped elsewhere.
 */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lanesOf } from "../saved-trace.js";
import { daxmc, tempDir } from "../cli/run.js";

const CHROMIUM = "/usr/bin/chromium";
const root = fileURLToPath(new URL("../..", import.meta.url));
const ARTIFACTS = join(root, "test-artifacts");
const TRACES = [
  join(root, "counterexamples", "v6.12", "poison_reaches_every_mapping.itf.json"),
  join(root, "counterexamples", "v6.1", "no_deadlock.itf.json"),
];
const ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];


const present = existsSync(CHROMIUM);

describe.runIf(!present && process.env.CI !== undefined)("the report in Chromium (CI)", () => {
  it("needs /usr/bin/chromium, which .ci/run installs", () => {
    expect.fail(`${CHROMIUM} is missing under CI: .ci/run should have installed it (apt-get install -y chromium)`);
  });
});

describe.skipIf(!present)(`the report in headless Chromium${present ? "" : ` (skipped: ${CHROMIUM} is missing; apt-get install -y chromium)`}`, () => {
  let browser: Browser;
  let page: Awaited<ReturnType<Browser["newPage"]>>;
  const requests: string[] = [];
  let file: string;

  beforeAll(async () => {
    const cwd = tempDir();
    const r = await daxmc(["report", ...TRACES, "--out", "report.html"], cwd);
    expect(r.code).toBe(0);
    file = join(cwd, "report.html");
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.route("**/*", (route) => {
      requests.push(route.request().url());
      return route.request().url().startsWith("file://") ? route.continue() : route.abort();
    });
    await page.goto(`file://${file}`);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it("loads nothing but the file itself", () => {
    expect(requests).toEqual([`file://${file}`]);
  });

  it("renders every state's picture: an SVG with nodes and a non-zero size in each data-step container", async () => {
    for (const [t, trace] of TRACES.entries()) {
      const pictures = await page.$$eval(`article[data-trace="${t}"] [data-step]`, (els) =>
        els.map((el) => {
          const svg = el.querySelector(".picture svg");
          const box = svg?.getBoundingClientRect();
          return { step: Number(el.getAttribute("data-step")), nodes: svg?.querySelectorAll("g.node").length ?? 0, width: box?.width ?? 0, height: box?.height ?? 0 };
        }),
      );
      expect(pictures.map((p) => p.step)).toEqual(Array.from({ length: lanesOf(trace).length + 1 }, (_, i) => i));
      for (const p of pictures) {
        expect(p.nodes).toBeGreaterThan(4);
        expect(p.width).toBeGreaterThan(50);
        expect(p.height).toBeGreaterThan(50);
      }
    }
  });

  it("draws what breaks the invariant in red in the last picture", async () => {
    const red = await page.$$eval('article[data-trace="0"] [data-step]', (els) =>
      els.map((el) => el.querySelectorAll('.picture svg [stroke="red"]').length),
    );
    expect(red[red.length - 1]).toBeGreaterThan(0);
    expect(red.slice(0, -1).every((n) => n === 0)).toBe(true);
  });

  it("shows one lane per lane of the trace, in order, with each step's mark in its lane and lower than the step before", async () => {
    for (const [t, trace] of TRACES.entries()) {
      const lanes = lanesOf(trace);
      const shown = await page.$$eval(`article[data-trace="${t}"] .lane[data-lane]`, (els) =>
        els.map((el) => ({
          lane: el.getAttribute("data-lane") ?? "",
          marks: [...el.querySelectorAll("[data-lane-step]")].map((m) => ({ step: Number(m.getAttribute("data-lane-step")), y: m.getBoundingClientRect().top, visible: m.getBoundingClientRect().height > 0 })),
        })),
      );
      expect(shown.map((l) => l.lane)).toEqual([...new Set(lanes)]);
      for (const l of shown) expect(l.marks.map((m) => m.step)).toEqual(lanes.flatMap((x, i) => (x === l.lane ? [i + 1] : [])));
      const byStep = shown.flatMap((l) => l.marks).sort((a, b) => a.step - b.step);
      expect(byStep.map((m) => m.step)).toEqual(lanes.map((_, i) => i + 1));
      for (let i = 1; i < byStep.length; i++) expect(byStep[i].y).toBeGreaterThan(byStep[i - 1].y);
      for (const m of byStep) expect(m.visible).toBe(true);
    }
  });

  it("saves a full-page screenshot under test-artifacts/", async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const path = join(ARTIFACTS, "report.png");
    await page.screenshot({ path, fullPage: true });
    expect(readFileSync(path).subarray(1, 4).toString()).toBe("PNG");
  });
});
