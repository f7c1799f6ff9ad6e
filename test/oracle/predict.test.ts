/**
 * The model's predictions for the scenarios of oracle/scenarios/, checked against what Linux
 * 6.1.192 and 6.12.117 did when these scenarios were run under QEMU (the table "What the kernels
 * did" in shared/design/kernel-oracle.md): the observed signals, PTEs kept and oops must be one
 * of the outcomes the model allows. WARN lines are pinned but not compared: the table records
 * 6.1's WARN at fs/dax.c:404 (dax_disassociate_entry) for the rmapbt=1 read scenario, which the
 * model gives only when the run ends by deleting the entries (an `umount` event), and the table
 * does not say how those runs ended.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import * as Either from "effect/Either";
import { describe, expect, it } from "vitest";
import { decodeScenario } from "../../spec/oracle/scenario.js";
import { type Kernel, type Observed, predict, unpredictable } from "../../spec/oracle/predict.js";
import { ROOT } from "../saved-trace.js";

const dir = join(ROOT, "oracle", "scenarios");
const scenario = (id: string) => {
  const s = decodeScenario(readFileSync(join(dir, `${id}.json`), "utf8"));
  if (Either.isLeft(s)) throw new Error(s.left);
  return s.right;
};

/** What the kernels did, from kernel-oracle.md (c0 is process 0, c1 process 1). */
const OBSERVED: readonly { id: string; kernel: Kernel; signals: string[]; keepsPte?: number[]; oops: boolean }[] = [
  { id: "one-file-madvise", kernel: "6.1", signals: ["0 AR", "1 AO"], keepsPte: [], oops: false },
  { id: "one-file-madvise", kernel: "6.12", signals: ["0 AR", "1 AO"], keepsPte: [], oops: false },
  { id: "reflink-rmap-read-madvise", kernel: "6.1", signals: ["0 AR", "1 AO"], oops: false },
  { id: "reflink-rmap-read-madvise", kernel: "6.12", signals: ["0 AR", "1 AO"], oops: false },
  { id: "reflink-rmap-late-kill-madvise", kernel: "6.1", signals: ["0 AR"], keepsPte: [1], oops: false },
  { id: "reflink-rmap-late-kill-madvise", kernel: "6.12", signals: ["0 AR"], keepsPte: [1], oops: false },
  { id: "reflink-normap-read-madvise", kernel: "6.1", signals: ["1 AO"], keepsPte: [0], oops: false },
  { id: "reflink-normap-read-madvise", kernel: "6.12", signals: [], oops: true },
  { id: "reflink-normap-write-madvise", kernel: "6.1", signals: [], oops: true },
  { id: "reflink-normap-write-madvise", kernel: "6.12", signals: [], oops: true },
  { id: "reflink-normap-truncate-corrupt-pfn", kernel: "6.1", signals: [], keepsPte: [1], oops: false },
  { id: "reflink-normap-truncate-corrupt-pfn", kernel: "6.12", signals: [], oops: true },
  { id: "reflink-rmap-truncate-corrupt-pfn", kernel: "6.1", signals: ["1 AO"], oops: false },
  { id: "reflink-rmap-truncate-corrupt-pfn", kernel: "6.12", signals: ["1 AO"], oops: false },
];

function allows(outcomes: readonly Observed[], o: (typeof OBSERVED)[number]): boolean {
  return outcomes.some((p) =>
    JSON.stringify(p.signals) === JSON.stringify(o.signals) &&
    (o.keepsPte === undefined || JSON.stringify(p.keepsPte) === JSON.stringify(o.keepsPte)) &&
    p.kernel.includes("OOPS") === o.oops,
  );
}

describe("predictions against the recorded kernel runs", () => {
  it("names scenario files that exist", () => {
    const files = readdirSync(dir).filter((f) => f.endsWith(".json")).map((f) => f.replace(/\.json$/, ""));
    for (const id of new Set(OBSERVED.map((o) => o.id))) expect(files).toContain(id);
  });

  it.each(OBSERVED)("$id on $kernel: what the kernel did is an outcome the model allows", (o) => {
    const p = predict(scenario(o.id), o.kernel);
    expect(p.variant).toBe(`v${o.kernel}${o.id.includes("normap") ? "-normap" : ""}`);
    expect(allows(p.outcomes, o), JSON.stringify(p.outcomes)).toBe(true);
  });

  it("pins the predictions, WARN lines included", () => {
    const brief = (id: string, k: Kernel) => predict(scenario(id), k).outcomes.map((x) => [x.signals.join("+") || "-", x.keepsPte.join("+") || "-", x.kernel.join("+") || "-"].join(" / "));
    expect(brief("reflink-rmap-read-madvise", "6.1")).toEqual(["0 AR+1 AO / - / WARN associate"]);
    expect(brief("reflink-rmap-read-madvise", "6.12")).toEqual(["0 AR+1 AO / - / -"]);
    expect(brief("reflink-normap-read-madvise", "6.1")).toEqual(["1 AO / 0 / WARN associate"]);
    expect(brief("reflink-normap-read-madvise", "6.12")).toEqual(["- / 0+1 / OOPS"]);
    expect(brief("reflink-normap-write-madvise", "6.12")).toEqual(["- / - / OOPS", "- / 1 / OOPS"]);
  });

  it("predicts the WARN at 6.1's fs/dax.c:404 (dax_disassociate_entry) only once the run ends with an unmount that evicts A before B", () => {
    const base = scenario("reflink-rmap-read-madvise");
    const withUmount = { ...base, events: [...base.events, { umount: true as const }] };
    expect(predict(base, "6.1").outcomes.map((o) => o.kernel)).toEqual([["WARN associate"]]);
    // The unmount's eviction order is not the scenario's to choose: B first clears ->mapping, A first WARNs.
    expect(predict(withUmount, "6.1").outcomes.map((o) => o.kernel)).toEqual([["WARN associate", "WARN disassociate"], ["WARN associate"]]);
    expect(predict(withUmount, "6.12").outcomes.map((o) => o.kernel)).toEqual([[]]);
  });

  it("says a truncate waits for a held page reference until it is dropped, and an eviction does not wait but WARNs", () => {
    expect(predict(scenario("one-file-pin-truncate"), "6.12").outcomes.map((o) => o.blocked)).toEqual([["truncate"]]);
    const unlink = predict(scenario("one-file-pin-unlink"), "6.1").outcomes;
    expect(unlink.map((o) => [o.blocked, o.kernel])).toEqual([[[], ["WARN truncate-busy"]]]);
  });

  it("runs a truncate that never gets its page reference back to the end, as a hang", () => {
    const s = scenario("one-file-pin-truncate");
    const never = { ...s, events: s.events.filter((e) => !("unpin" in e)) };
    expect(predict(never, "6.1").outcomes.map((o) => [o.blocked, o.hung])).toEqual([[["truncate"], true]]);
  });

  it("poisons a freed block as memory_failure does: nobody is signalled", () => {
    const p = predict(scenario("one-file-truncate-corrupt-pfn"), "6.12");
    expect(p.dropped).toEqual([]);
    expect(p.outcomes.map((o) => o.signals)).toEqual([[]]);
  });

  it("follows every event of every scenario file (none dropped)", () => {
    for (const f of readdirSync(dir).filter((n) => n.endsWith(".json"))) {
      const s = scenario(f.replace(/\.json$/, ""));
      for (const k of ["6.1", "6.12"] as const) expect(predict(s, k).dropped, `${s.id} on ${k}`).toEqual([]);
    }
  });

  it("gives a touch past the end of a truncated file BUS_ADRERR without asking the model", () => {
    const s = scenario("one-file-truncate-corrupt-pfn");
    const after = { ...s, events: [...s.events.slice(0, 3), { touch: { proc: 0, offset: 0, mode: "write" as const } }] };
    const p = predict(after, "6.12");
    expect(p.dropped).toEqual([]);
    expect(p.outcomes.map((o) => o.failedTouches)).toEqual([["0 write BUS_ADRERR"]]);
  });

  it("says which events a scenario cannot be predicted with", () => {
    const s = scenario("one-file-punch-corrupt-pfn");
    expect(unpredictable(s)).toBeUndefined();
    expect(unpredictable({ ...s, offsets: 2 })).toContain("no hole punch");
  });

  it("refuses a malformed scenario in one line", () => {
    const bad = decodeScenario('{"id": "x", "mkfs": {"reflink": true}}');
    expect(Either.isLeft(bad)).toBe(true);
    if (Either.isLeft(bad)) expect(bad.left).not.toContain("\n");
    expect(Either.isLeft(decodeScenario("not json"))).toBe(true);
  });
});
