#!/bin/sh
# Runs scenarios in a TCG guest of a Debian kernel and writes the serial log to stdout.
# Usage: oracle/run-guest.sh CACHE_DIR KERNEL(6.1|6.12) SCENARIO_FILE...
#
# A scenario file is the helper's step list (see oracle/helper.c) plus two lines
# for /init: `id NAME` and `mkfs [reflink=0|1] [rmapbt=0|1] ...` (the words are
# joined as `mkfs.xfs -m w1,w2`).  Each scenario gets a fresh mkfs.xfs of
# /dev/pmem0 (memmap=256M!1G), is run by the helper in /mnt mounted -o
# dax=always, and its output is framed:
#   SCENARIO BEGIN id
#   RESULT ...            (helper lines)
#   DMESG BEGIN id / kernel lines of this scenario / DMESG END id
#   SCENARIO END id rc=N
# Needs oracle/provision.sh CACHE_DIR to have run (it is run here if not).
# Env: ORACLE_TIMEOUT (seconds for the whole VM, default 60 + 30 per scenario).
# For experiments only (unset in normal runs):
#   ORACLE_PROBE=FILE        a shell script /init runs (as /probe.sh) before the
#                            scenarios, its output framed PROBE BEGIN / PROBE END
#   ORACLE_EXTRA_MODS="m1 .." more modules to insmod (e.g. nfit mce-inject)
#   ORACLE_QEMU_ARGS="..."   more QEMU arguments (e.g. an nvdimm device)
set -eu
[ $# -ge 3 ] || { echo "usage: $0 CACHE_DIR 6.1|6.12 SCENARIO_FILE..." >&2; exit 2; }
HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=$1 KVER=$2
shift 2
case $KVER in 6.1|6.12) ;; *) echo "kernel must be 6.1 or 6.12" >&2; exit 2 ;; esac
if [ ! -e "$CACHE/linux-$KVER/.unpacked" ]; then
	"$HERE/provision.sh" "$CACHE" >&2 || exit 2
fi
KDIR=$(cd "$CACHE/linux-$KVER" && pwd -P)
VMLINUZ=$(ls "$KDIR"/boot/vmlinuz-* | head -1)
REL=${VMLINUZ##*/vmlinuz-}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/daxmc-guest.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
# an interrupted run (daxmc conformance sends the group SIGTERM) still removes $WORK
trap 'exit 143' TERM INT
R=$WORK/root
. "$HERE/guest-root.sh"
guest_root "$R" "$KDIR" "$REL" "" "${ORACLE_EXTRA_MODS:-}"

# the helper, built static
gcc -static -O1 -Wall -o "$R/bin/helper" "$HERE/helper.c"

[ -z "${ORACLE_PROBE:-}" ] || cp "$ORACLE_PROBE" "$R/probe.sh"

# scenarios
n=0
for s in "$@"; do
	n=$((n + 1))
	cp "$s" "$R/scenarios/$(printf %03d $n).scn"
done

cat >"$R/init" <<'EOF'
#!/bin/sh
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t debugfs debugfs /sys/kernel/debug
for m in /modules/*.ko; do insmod "$m" || echo "ORACLE insmod failed: $m"; done
for t in 1 2 3 4 5 6 7 8 9 10; do [ -b /dev/pmem0 ] && break; sleep 0.5; done
[ -b /dev/pmem0 ] || echo "ORACLE no /dev/pmem0"
echo "ORACLE kernel $(cat /proc/sys/kernel/osrelease)"
# mkfs.xfs refuses < 300 MB outside fstests; these variables lift that limit
export TEST_DIR=/mnt TEST_DEV=/dev/pmem0 QA_CHECK_FS=1
if [ -f /probe.sh ]; then
	echo "PROBE BEGIN"
	sh /probe.sh 2>&1
	echo "PROBE END rc=$?"
fi
for s in /scenarios/*.scn; do
	id=$(awk '$1 == "id" {print $2; exit}' "$s")
	[ -n "$id" ] || id=$(basename "$s" .scn)
	mopts=$(awk '$1 == "mkfs" {for (i = 2; i <= NF; i++) { if ($i ~ /^#/) break; printf "%s%s", (n++ ? "," : ""), $i }; exit}' "$s")
	dmesg -c >/dev/null
	echo "SCENARIO BEGIN $id"
	echo "RESULT mkfs-options=${mopts:-default}"
	if mkfs.xfs -f ${mopts:+-m $mopts} /dev/pmem0 >/tmp/mkfs.log 2>&1; then
		if mount -t xfs -o dax=always /dev/pmem0 /mnt; then
			# the helper runs in /mnt; busybox timeout's watcher process stays in /
			timeout 100 sh -c 'cd /mnt && exec /bin/helper "$0"' "$s"
			rc=$?
			sync
			umount /mnt || echo "RESULT umount=failed"
		else
			rc=mount-failed; echo "RESULT error=mount-failed"
		fi
	else
		rc=mkfs-failed; echo "RESULT error=mkfs-failed"; cat /tmp/mkfs.log
	fi
	echo "DMESG BEGIN $id"
	dmesg -c
	echo "DMESG END $id"
	echo "SCENARIO END $id rc=$rc"
done
echo "ORACLE all done"
# poweroff -f stops the machine at once: lines still in the console's buffers (the kernel's and
# the tty's) are lost, which on a loaded host cut a section before its SCENARIO END. Let them out.
sleep 1
poweroff -f
EOF
chmod +x "$R/init"

(cd "$R" && find . | cpio -o -H newc --quiet | gzip -1) >"$WORK/initrd.gz"

TMO=${ORACLE_TIMEOUT:-$((60 + 30 * n))}
start=$(date +%s)
set +e
timeout --foreground -k 5 "$TMO" qemu-system-x86_64 -accel tcg,thread=multi -cpu max -smp 1 -m 2G \
	-nographic -no-reboot -kernel "$VMLINUZ" -initrd "$WORK/initrd.gz" \
	-append "console=ttyS0 memmap=256M!1G memmap=256M!1536M loglevel=4 panic=-1 rdinit=/init" \
	${ORACLE_QEMU_ARGS:-} \
	</dev/null
rc=$?
set -e
echo "ORACLE vm-exit=$rc seconds=$(($(date +%s) - start))"
[ $rc -eq 124 ] && echo "ORACLE timeout after ${TMO}s"
exit 0
