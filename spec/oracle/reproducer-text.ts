/**
 * What a kernel developer runs on a real pmem machine: a scenario as a standalone shell script
 * and as an fstests test in the style of xfs/550-552 (`_require_scratch_dax_mountopt`, the dmesg
 * check). Both build the oracle's C helper (oracle/helper.c, passed in) and feed it the same steps
 * the QEMU guest runs.
 */
import type { Scenario } from "./scenario.js";
import type { ViolationSign } from "./violation.js";

/** What both texts say about where the reproducer came from and what the model predicts. */
export interface ReproducerContext {
  readonly scenario: Scenario;
  /** The helper's step lines (guest-steps.ts). */
  readonly steps: readonly string[];
  readonly helperSource: string;
  /** "v6.12 counterexample of no_oops (counterexamples/v6.12/no_oops.itf.json)". */
  readonly origin: string;
  /** The model's predicted outcomes, one line each. */
  readonly predicted: readonly string[];
  readonly sign: ViolationSign | undefined;
  readonly invariant: string;
}

const usesSysfsPoison = (s: Scenario): boolean =>
  s.events.some((e) => "poison" in e && (e.poison.method === "corrupt-pfn" || e.poison.method === "hard-offline" || (e.poison.method === "media" && e.poison.proc === undefined)));
const usesBadblocks = (s: Scenario): boolean => s.events.some((e) => "poison" in e && (e.poison.method === "media" || e.poison.method === "badblocks"));

/** A heredoc whose end marker does not occur in the text. */
function heredoc(file: string, text: string, marker: string): string {
  if (text.split("\n").includes(marker)) throw new Error(`heredoc marker ${marker} occurs in the text`);
  return `cat > ${file} <<'${marker}'\n${text.endsWith("\n") ? text : `${text}\n`}${marker}\n`;
}

/** An awk program over the helper's RESULT lines that prints one line per sign of the violation. */
function resultCheck(invariant: string, sign: ViolationSign | undefined): string {
  const pte = sign !== undefined && (invariant === "poison_reaches_every_mapping" || invariant === "signalled_pte_gone");
  return [
    "awk '",
    '  $1 != "RESULT" { next }',
    '  { delete f; for (i = 2; i <= NF; i++) { k = $i; sub(/=.*/, "", k); v = $i; sub(/^[^=]*=/, "", v); f[k] = v } }',
    '  ("touch" in f) && ("pfn" in f) { touched[f["proc"]] = f["pfn"] }',
    '  f["madvise"] == "0" { poisoned = touched[f["proc"]] }',
    '  f["corrupt-pfn"] == "0" || f["hard-offline"] == "0" { poisoned = f["pfn"] }',
    pte ? '  f["pte"] == "present" && f["pfn"] == poisoned { print "a process still maps the poisoned page: proc " f["proc"] }' : "",
    '  f["still-blocked"] == "1" || f["died"] == "hung" { print "an operation never finished: " $0 }',
    '  ("error" in f) { print "the helper could not run a step: " $0 }',
    "'",
  ].filter((l) => l !== "").join("\n");
}

function header(c: ReproducerContext, comment: string): string {
  const lines = [
    `daxmc reproducer ${c.scenario.id}: ${c.scenario.description}`,
    `From the ${c.origin}.`,
    `The violation: ${c.sign?.text ?? `${c.invariant} is about kernel-internal state; a run shows only what it leads to`}.`,
    "The model predicts, for this sequence run one operation at a time (any of):",
    ...c.predicted.map((p) => `  ${p}`),
  ];
  return lines.map((l) => `${comment} ${l}`.trimEnd()).join("\n");
}

const mkfsOptions = (s: Scenario): string => `reflink=${s.mkfs.reflink ? 1 : 0},rmapbt=${s.mkfs.rmapbt ? 1 : 0}`;

/** The standalone script: `./reproduce.sh /dev/pmemN /mnt/point` as root. */
export function shellScript(c: ReproducerContext): string {
  const s = c.scenario;
  return `#!/bin/sh
${header(c, "#")}
#
# Usage (as root; it runs mkfs.xfs on the device): ./reproduce.sh PMEM_DEVICE MOUNT_POINT
set -eu
DEV=\${1:?usage: $0 PMEM_DEVICE MOUNT_POINT}
MNT=\${2:?usage: $0 PMEM_DEVICE MOUNT_POINT}
[ -b "$DEV" ] || { echo "$DEV is not a block device" >&2; exit 2; }
T=$(mktemp -d)
trap 'umount "$MNT" 2>/dev/null || true; rm -rf "$T"' EXIT
${heredoc('"$T/helper.c"', c.helperSource, "DAXMC_HELPER_EOF")}${heredoc('"$T/steps"', c.steps.join("\n"), "DAXMC_STEPS_EOF")}cc -O1 -Wall -o "$T/helper" "$T/helper.c"
${usesSysfsPoison(s) ? `mount | grep -q ' /sys/kernel/debug ' || mount -t debugfs debugfs /sys/kernel/debug
[ -e /sys/kernel/debug/hwpoison/corrupt-pfn ] || modprobe hwpoison_inject
` : ""}mkfs.xfs -f -m ${mkfsOptions(s)} "$DEV" >/dev/null
mount -o dax=always "$DEV" "$MNT"
echo "daxmc reproducer ${s.id}: start" >/dev/kmsg
(cd "$MNT" && DAXMC_PMEM=$(basename "$(readlink -f "$DEV")") "$T/helper" "$T/steps") | tee "$T/results"
umount "$MNT"
echo "--- kernel log since the start"
dmesg | sed -n '/daxmc reproducer ${s.id}: start/,$p' | grep -E 'WARNING|BUG:|Oops|Memory failure|blocked for more than|[Ss]hut.*down' || true
echo "--- signs of the violation"
${resultCheck(c.invariant, c.sign)} "$T/results"
`;
}

/** The fstests test (tests/xfs/NNN) and its golden output (tests/xfs/NNN.out). */
export function fstestsTest(c: ReproducerContext, seq: number): { test: string; out: string } {
  const s = c.scenario;
  const reflink = s.events.some((e) => "clone" in e || "clone_range" in e);
  const requires = [
    "_require_check_dmesg",
    reflink ? "_require_scratch_reflink" : "",
    reflink ? '_require_xfs_io_command "reflink"' : "",
    s.mkfs.rmapbt ? "_require_xfs_scratch_rmapbt" : "",
    '_require_scratch_dax_mountopt "dax=always"',
    '_require_command "$(type -P cc)" cc',
  ].filter((l) => l !== "");
  const test = `#! /bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# FS QA Test No. ${seq}
#
${header(c, "#")}
#
# Generated by daxmc reproduce; renumber it with ./new when adding it to a tree.
# The kernel's WARN and BUG lines fail the test through the dmesg check.
#
. ./common/preamble
_begin_fstest auto quick dax${reflink ? " clone" : ""}

. ./common/filter
. ./common/reflink

# real QA test starts here
${requires.join("\n")}
${usesSysfsPoison(s) ? `test -w /sys/kernel/debug/hwpoison/corrupt-pfn || _notrun "needs /sys/kernel/debug/hwpoison/corrupt-pfn (CONFIG_HWPOISON_INJECT)"\n` : ""}${usesBadblocks(s) ? `test -w /sys/block/$(basename $(readlink -f $SCRATCH_DEV))/badblocks || _notrun "needs a pmem SCRATCH_DEV whose badblocks can be written"\n` : ""}
${heredoc("$tmp.helper.c", c.helperSource, "DAXMC_HELPER_EOF")}${heredoc("$tmp.steps", c.steps.join("\n"), "DAXMC_STEPS_EOF")}cc -O1 -o $tmp.helper $tmp.helper.c >> $seqres.full 2>&1 || _fail "cannot build the helper"

echo "Format and mount"
_scratch_mkfs -m ${mkfsOptions(s)} >> $seqres.full 2>&1
_scratch_mount "-o dax=always" >> $seqres.full 2>&1

echo "Run the scenario"
(cd $SCRATCH_MNT && DAXMC_PMEM=$(basename $(readlink -f $SCRATCH_DEV)) $tmp.helper $tmp.steps) > $tmp.results 2>&1
cat $tmp.results >> $seqres.full
${resultCheck(c.invariant, c.sign)} $tmp.results

_scratch_unmount

# success, all done
status=0
exit
`;
  const out = `QA output created by ${seq}\nFormat and mount\nRun the scenario\n`;
  return { test, out };
}
