import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { INVARIANTS, PRESETS, VARIANTS } from "../../spec/index.js";
import { daxmc } from "./run.js";

describe("the CLI explains itself", () => {
  it.each([["list"], ["check"], ["matrix"], ["replay"]])("%s --help (and -h, and help %s) prints that command's usage and exits 0", async (command) => {
    const r = await daxmc([command, "--help"]);
    expect([r.code, r.stderr]).toEqual([0, ""]);
    expect(r.stdout).toMatch(new RegExp(`^usage: daxmc ${command}`));
    expect((await daxmc([command, "-h"])).stdout).toBe(r.stdout);
    expect((await daxmc(["help", command])).stdout).toBe(r.stdout);
  });

  it("--help lists every option a search command takes", async () => {
    const r = await daxmc(["check", "--help"]);
    for (const option of ["--variant", "--invariant", "--bounds", "--max-states", "--max-depth", "--timeout", "--max-memory", "--out", "--json", "--brief"]) {
      expect(r.stdout).toContain(option);
    }
  });

  it("list --json is one document with every variant, invariant and preset", async () => {
    const r = await daxmc(["list", "--json"]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.variants.map((v: { id: string }) => v.id)).toEqual(VARIANTS.map((v) => v.id));
    expect(doc.invariants.map((i: { id: string }) => i.id)).toEqual(INVARIANTS.map((i) => i.id));
    expect(doc.presets.map((p: { name: string }) => p.name)).toEqual(Object.keys(PRESETS));
    expect(doc.presets.filter((p: { default: boolean }) => p.default).map((p: { name: string }) => p.name)).toEqual(["small"]);
  });

  it("check --brief prints one line per verdict, with the counterexample's file", async () => {
    const r = await daxmc(["check", "--variant", "reflink-singular", "--bounds", "tiny", "--brief"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^no_warn_associate +VIOLATED in 3 steps {2}counterexamples\/bounds-tiny\/reflink-singular\/no_warn_associate\.itf\.json$/m);
    expect(r.stdout).not.toMatch(/initial state/);
    expect(r.stdout.split("\n").filter((l) => l !== "")).toHaveLength(INVARIANTS.length + 1);
  });

  it("check prints the initial state once, however many counterexamples", async () => {
    const r = await daxmc(["check", "--variant", "reflink-singular", "--bounds", "tiny"]);
    expect(r.stdout.match(/initial state/g)).toHaveLength(1);
    expect(r.stdout.match(/^counterexample: /gm)!.length).toBeGreaterThan(1);
  });

  it("package.json is private, so npx daxmc never asks the registry", () => {
    const pkg = JSON.parse(readFileSync(fileURLToPath(new URL("../../package.json", import.meta.url)), "utf8"));
    expect(pkg.private).toBe(true);
  });
});
