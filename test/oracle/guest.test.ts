/** The guest side's pure parts: a scenario as helper steps, and a serial log read back into observables. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as Either from "effect/Either";
import { describe, expect, it } from "vitest";
import { agrees, rowFor } from "../../spec/oracle/compare.js";
import { parseGuestLog } from "../../spec/oracle/guest-log.js";
import { guestSteps } from "../../spec/oracle/guest-steps.js";
import { predict } from "../../spec/oracle/predict.js";
import { decodeScenario } from "../../spec/oracle/scenario.js";
import { ROOT } from "../saved-trace.js";

const scenario = (id: string) => {
  const s = decodeScenario(readFileSync(join(ROOT, "oracle", "scenarios", `${id}.json`), "utf8"));
  if (Either.isLeft(s)) throw new Error(s.left);
  return s.right;
};

describe("guestSteps", () => {
  it("maps each process just before its first touch and ends with a late check", () => {
    const g = guestSteps(scenario("reflink-normap-truncate-corrupt-pfn"));
    expect(g).toEqual({ ok: true, lines: [
      "id reflink-normap-truncate-corrupt-pfn", "mkfs reflink=1 rmapbt=0", "file A 1", "clone A B",
      "proc 0 map A early 0", "touch 0 read", "proc 1 map B early 0", "touch 1 read", "truncate A", "poison corrupt-pfn 1", "check late",
    ] });
  });

  it("says why a scenario cannot run in the guest", () => {
    const s = scenario("one-file-madvise");
    const nobody = { ...s, events: [{ poison: { method: "corrupt-pfn" as const, file: "A" as const, offset: 0 } }] };
    expect(guestSteps(nobody)).toEqual({ ok: false, why: "corrupt-pfn needs a process that touched A, whose pfn it poisons" });
  });

  it("makes a media error the pmem driver's badblocks entry, then memory_failure as the consumer or a scrub would call it", () => {
    const consumed = guestSteps(scenario("one-file-media-consume"));
    expect(consumed.ok && consumed.lines.slice(-3)).toEqual(["badblock 0", "poison madvise 0", "check late"]);
    const scrubbed = guestSteps(scenario("reflink-rmap-media-scrub"));
    expect(scrubbed.ok && scrubbed.lines.slice(-3)).toEqual(["badblock 0", "poison corrupt-pfn 0", "check late"]);
  });
});

/** A serial log as run-guest.sh frames it, with the helper's RESULT lines and the kernel's. */
const LOG = [
  "ORACLE kernel 6.1.0-57-amd64",
  "SCENARIO BEGIN reflink-rmap-read-madvise",
  "RESULT mkfs-options=reflink=1,rmapbt=1",
  "RESULT proc=0 touch=read result=ok pfn=0x40000",
  "RESULT proc=1 touch=read result=ok pfn=0x40000",
  "RESULT proc=0 madvise=0",
  "RESULT proc=0 sig=SIGBUS code=BUS_MCEERR_AR addr=match lsb=12",
  "RESULT proc=1 sig=SIGBUS code=BUS_MCEERR_AO addr=match lsb=12",
  "RESULT proc=0 pte=none",
  "RESULT proc=1 pte=none",
  "RESULT done",
  "DMESG BEGIN reflink-rmap-read-madvise",
  "[   12.345678] WARNING: CPU: 0 PID: 77 at fs/dax.c:380 dax_associate_entry+0x9e/0xb0",
  "[   12.400000] Memory failure: 0x40000: recovery action for dax page: Recovered",
  "[   13.000000] WARNING: CPU: 0 PID: 80 at fs/dax.c:404 dax_disassociate_entry+0x5b/0x70",
  "DMESG END reflink-rmap-read-madvise",
  "SCENARIO END reflink-rmap-read-madvise rc=0",
  "SCENARIO BEGIN reflink-normap-read-madvise",
  "RESULT proc=0 touch=read result=ok pfn=0x40000",
  "[   20.0] BUG: kernel NULL pointer dereference, address: 0000000000000001",
  "[   20.1] RIP: 0010:dax_lock_folio+0x30/0xf0",
].join("\n");

describe("parseGuestLog", () => {
  const outcomes = parseGuestLog(LOG);

  it("reads signals, PTEs kept to the poisoned pfn and the kernel's WARN lines by function", () => {
    expect(outcomes[0]).toMatchObject({
      id: "reflink-rmap-read-madvise",
      observed: { signals: ["0 AR", "1 AO"], keepsPte: [], kernel: ["WARN associate", "WARN disassociate"], hung: false },
      errors: [],
    });
  });

  it("reads an oops, and a section the guest never ended is an error", () => {
    expect(outcomes[1].observed.kernel).toEqual(["OOPS"]);
    expect(outcomes[1].errors[0]).toMatch(/no SCENARIO END/);
  });

  it("agrees with the model's prediction for 6.1 once the run's unmount is modelled", () => {
    const s = scenario("reflink-rmap-read-madvise");
    const predicted = predict({ ...s, events: [...s.events, { umount: true }] }, "6.1").outcomes;
    expect(agrees(predicted, outcomes[0].observed)).toBe(true);
    expect(rowFor(s.id, "6.1", predicted, outcomes[0]).verdict).toBe("agree");
    expect(agrees(predict({ ...s, events: [...s.events, { umount: true }] }, "6.12").outcomes, outcomes[0].observed)).toBe(false);
  });
});

describe("a real 6.1.192 guest log (QEMU TCG, oracle/run-guest.sh)", () => {
  const log = readFileSync(join(ROOT, "test", "oracle", "fixtures", "6.1-reflink-normap-write-madvise.log"), "utf8");
  const [outcome] = parseGuestLog(log);

  it("reads the WARN at fs/dax.c:380 (shown in dax_insert_entry, where 6.1 inlines dax_associate_entry) and the oops in dax_lock_page", () => {
    expect(outcome.id).toBe("reflink-normap-write-madvise");
    expect(outcome.observed.kernel).toEqual(["OOPS", "WARN associate"]);
    expect(outcome.lines.some((l) => /RIP: 0010:dax_lock_page/.test(l))).toBe(true);
  });

  it("came from a helper whose write touch read the page first: as a read fault then a write fault, the model predicts that WARN too", () => {
    const s = scenario("reflink-normap-write-madvise");
    const end = [{ late_read: true as const }, { umount: true as const }];
    const asWritten = predict({ ...s, events: [...s.events, ...end] }, "6.1").outcomes;
    expect(agrees(asWritten, outcome.observed)).toBe(false);
    const readThenWrite = s.events.flatMap((e) => ("touch" in e && e.touch.mode === "write" ? [{ touch: { ...e.touch, mode: "read" as const } }, e] : [e]));
    const asRun = predict({ ...s, events: [...readThenWrite, ...end] }, "6.1").outcomes;
    expect(agrees(asRun, outcome.observed)).toBe(true);
  });
});
