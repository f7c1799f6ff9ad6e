# Sourced by oracle/run-guest.sh and oracle/findings/run-race.sh: the initramfs root both boot.
# guest_root ROOT KDIR REL "EXTRA_APPLETS" "EXTRA_MODULES"
#   ROOT gets busybox and its applets, mkfs.xfs and xfs_io with their shared libraries, and the
#   modules nd_e820 nd_pmem xfs hwpoison_inject (and EXTRA_MODULES) with their dependencies, in
#   load order under ROOT/modules (decompressed). Exits 2 when no module resolves.
guest_root() {
	_r=$1 _kdir=$2 _rel=$3
	mkdir -p "$_r"/bin "$_r"/sbin "$_r"/proc "$_r"/sys "$_r"/dev "$_r"/mnt "$_r"/tmp "$_r"/modules "$_r"/scenarios
	cp "$(command -v busybox)" "$_r/bin/busybox"
	for a in sh mount umount insmod mkdir cat echo dmesg sleep poweroff ls grep sed timeout sync tr awk $4; do
		ln -s busybox "$_r/bin/$a"
	done
	for exe in $(command -v mkfs.xfs || echo /sbin/mkfs.xfs) $(command -v xfs_io || echo /usr/sbin/xfs_io); do
		cp "$exe" "$_r/bin/"
		for lib in $(ldd "$exe" | awk '/=>/ {print $3} /^\t\/lib/ {print $1}'); do
			mkdir -p "$_r$(dirname "$lib")"
			cp -L "$lib" "$_r$lib"
		done
	done
	[ -f "$_kdir/lib/modules/$_rel/modules.dep" ] || depmod -b "$_kdir" "$_rel"
	for mod in nd_e820 nd_pmem xfs hwpoison_inject $5; do
		modprobe -d "$_kdir" -S "$_rel" --show-depends "$mod"
	done | awk '$1 == "insmod" {print $2}' | awk '!seen[$0]++' >"$_r/../mods"
	[ -s "$_r/../mods" ] || { echo "no modules resolved for $_rel" >&2; exit 2; }
	_i=0
	while read -r m; do
		_i=$((_i + 1))
		base=$(basename "$m")
		dst="$_r/modules/$(printf %02d $_i)-${base%.xz}"
		case $m in *.xz) xz -dc "$m" >"$dst" ;; *) cp "$m" "$dst" ;; esac
	done <"$_r/../mods"
}
