import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, onTestFinished } from "vitest";
import { ensureDirectory, removeLeftovers, writeFileAtomic } from "../../src/trace/atomic.js";

describe("writeFileAtomic", () => {
  it("creates directories, replaces the file, and leaves no temporary file behind", () => {
    const dir = mkdtempSync(join(tmpdir(), "daxmc-atomic-"));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, "a", "b", "t.json");
    writeFileAtomic(file, "one");
    writeFileAtomic(file, "two");
    expect(readFileSync(file, "utf8")).toBe("two");
    expect(readdirSync(join(dir, "a", "b"))).toEqual(["t.json"]);
  });

  it("throws, and cleans up, when the target cannot be written", () => {
    const dir = mkdtempSync(join(tmpdir(), "daxmc-atomic-"));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, "file"), "x");
    expect(() => writeFileAtomic(join(dir, "file", "t.json"), "y")).toThrow();
    expect(readdirSync(dir)).toEqual(["file"]);
  });
});

describe("leftovers and directories", () => {
  const made: string[] = [];
  afterAll(() => {
    for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const temp = (): string => {
    const d = mkdtempSync(join(tmpdir(), "daxmc-atomic-"));
    made.push(d);
    return d;
  };

  it("a write removes temporary files that killed writers left (their process is gone), and keeps those of live ones", () => {
    const dir = temp();
    const dead = spawnSync(process.execPath, ["-e", ""]).pid!;
    writeFileSync(join(dir, `.t.json.${dead}.abc123.tmp`), "half");
    writeFileSync(join(dir, `.t.json.${process.pid}.zz9.tmp`), "mine, in flight");
    writeFileSync(join(dir, ".notes.tmp"), "not ours");
    writeFileAtomic(join(dir, "t.json"), "whole");
    expect(readdirSync(dir).sort()).toEqual([".notes.tmp", `.t.json.${process.pid}.zz9.tmp`, "t.json"]);
    expect(removeLeftovers(dir)).toEqual([]);
  });

  it("ensureDirectory makes missing parents, accepts existing ones, and fails at once where it cannot (a file, /proc)", () => {
    const dir = temp();
    ensureDirectory(join(dir, "a", "b"));
    ensureDirectory(join(dir, "a", "b"));
    expect(statSync(join(dir, "a", "b")).isDirectory()).toBe(true);
    writeFileSync(join(dir, "f"), "");
    expect(() => ensureDirectory(join(dir, "f", "g"))).toThrow(expect.objectContaining({ code: "ENOTDIR" }));
    expect(() => ensureDirectory("/proc/daxmc-no-such/x")).toThrow();
    expect(() => ensureDirectory("/dev/null")).toThrow(expect.objectContaining({ code: "ENOTDIR" }));
  });
});
