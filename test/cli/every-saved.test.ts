/** Every saved counterexample of every variant goes through explain, shrink and report: what the "done when" asks. */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as Either from "effect/Either";
import { describe, expect, it } from "vitest";
import { loadTrace } from "../../src/cli/load-trace.js";
import { shrinkPath } from "../../src/cli/shrink-trace.js";
import { storyOf } from "../../src/cli/explain.js";
import { buildExplainer } from "../../src/cli/wiring.js";
import { daxmc, tempDir } from "./run.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const dir = join(root, "counterexamples");
const saved = existsSync(dir)
  ? readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".itf.json") && !f.startsWith("bounds-")).sort()
  : [];

describe("every saved counterexample", () => {
  it.each(saved)("counterexamples/%s is explained with its own witness, shrinks to no longer a path, and has a marked last picture", (file) => {
    const loaded = loadTrace(join("counterexamples", file), root, "test");
    expect(Either.isRight(loaded)).toBe(true);
    if (Either.isLeft(loaded)) return;
    const t = loaded.right;
    const story = storyOf(t, { format: "mail", glossary: false, cite: true });
    expect(story.violated).toBe(true);
    expect(story.lines.join("\n")).not.toContain("is violated in the last state");
    for (const line of story.lines) expect(line.length, line).toBeLessThan(80);
    const shrunk = shrinkPath(t.model, t.variant, t.bounds, t.invariant.id, t.actions);
    expect(shrunk).toBeDefined();
    expect(shrunk!.path.length).toBeLessThanOrEqual(t.actions.length);
    const graph = buildExplainer(t.variant, t.bounds).graph(t.states[t.states.length - 1], t.invariant.id);
    expect(graph.nodes.some((n) => n.highlight === true) || graph.edges.some((e) => e.highlight === true)).toBe(true);
  });

  it("all render into one report", async () => {
    const cwd = tempDir();
    const r = await daxmc(["report", ...saved.map((f) => join(dir, f)), "--out", join(cwd, "all.html")], cwd);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const html = readFileSync(join(cwd, "all.html"), "utf8");
    expect(new Set(html.match(/data-trace="\d+"/g)).size).toBe(saved.length);
    expect(html.match(/<section class="step last"/g)).toHaveLength(saved.length);
  });
});
