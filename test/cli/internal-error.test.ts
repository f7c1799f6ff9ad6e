import { describe, expect, it, vi } from "vitest";
import { daxmc } from "./run.js";

vi.mock("../../src/engine/index.js", async (importOriginal) => {
  // An engine failure with a stack trace in its message, whether check searches in one thread or several.
  const broken = async (): Promise<never> => {
    throw new Error("the engine broke\n    at somewhere (engine.ts:1:1)");
  };
  return { ...(await importOriginal<typeof import("../../src/engine/index.js")>()), searchAsync: broken, searchShared: broken };
});

describe("an internal error", () => {
  it("prints one line, no stack trace, and exits 70", async () => {
    const r = await daxmc(["check", "--variant", "v4.18", "--bounds", "tiny"]);
    expect(r.code).toBe(70);
    expect(r.stderr).toBe("daxmc: internal error: the engine broke: please report it with the command line that caused it\n");
  });
});
