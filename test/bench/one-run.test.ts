/**
 * The bench's one measured search (`bench.js --one DIST VARIANT BOUNDS MODE TIMEOUT [MAX_STATES]`),
 * which the bench runs in a child process per cell: its optional state limit is how this build is
 * timed over the states a baseline reached. Needs dist/ (npm test builds it).
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const bench = fileURLToPath(new URL("../../dist/bench/bench.js", import.meta.url));
const dist = fileURLToPath(new URL("../../dist", import.meta.url));

function one(...args: string[]): { status: string; distinct: number; statesPerSecond: number } {
  const r = spawnSync(process.execPath, ["--expose-gc", bench, "--one", dist, ...args], { encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as ReturnType<typeof one>;
}

describe("bench --one", () => {
  it("searches the whole space without a state limit, and stops just past the limit with one (v6.12 tiny: 299,470 states)", () => {
    const whole = one("v6.12", "tiny", "plain", "60000");
    expect([whole.status, whole.distinct]).toEqual(["complete", 299470]);
    const cut = one("v6.12", "tiny", "plain", "60000", "1000");
    // The limit is checked before each pop: the last state's successors pass it by 4.
    expect([cut.status, cut.distinct]).toEqual(["incomplete", 1004]);
  });
});
