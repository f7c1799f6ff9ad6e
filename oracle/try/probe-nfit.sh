# NFIT probe: a QEMU -device nvdimm (ACPI NFIT) next to the memmap= pmem; which
# bus commands / root DSMs it has (ARS, error injection), and whether an MCE
# at its address reaches its badblocks (nfit_handle_mce)
for b in /sys/bus/nd/devices/ndbus*; do
	echo "$b: provider=$(cat $b/provider) commands=[$(cat $b/commands)]"
	for f in $b/nfit/*; do [ -f $f ] && echo "  $f: $(cat $f 2>&1)"; done
done
for d in /sys/bus/nd/devices/nmem*; do
	[ -e $d ] || continue
	echo "$d: commands=[$(cat $d/commands 2>&1)] flags=[$(cat $d/flags 2>&1)]"
	for f in $d/nfit/*; do [ -f $f ] && echo "  $f: $(cat $f 2>&1)"; done
done
for r in /sys/bus/nd/devices/region*; do echo "$r: nstype=$(cat $r/nstype) resource=$(cat $r/resource) size=$(cat $r/size) badblocks=[$(cat $r/badblocks)] $(ls $r | tr '\n' ' ')"; done
ls /sys/block
ls /dev/ndctl* /dev/pmem* 2>&1
echo "--- ars status / scrub"
cat /sys/bus/nd/devices/ndbus*/nfit/scrub 2>&1
# the NFIT region's namespace and block device
for n in /sys/bus/nd/devices/namespace*; do echo "$n: $(cat $n/resource 2>&1) $(cat $n/size 2>&1) block=$(ls $n/block 2>&1)"; done
NS=$(for n in /sys/bus/nd/devices/namespace*; do case $(ls $n/block 2>/dev/null) in pmem0|pmem1|'') ;; *) echo $n; break;; esac; done)
echo "nfit namespace: $NS"
[ -n "$NS" ] || exit 0
dev=$(ls $NS/block)
base=$(cat $NS/resource)
echo "--- sw mce at $base + 0x10000 (decode chain only: nfit_handle_mce)"
D=/sys/kernel/debug/mce-inject
addr=$(printf "0x%x" $((base + 65536)))
echo sw > $D/flags; echo $addr > $D/addr; echo 0x8c > $D/misc; echo 0xbd000000000000c0 > $D/status; echo 0 > $D/cpu
echo 1 > $D/bank; echo "rc=$?"
sleep 2
echo "/sys/block/$dev/badblocks: [$(cat /sys/block/$dev/badblocks)]"
for r in /sys/bus/nd/devices/region*; do echo "$r badblocks=[$(cat $r/badblocks)]"; done
dmesg | grep -i "nfit\|nd_\|mce\|ars\|badblock\|Memory failure" | tail -30
