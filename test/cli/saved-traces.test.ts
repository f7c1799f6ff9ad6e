import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as Either from "effect/Either";
import { describe, expect, it } from "vitest";
import { type Bounds, DEFAULT_PRESET, PRESETS, VARIANTS, formatBounds } from "../../spec/index.js";
import { decodeTrace } from "../../src/trace/itf.js";
import { daxmc } from "./run.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const dir = join(root, "counterexamples");
const saved = existsSync(dir)
  ? readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".itf.json") && !f.startsWith("bounds-")).sort()
  : [];
const verdicts = readFileSync(join(root, "docs", "verdicts.md"), "utf8");

describe("every counterexample saved in the repository replays and still violates", () => {
  if (saved.length === 0) it.skip("none saved yet: npm start writes them", () => {});
  it.each(saved)("counterexamples/%s", async (file) => {
    const r = await daxmc(["replay", join("counterexamples", file)], root);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
  });
});

describe("the committed counterexamples are the ones docs/verdicts.md documents", () => {
  const documented = /^Written by `daxmc matrix --bounds ([^`]+)`/m.exec(verdicts)?.[1];

  it("docs/verdicts.md documents the default bounds", () => {
    expect(documented).toBe(DEFAULT_PRESET);
  });

  it("only the default bounds' counterexamples are committed, each written at those bounds", () => {
    for (const file of saved) {
      expect(file.split("/")).toHaveLength(2);
      const trace = decodeTrace(readFileSync(join(dir, file), "utf8"), "daxmc");
      if (Either.isLeft(trace)) throw new Error(`${file}: ${trace.left.reason}`);
      const bounds = trace.right.meta.bounds as unknown as Bounds;
      expect(formatBounds(bounds), file).toBe(documented);
    }
  });

  it("each VIOLATED cell of the table has its file, and each file its VIOLATED cell with the same length", () => {
    const header = verdicts.split("\n").find((l) => l.startsWith("| invariant |"))!;
    const columns = header.split("|").map((c) => c.trim()).filter((c) => c !== "").slice(1);
    expect(columns).toEqual(VARIANTS.map((v) => v.id));
    const cells = new Map<string, number>();
    for (const line of verdicts.split("\n")) {
      const parts = line.split("|").map((c) => c.trim()).filter((c) => c !== "");
      const invariant = /^\[(\w+)\]\(invariants\.md#\1\)$/.exec(parts[0] ?? "")?.[1];
      if (parts.length !== columns.length + 1 || invariant === undefined) continue;
      parts.slice(1).forEach((cell, i) => {
        const m = /^\[VIOLATED (\d+)\]\(\.\.\/counterexamples\/([^)]+)\)$/.exec(cell);
        if (m === null) return expect(cell).toMatch(/^(holds|vacuous)$/);
        expect(m[2]).toBe(`${columns[i]}/${invariant}.itf.json`);
        cells.set(m[2], Number(m[1]));
      });
    }
    expect(saved).toEqual([...cells.keys()].sort());
    for (const [file, steps] of cells) {
      const json = JSON.parse(readFileSync(join(dir, file), "utf8"));
      expect(json.states.length - 1, file).toBe(steps);
    }
  });

  it("the default preset is what the docs name", () => {
    expect(Object.keys(PRESETS)).toContain(documented);
  });
});
