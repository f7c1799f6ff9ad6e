#!/bin/sh
# Provisions what the kernel oracle needs, idempotently:
#  - host tools (qemu-system-x86 busybox-static xfsprogs cpio kmod xz-utils gcc),
#    installed with apt-get only when missing;
#  - the current Debian linux-image-6.1*-amd64 and linux-image-6.12*-amd64
#    packages, fetched with `apt-get download` into CACHE_DIR and unpacked there
#    with `dpkg -x` (never installed into /).
# Usage: oracle/provision.sh [CACHE_DIR]   (default ~/.cache/daxmc-oracle)
# Prints, last, one line per kernel: "KERNEL 6.1 <dir>" (dir = unpacked package root).
# Exit 2 with one line saying why when provisioning is impossible.
set -u
CACHE=${1:-${HOME:-/root}/.cache/daxmc-oracle}
mkdir -p "$CACHE" || { echo "provision: cannot create $CACHE" >&2; exit 2; }
CACHE=$(cd "$CACHE" && pwd)
fail() { echo "provision: $*" >&2; exit 2; }

command -v apt-get >/dev/null 2>&1 || fail "no apt-get: this host is not Debian-like"
[ "$(id -u)" = 0 ] || SUDO=sudo
SUDO=${SUDO:-}
updated=
apt_update() {
	[ -n "$updated" ] && return 0
	$SUDO apt-get update -qq >"$CACHE/apt-update.log" 2>&1 \
		|| fail "apt-get update failed (no network to the Debian mirror?), see $CACHE/apt-update.log"
	updated=1
}

# 1. host tools, only those missing
missing=
for pair in qemu-system-x86_64:qemu-system-x86 busybox:busybox-static mkfs.xfs:xfsprogs \
	xfs_io:xfsprogs cpio:cpio insmod:kmod xz:xz-utils gcc:gcc; do
	cmd=${pair%%:*} pkg=${pair#*:}
	if ! command -v "$cmd" >/dev/null 2>&1 && [ ! -x "/sbin/$cmd" ] && [ ! -x "/usr/sbin/$cmd" ]; then
		case " $missing " in *" $pkg "*) ;; *) missing="$missing $pkg" ;; esac
	fi
done
# busybox-static specifically: a dynamic busybox cannot run in the initramfs
if [ -x /bin/busybox ] && ! file -L /bin/busybox 2>/dev/null | grep -q 'statically linked' \
	&& ! dpkg -s busybox-static >/dev/null 2>&1; then
	missing="$missing busybox-static"
fi
if [ -n "$missing" ]; then
	apt_update
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing \
		>"$CACHE/apt-install.log" 2>&1 || fail "apt-get install$missing failed, see $CACHE/apt-install.log"
fi

# 2. kernels: the current package each meta-package points to
resolve() { # $1 meta-package, $2 name pattern (egrep)
	name=$(apt-cache depends "$1" 2>/dev/null | sed -n 's/^ *Depends: //p' | grep -E "$2" | head -1)
	if [ -z "$name" ]; then
		name=$(apt-cache search --names-only "$2" 2>/dev/null | cut -d' ' -f1 | sort -V | tail -1)
	fi
	echo "$name"
}
for k in 6.1 6.12; do
	case $k in
	6.1) meta=linux-image-amd64 pat='^linux-image-6\.1\.0-[0-9]+-amd64$' ;;
	6.12) meta=linux-image-6.12-amd64 pat='^linux-image-6\.12\.[0-9]+\+deb12-amd64$' ;;
	esac
	name=$(resolve $meta "$pat")
	if [ -z "$name" ]; then
		apt_update
		name=$(resolve $meta "$pat")
	fi
	[ -n "$name" ] || fail "no Debian package matches $pat (is bookworm-security in the apt sources?)"
	dir="$CACHE/$name"
	if [ ! -f "$dir/.unpacked" ]; then
		mkdir -p "$CACHE/debs"
		deb=$(ls "$CACHE/debs/${name}_"*.deb 2>/dev/null | head -1)
		if [ -z "$deb" ]; then
			(cd "$CACHE/debs" && apt-get download -q "$name" >"$CACHE/download-$k.log" 2>&1) || {
				apt_update
				(cd "$CACHE/debs" && apt-get download -q "$name" >"$CACHE/download-$k.log" 2>&1) \
					|| fail "apt-get download $name failed (no network to the Debian mirror?)"
			}
			deb=$(ls "$CACHE/debs/${name}_"*.deb | head -1)
		fi
		rm -rf "$dir" && mkdir -p "$dir" && dpkg -x "$deb" "$dir" || fail "dpkg -x $deb failed"
		ls "$dir"/boot/vmlinuz-* >/dev/null 2>&1 || fail "$name has no /boot/vmlinuz"
		touch "$dir/.unpacked"
	fi
	ln -sfn "$name" "$CACHE/linux-$k"
	echo "KERNEL $k $dir"
done
