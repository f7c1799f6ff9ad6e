import { describe, expect, it } from "vitest";
import { INVARIANTS, PRESETS, VARIANTS } from "../../spec/index.js";
import { daxmc } from "./run.js";

describe("daxmc list", () => {
  it("prints every variant with its kernel, every invariant with its partner, and every preset", async () => {
    const r = await daxmc(["list"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    for (const v of VARIANTS) {
      expect(r.stdout).toContain(`  ${v.id}\n`);
      expect(r.stdout).toContain(v.kernel);
    }
    for (const i of INVARIANTS) {
      expect(r.stdout).toContain(`  ${i.id}\n`);
      expect(r.stdout).toContain(`partner  ${i.partner}: ${i.partnerMeaning}`);
    }
    for (const p of Object.keys(PRESETS)) expect(r.stdout).toMatch(new RegExp(`^  ${p} +files=`, "m"));
  });

  it("prints usage for help and the version for --version", async () => {
    expect((await daxmc(["help"])).stdout).toMatch(/daxmc check --variant ID/);
    expect((await daxmc(["--version"])).stdout).toMatch(/^daxmc \d+\.\d+\.\d+\n$/);
  });
});
