#!/usr/bin/env bash
# Builds the Tessera rv32 Linux guest from Debian's linux-source-6.1: extracts
# the kernel into OUTDIR (reused on later runs), builds our init with the
# kernel's nolibc, packs it into a built-in initramfs, configures the kernel
# from allnoconfig plus tessera-rv32.config and writes OUTDIR/Image and
# OUTDIR/vmlinux. Build stamps are fixed, so every build of the same sources
# gives the same Image; the script prints its sha256.
# Usage: guests/linux/build.sh [OUTDIR]   (default guests/linux/out)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tarball=/usr/src/linux-source-6.1.tar.xz
cross=riscv64-linux-gnu-

# --- prerequisites: one line naming the packages to install -------------------
missing=()
[[ -f $tarball ]] || missing+=(linux-source-6.1)
command -v "${cross}gcc" >/dev/null || missing+=(gcc-riscv64-linux-gnu)
for pair in make:make gcc:gcc flex:flex bison:bison bc:bc xz:xz-utils perl:perl rsync:rsync cpio:cpio; do
	command -v "${pair%%:*}" >/dev/null || missing+=("${pair#*:}")
done
if ((${#missing[@]})); then
	echo "build.sh: missing build prerequisites; install them with: apt-get install -y ${missing[*]}" >&2
	exit 1
fi

outdir="${1:-$here/out}"
mkdir -p "$outdir"
outdir="$(cd "$outdir" && pwd)"
src="$outdir/linux-source-6.1"
jobs="$(nproc)"

# --- fixed build stamps (reproducible output) -----------------------------------
export KBUILD_BUILD_TIMESTAMP='Thu Jan  1 00:00:00 UTC 2026'
export KBUILD_BUILD_USER=tessera
export KBUILD_BUILD_HOST=tessera
export KBUILD_BUILD_VERSION=1
export SOURCE_DATE_EPOCH=1767225600
export LC_ALL=C TZ=UTC
kmake=(make -C "$src" ARCH=riscv CROSS_COMPILE="$cross" -j"$jobs" -s)

# --- kernel source ---------------------------------------------------------------
if [[ ! -f $src/.tessera-extracted ]]; then
	echo "build.sh: extracting $tarball into $outdir"
	rm -rf "$src"
	tar -xJf "$tarball" -C "$outdir"
	touch "$src/.tessera-extracted"
fi

# --- init (PID 1) and the phone's rich OS, built with the kernel's nolibc ---------
"${kmake[@]}" headers_install INSTALL_HDR_PATH="$outdir/headers"
mkdir -p "$outdir/init"
cflags=(-march=rv32ima_zicsr_zifencei -mabi=ilp32 -static -nostdlib -ffreestanding -fno-stack-protector
	-fno-asynchronous-unwind-tables -fno-ident -Os -s -Wall -Werror -I "$outdir/headers/include")
"${cross}gcc" "${cflags[@]}" -I "$src/tools/include/nolibc" \
	-o "$outdir/init/init.new" "$here/init/init.c"
# The phone program shares the bare guests' headers and ring library (guests/include, runtime, src);
# phone/std gives them nolibc's integer types.
guests="$(cd "$here/.." && pwd)"
"${cross}gcc" "${cflags[@]}" -I "$here/phone/std" -I "$src/tools/include/nolibc" \
	-I "$guests/include" -I "$guests/runtime" -I "$guests/src" -include "$here/init/nolibc-rv32.h" \
	-o "$outdir/init/phone.new" "$here/phone/phone.c" "$guests/runtime/ring.c"
# gen_init_cpio stores a file's own mtime, so each program gets the fixed stamp. The
# kernel's make then cannot see a new one by its date: drop the packed initramfs
# whenever a program's bytes or stamp change, so it is packed again.
install_stamped() {
	if cmp -s "$1.new" "$1" && [[ $(stat -c %Y "$1") == "$SOURCE_DATE_EPOCH" ]]; then
		rm "$1.new"
	else
		mv "$1.new" "$1"
		touch -d "@$SOURCE_DATE_EPOCH" "$1"
		rm -f "$src/usr/initramfs_data.cpio"
	fi
}
install_stamped "$outdir/init/init"
install_stamped "$outdir/init/phone"

# --- initramfs file list (read by the kernel's gen_init_cpio) --------------------
# Rewritten only when its text changes: a newer list makes the kernel repack.
write_if_changed() {
	if ! cmp -s - "$1" <<<"$2"; then
		printf '%s\n' "$2" > "$1"
	fi
}
write_if_changed "$outdir/initramfs.list" "$(cat <<EOF
dir /dev 0755 0 0
nod /dev/console 0600 0 0 c 5 1
dir /proc 0555 0 0
dir /sys 0555 0 0
dir /bin 0755 0 0
file /init $outdir/init/init 0755 0 0
file /bin/phone $outdir/init/phone 0755 0 0
EOF
)"

# --- kernel configuration: allnoconfig + our fragment + the initramfs path ------
write_if_changed "$outdir/initramfs.config" "CONFIG_INITRAMFS_SOURCE=\"$outdir/initramfs.list\""
merge_log="$outdir/merge_config.log"
(cd "$src" && ARCH=riscv CROSS_COMPILE="$cross" scripts/kconfig/merge_config.sh -n \
	"$here/tessera-rv32.config" "$outdir/initramfs.config") > "$merge_log" 2>&1
if grep -q "not in final .config" "$merge_log"; then
	echo "build.sh: the kernel rejected part of tessera-rv32.config: $(grep -m1 -A2 'not in final' "$merge_log" | tr '\n' ' ') (see $merge_log)" >&2
	exit 1
fi

# --- kernel -----------------------------------------------------------------------
"${kmake[@]}" Image
cp "$src/arch/riscv/boot/Image" "$outdir/Image"
cp "$src/vmlinux" "$outdir/vmlinux"

echo "build.sh: $outdir/Image ($(stat -c %s "$outdir/Image") bytes)"
echo "sha256 $(sha256sum "$outdir/Image" | cut -d' ' -f1)  Image"
