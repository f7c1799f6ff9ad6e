import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { buildModel, findVariant, PRESETS } from "../../spec/index.js";
import { buildTrace } from "../../src/trace/build.js";
import { encodeTrace } from "../../src/trace/itf.js";
import { ONE_LINE, daxmc, tempDir } from "./run.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const SAVED = join(root, "counterexamples", "reflink-singular", "no_warn_associate.itf.json");

/** A daxmc trace whose #meta.bounds hides a value nested `depth` deep (the nesting is refused before the digest is looked at). */
function deeplyNested(depth: number): string {
  const json = JSON.parse(readFileSync(SAVED, "utf8"));
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = [value];
  json["#meta"].bounds = { files: value };
  json["#meta"].digest = "0".repeat(64);
  return JSON.stringify(json);
}

/** A valid, signed trace of `steps` steps: a seeded random walk of v4.18 at tiny bounds. */
function longTrace(steps: number): string {
  const model = buildModel(findVariant("v4.18")!, PRESETS.tiny);
  let state = model.initStates()[0];
  const states = [state];
  const actions = [];
  let seed = 1;
  while (actions.length < steps) {
    const candidates: Parameters<typeof model.nextState>[1][] = [];
    model.actions(state, candidates);
    const enabled = candidates.filter((a) => model.nextState(state, a) !== undefined);
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const action = enabled[seed % enabled.length];
    state = model.nextState(state, action)!;
    actions.push(action);
    states.push(state);
  }
  const meta = { source: "daxmc", tool: "daxmc test", variant: "v4.18", bounds: { ...PRESETS.tiny }, invariant: "no_oops", kind: "violation" as const, description: "a long walk" };
  return encodeTrace(buildTrace(model, states, actions, meta));
}

describe("hostile or broken trace files: one line, exit 2, bounded time", () => {
  it("a #meta.bounds nested 2,500 deep is refused, not a stack overflow", async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, "deep.itf.json"), deeplyNested(2500));
    const r = await daxmc(["replay", "deep.itf.json"], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(ONE_LINE);
    expect(r.stderr).toMatch(/is not a usable daxmc trace \(too-deep/);
  });

  it("the same file planted where check would look never stops the run; a FIFO there never blocks it", async () => {
    const cwd = tempDir();
    const dir = join(cwd, "counterexamples", "bounds-tiny", "v4.18");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "no_oops.itf.json"), deeplyNested(2500));
    execFileSync("mkfifo", [join(dir, "backpointer_sound.itf.json")]);
    const r = await daxmc(["check", "--variant", "v4.18", "--bounds", "tiny", "--brief"], cwd);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^no_oops +holds$/m);
  });

  it.each([["/dev/zero", "it is a character device, not a regular file"], ["/dev/null", "it is a character device, not a regular file"]])(
    "replay %s is refused without reading it",
    async (file, why) => {
      const r = await daxmc(["replay", file]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(ONE_LINE);
      expect(r.stderr).toContain(`(${why})`);
    },
  );

  it("replay of a FIFO returns at once", async () => {
    const cwd = tempDir();
    execFileSync("mkfifo", [join(cwd, "pipe.itf.json")]);
    const r = await daxmc(["replay", "pipe.itf.json"], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot read trace file pipe\.itf\.json \(it is a FIFO, not a regular file\)/);
  });

  it("control characters from a file never reach the terminal raw", async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, "e.itf.json"), "\x1b]0;owned\x07{");
    const r = await daxmc(["replay", "e.itf.json"], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(ONE_LINE);
    expect(r.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  });

  it("control characters in a file name are escaped too", async () => {
    const r = await daxmc(["replay", "\x1b]0;owned\x07.json"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("\\x1b]0;owned\\x07.json");
    expect(r.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  });

  it("control characters in an argument are escaped in the error line", async () => {
    const r = await daxmc(["check", "--variant", "v4.18", "--bounds", "a\x1bb"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "daxmc: bad --bounds 'a\\x1bb': unknown bounds preset 'a\\x1bb': use one of tiny, small, full, one-file, or key=value pairs (daxmc list shows the presets)\n",
    );
  });

  it("an empty file name says so", async () => {
    const r = await daxmc(["replay", ""]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^daxmc: the trace file name is empty: /);
  });

  it("a file that starts with a UTF-8 byte order mark is read", async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, "bom.itf.json"), "\uFEFF" + readFileSync(SAVED, "utf8"));
    const r = await daxmc(["replay", "bom.itf.json"], cwd);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("");
  });

  it("a 20,000-step trace (34 MB) replays and prints every step as a stream", async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, "long.itf.json"), longTrace(20_000));
    const r = await daxmc(["replay", "long.itf.json", "--path-only"], cwd);
    expect(r.stderr).toBe("");
    expect([0, 1]).toContain(r.code);
    expect(r.stdout).toMatch(/^ +20000\. /m);
  });

  it("copies of saved traces still replay from anywhere (the reader takes regular files by any name)", async () => {
    const cwd = tempDir();
    copyFileSync(SAVED, join(cwd, "copy"));
    const r = await daxmc(["replay", "copy"], cwd);
    expect(r.code).toBe(1);
  });
});
