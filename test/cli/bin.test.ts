import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { INVARIANTS, VARIANTS } from "../../spec/index.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const node = (...args: string[]) => spawnSync(process.execPath, args, { cwd: root, encoding: "utf8" });

describe("bin/daxmc.js (needs dist/: `npm test` builds it first)", () => {
  it("is built", () => {
    expect(existsSync(`${root}/dist/src/cli/main.js`), "dist/ is missing: run `npx tsc -p tsconfig.json` first").toBe(true);
  });

  it("runs `list` as a real process", () => {
    const r = node("bin/daxmc.js", "list");
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    for (const id of [...VARIANTS.map((v) => v.id), ...INVARIANTS.map((i) => i.id)]) expect(r.stdout).toContain(id);
  });

  it("exits 2 with one line on bad input, and the compiled main.js runs itself", () => {
    const r = node("bin/daxmc.js", "frobnicate");
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^daxmc: unknown command 'frobnicate': [^\n]+\n$/);
    const direct = node("dist/src/cli/main.js", "--version");
    expect(direct.status).toBe(0);
    expect(direct.stdout).toMatch(/^daxmc \d/);
  });
});
