import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeFileAtomic } from "../../src/trace/atomic.js";

describe("writeFileAtomic", () => {
  it("creates directories, replaces the file, and leaves no temporary file behind", () => {
    const dir = mkdtempSync(join(tmpdir(), "daxmc-atomic-"));
    const file = join(dir, "a", "b", "t.json");
    writeFileAtomic(file, "one");
    writeFileAtomic(file, "two");
    expect(readFileSync(file, "utf8")).toBe("two");
    expect(readdirSync(join(dir, "a", "b"))).toEqual(["t.json"]);
  });

  it("throws, and cleans up, when the target cannot be written", () => {
    const dir = mkdtempSync(join(tmpdir(), "daxmc-atomic-"));
    writeFileSync(join(dir, "file"), "x");
    expect(() => writeFileAtomic(join(dir, "file", "t.json"), "y")).toThrow();
    expect(readdirSync(dir)).toEqual(["file"]);
  });
});
