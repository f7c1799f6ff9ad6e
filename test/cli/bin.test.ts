import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
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

describe("bin/daxmc.js never runs a missing or stale build", () => {
  const copy = mkdtempSync(join(tmpdir(), "daxmc-bin-"));
  afterAll(() => rmSync(copy, { recursive: true, force: true }));
  const inCopy = (...args: string[]) => spawnSync(process.execPath, args, { cwd: copy, encoding: "utf8" });

  it("builds dist/ first when there is none (a clone installed with --ignore-scripts), then runs", () => {
    for (const part of ["bin", "src", "spec"]) cpSync(join(root, part), join(copy, part), { recursive: true });
    for (const file of ["package.json", "tsconfig.json"]) cpSync(join(root, file), join(copy, file));
    symlinkSync(join(root, "node_modules"), join(copy, "node_modules"));
    const r = inCopy("bin/daxmc.js", "list");
    expect(r.stderr).toMatch(/^daxmc: building dist\/ first \(dist\/ has no build of \S+\.ts\)\n$/);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("v4.18");
    const again = inCopy("bin/daxmc.js", "list");
    expect([again.status, again.stderr]).toEqual([0, ""]);
  });

  it("after an edit it rebuilds, and a build that fails is one line and exit 70, never the old build", () => {
    const file = join(copy, "src", "cli", "list.ts");
    writeFileSync(file, `${readFileSync(file, "utf8")}\nconst broken: number = "not a number";\n`);
    const later = new Date(Date.now() + 2000);
    utimesSync(file, later, later);
    const r = inCopy("bin/daxmc.js", "list");
    expect(r.status).toBe(70);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^daxmc: building dist\/ first \(src\/cli\/list\.ts changed since the last build\)\ndaxmc: the build failed \(.*TS2322.*\): fix the error, or run npm run build to see them all\n$/);
  });
});
