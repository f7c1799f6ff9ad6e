/**
 * What a violated invariant looks like from user space and the kernel log: the observable a
 * reproducer checks. Invariants about internal state (->mapping, the share count, the rmap
 * owners) have none: a run can only show what those states lead to.
 */
import type { Observed } from "./predict.js";

/** How an invariant's violation shows in a guest run, or undefined when it does not show directly. */
export interface ViolationSign {
  /** One line, in kernel terms. */
  readonly text: string;
  readonly shows: (o: Observed) => boolean;
}

const kernelLine = (line: string, text: string): ViolationSign => ({ text, shows: (o) => o.kernel.includes(line) });

const SIGNS: Readonly<Record<string, ViolationSign>> = {
  no_oops: kernelLine("OOPS", "an oops (BUG:/Oops: in the kernel log)"),
  no_warn_associate: kernelLine("WARN associate", "the WARN_ON_ONCE in dax_associate_entry (fs/dax.c: 6.1.192 :380, 6.12.117 :372)"),
  no_warn_disassociate: kernelLine("WARN disassociate", "the WARN_ON_ONCE(page->mapping != mapping) in dax_disassociate_entry (fs/dax.c: 6.1.192 :404, 6.12.117 :396)"),
  no_warn_truncate_busy: kernelLine("WARN truncate-busy", "the WARN_ON_ONCE(trunc && page_ref_count > 1) in dax_disassociate_entry (fs/dax.c: 6.1.192 :398, 6.12.117 :390)"),
  poison_reaches_every_mapping: { text: "a process still maps the poisoned page after memory_failure (its PTE present)", shows: (o) => o.keepsPte.length > 0 },
  signalled_pte_gone: { text: "a process still maps the poisoned page after memory_failure (its PTE present)", shows: (o) => o.keepsPte.length > 0 },
  no_deadlock: { text: "an operation never finishes (a hung task)", shows: (o) => o.hung },
  no_stuck_state: { text: "an operation never finishes (a hung task)", shows: (o) => o.hung },
};

/** The sign of `invariant`'s violation, or undefined when a run cannot show it directly. */
export function violationSign(invariant: string): ViolationSign | undefined {
  return SIGNS[invariant];
}
