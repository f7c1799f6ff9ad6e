# media-error probe: what badblocks / NFIT / MCE interfaces this guest has
# (run by run-guest.sh with ORACLE_PROBE=oracle/try/probe-media.sh)
echo "--- /sys/block/pmem0"
ls -l /sys/block/pmem0/badblocks
echo "badblocks: [$(cat /sys/block/pmem0/badblocks)]"
echo "--- nd bus"
for d in /sys/bus/nd/devices/*; do echo "$d: $(ls $d | tr '\n' ' ')"; done
for f in ndbus0/provider ndbus0/commands ndbus0/nfit/dsm_mask ndbus0/nfit/scrub region0/badblocks region0/resource namespace0.0/resource; do
	echo "$f: $(cat /sys/bus/nd/devices/$f 2>&1)"
done
ls /dev | grep -i nd
echo "--- mce-inject / einj debugfs"
ls /sys/kernel/debug/mce-inject 2>&1
ls /sys/kernel/debug/apei 2>&1
ls /sys/firmware/acpi/tables 2>&1 | tr '\n' ' '; echo
echo "--- fs: A, its sectors"
mkfs.xfs -f /dev/pmem0 >/dev/null 2>&1
mount -t xfs -o dax=always /dev/pmem0 /mnt || exit 1
xfs_io -f -c "pwrite -S 0x61 0 4096" -c fsync /mnt/A >/dev/null
xfs_io -c "bmap -v" /mnt/A
sec=$(xfs_io -c "bmap" /mnt/A | sed -n 's/^[[:space:]]*0: [^:]*: *\([0-9]*\)\.\..*/\1/p')
base=$(cat /sys/bus/nd/devices/namespace0.0/resource)
addr=$(awk -v b=$((base)) -v s=$sec 'BEGIN {printf "0x%x", b + s * 512}')
echo "its physical address: $addr (pfn $(awk -v b=$((base)) -v s=$sec 'BEGIN {printf "0x%x", (b + s * 512) / 4096}'))"
echo "--- write badblocks \"$sec 8\""
echo "$sec 8" > /sys/block/pmem0/badblocks; echo "write rc=$?"
echo "badblocks: [$(cat /sys/block/pmem0/badblocks)]"
echo "--- pread (dax_iomap_rw)"
xfs_io -c "pread -v 0 16" /mnt/A 2>&1
echo "--- mmap read (a DAX fault)"
sh -c 'xfs_io -c "mmap -r 0 4096" -c "mread -v 0 16" /mnt/A' 2>&1; echo "rc=$?"
echo "--- pwrite over it (DAX recovery write?)"
xfs_io -c "pwrite -S 0x62 0 4096" -c fsync /mnt/A 2>&1
echo "badblocks: [$(cat /sys/block/pmem0/badblocks)]"
xfs_io -c "pread -v 0 16" /mnt/A 2>&1
echo "--- mce-inject, software (decode only): SRAO memory scrub error at $addr"
D=/sys/kernel/debug/mce-inject
echo "flags: $(cat $D/flags)"
echo hw > $D/flags; echo "flags=hw rc=$? now: $(cat $D/flags)"
echo sw > $D/flags
echo $addr > $D/addr
echo 0x8c > $D/misc
echo 0xbd000000000000c0 > $D/status
echo 0 > $D/cpu
echo 1 > $D/bank; echo "bank write (injects) rc=$?"
sleep 1
echo "badblocks: [$(cat /sys/block/pmem0/badblocks)]"
xfs_io -c "pread -v 0 16" /mnt/A 2>&1
if [ "${PROBE_HW_MCE:-1}" = 1 ]; then
	echo "--- mce-inject, hw (a #MC through the emulated MCA banks): same SRAO error"
	echo hw > $D/flags; echo "flags: $(cat $D/flags)"
	echo $addr > $D/addr
	echo 0x8c > $D/misc
	echo 0xbd000000000000c0 > $D/status
	echo 1 > $D/bank; echo "bank write (injects) rc=$?"
	sleep 1
	echo "badblocks: [$(cat /sys/block/pmem0/badblocks)]"
	xfs_io -c "pread -v 0 16" /mnt/A 2>&1
fi
umount /mnt
echo "--- dmesg"
dmesg | tail -40
dmesg -c > /dev/null
