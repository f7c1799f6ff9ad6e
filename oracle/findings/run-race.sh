#!/bin/sh
# A copy of oracle/run-guest.sh for the findings: it builds oracle/findings/race.c
# (static) into the initramfs and runs its `race ARGS...` lines instead of the helper,
# on 2 vCPUs (TCG thread=multi), with hung-task detection at 10 s, and prints
# blocked tasks (sysrq w) and dmesg at the end.  A race that does not finish within
# its `budget SECONDS` (default 120) is left running (it may be in D state); then
# the guest dumps blocked tasks and dmesg and powers off.
# Usage: oracle/findings/run-race.sh CACHE_DIR KERNEL(6.1|6.12) SCENARIO_FILE...
# Scenario file lines: `id NAME`, `mkfs reflink=1 rmapbt=1`, `budget S`, `race ARGS...`
# Env: ORACLE_TIMEOUT (seconds for the whole VM), ORACLE_SMP (default 2).
#
# Each scenario gets a fresh mkfs.xfs of /dev/pmem0 (memmap=256M!1G) and a mount
# -o dax=always on /mnt; its races run there in order.  Output is framed like
# run-guest.sh: SCENARIO BEGIN/END, RACE-BEGIN/RACE-END around each race, the race
# program's own "RACE ..." lines, DMESG BEGIN/END (the repeated per-injection
# lines counted, not printed).  Kernel console at loglevel=3 during the run.
set -eu
[ $# -ge 3 ] || { echo "usage: $0 CACHE_DIR 6.1|6.12 SCENARIO_FILE..." >&2; exit 2; }
HERE=$(cd "$(dirname "$0")/.." && pwd)
FHERE=$HERE/findings
CACHE=$1 KVER=$2
shift 2
case $KVER in 6.1|6.12) ;; *) echo "kernel must be 6.1 or 6.12" >&2; exit 2 ;; esac
# never provisions: oracle/provision.sh CACHE_DIR must have run
[ -e "$CACHE/linux-$KVER/.unpacked" ] || { echo "no kernel $KVER in $CACHE (run oracle/provision.sh)" >&2; exit 2; }
KDIR=$(cd "$CACHE/linux-$KVER" && pwd -P)
VMLINUZ=$(ls "$KDIR"/boot/vmlinuz-* | head -1)
REL=${VMLINUZ##*/vmlinuz-}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/daxmc-guest.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
R=$WORK/root
. "$HERE/guest-root.sh"
guest_root "$R" "$KDIR" "$REL" "tail head kill ps wc date" ""

# the race program, built static
gcc -static -O1 -Wall -o "$R/bin/race" "$FHERE/race.c"

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
echo 10 >/proc/sys/kernel/hung_task_timeout_secs
echo -1 >/proc/sys/kernel/hung_task_warnings
echo "ORACLE hung_task_timeout_secs=$(cat /proc/sys/kernel/hung_task_timeout_secs) cpus=$(grep -c ^processor /proc/cpuinfo)"
for m in /modules/*.ko; do insmod "$m" || echo "ORACLE insmod failed: $m"; done
for t in 1 2 3 4 5 6 7 8 9 10; do [ -b /dev/pmem0 ] && break; sleep 0.5; done
[ -b /dev/pmem0 ] || echo "ORACLE no /dev/pmem0"
echo "ORACLE kernel $(cat /proc/sys/kernel/osrelease)"
# mkfs.xfs refuses < 300 MB outside fstests; these variables lift that limit
export TEST_DIR=/mnt TEST_DEV=/dev/pmem0 QA_CHECK_FS=1
for s in /scenarios/*.scn; do
	id=$(awk '$1 == "id" {print $2; exit}' "$s")
	[ -n "$id" ] || id=$(basename "$s" .scn)
	mopts=$(awk '$1 == "mkfs" {for (i = 2; i <= NF; i++) { if ($i ~ /^#/) break; printf "%s%s", (n++ ? "," : ""), $i }; exit}' "$s")
	dmesg -c >/dev/null
	echo "SCENARIO BEGIN $id"
	echo "RESULT mkfs-options=${mopts:-default}"
	if mkfs.xfs -f ${mopts:+-m $mopts} /dev/pmem0 >/tmp/mkfs.log 2>&1; then
		if mount -t xfs -o dax=always /dev/pmem0 /mnt; then
			budget=$(awk '$1 == "budget" {print $2; exit}' "$s")
			budget=${budget:-120}
			rc=0
			awk '$1 == "race" {$1 = ""; print}' "$s" >/tmp/races
			while read -r args; do
				echo "RACE-BEGIN race $args"
				start=$(date +%s)
				(cd /mnt && exec /bin/race $args) &
				pid=$!
				while kill -0 $pid 2>/dev/null && [ $(( $(date +%s) - start )) -lt $budget ]; do sleep 1; done
				if kill -0 $pid 2>/dev/null; then
					echo "RACE-END over-budget after ${budget}s: blocked tasks follow"
					rc=stuck
					echo w >/proc/sysrq-trigger
					sleep 2
					break
				fi
				wait $pid; r=$?
				echo "RACE-END rc=$r seconds=$(( $(date +%s) - start ))"
				if [ $r -ne 0 ]; then
					# let hung-task detection see what stayed blocked, then list it
					rc=$r
					sleep 15
					echo w >/proc/sysrq-trigger
					sleep 2
					break
				fi
			done </tmp/races
			if [ "$rc" = 0 ]; then
				sync
				umount /mnt || echo "RESULT umount=failed"
			fi
		else
			rc=mount-failed; echo "RESULT error=mount-failed"
		fi
	else
		rc=mkfs-failed; echo "RESULT error=mkfs-failed"; cat /tmp/mkfs.log
	fi
	echo "DMESG BEGIN $id"
	dmesg -c >/tmp/dmesg
	echo "(repeated lines left out: $(grep -c 'Injecting memory failure' /tmp/dmesg) 'Injecting memory failure', $(grep -c 'recovery action for dax page' /tmp/dmesg) 'recovery action for dax page')"
	grep -v 'Injecting memory failure\|recovery action for dax page' /tmp/dmesg
	grep 'recovery action for dax page' /tmp/dmesg | sed 's/^\[[^]]*\] //; s/0x[0-9a-f]*/PFN/' | sort | uniq -c | sed 's/^/(count) /'
	echo "DMESG END $id"
	echo "SCENARIO END $id rc=$rc"
	[ "$rc" = 0 ] || [ "$rc" = mount-failed ] || [ "$rc" = mkfs-failed ] || break
done
echo "ORACLE all done"
poweroff -f
EOF
chmod +x "$R/init"

(cd "$R" && find . | cpio -o -H newc --quiet | gzip -1) >"$WORK/initrd.gz"

TMO=${ORACLE_TIMEOUT:-300}
start=$(date +%s)
set +e
timeout -k 5 "$TMO" qemu-system-x86_64 -accel tcg,thread=multi -cpu max -smp ${ORACLE_SMP:-2} -m 2G \
	-nographic -no-reboot -kernel "$VMLINUZ" -initrd "$WORK/initrd.gz" \
	-append "console=ttyS0 memmap=256M!1G memmap=256M!1536M loglevel=3 log_buf_len=8M panic=-1 rdinit=/init" \
	</dev/null
rc=$?
set -e
echo "ORACLE vm-exit=$rc seconds=$(($(date +%s) - start))"
[ $rc -eq 124 ] && echo "ORACLE timeout after ${TMO}s"
exit 0
