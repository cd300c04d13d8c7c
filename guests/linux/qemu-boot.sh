#!/usr/bin/env bash
# Boots the built guest on QEMU's rv32 virt board as a reference run for the
# Tessera boot tests, prefixing every console line with the seconds since
# QEMU started, then prints the time to init's first line and to power-off.
# QEMU ships no rv32 firmware: pass an rv32 OpenSBI fw_dynamic.bin built
# outside the repository (see README.md).
# Usage: guests/linux/qemu-boot.sh FW_DYNAMIC_BIN [HARTS] [OUTDIR] [APPEND]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if (($# < 1)); then
	echo "usage: qemu-boot.sh FW_DYNAMIC_BIN [HARTS] [OUTDIR] [APPEND]" >&2
	exit 2
fi
firmware="$1"
harts="${2:-2}"
outdir="${3:-$here/out}"
append="${4:-console=ttyS0 earlycon=sbi}"
command -v qemu-system-riscv32 >/dev/null || { echo "qemu-boot.sh: qemu-system-riscv32 not found; install with: apt-get install -y qemu-system-misc" >&2; exit 1; }
[[ -f $firmware ]] || { echo "qemu-boot.sh: no firmware at $firmware" >&2; exit 1; }
[[ -f $outdir/Image ]] || { echo "qemu-boot.sh: no $outdir/Image; run guests/linux/build.sh first" >&2; exit 1; }

start="$(date +%s.%N)"
set +e
qemu-system-riscv32 -M virt -nographic -m 128M -smp "$harts" \
	-bios "$firmware" -kernel "$outdir/Image" -append "$append" </dev/null 2>&1 |
	START="$start" perl -MTime::HiRes=time -ne '
		BEGIN { $| = 1 }
		s/\r//g;
		printf "%8.3f %s", time - $ENV{START}, $_;
		$first //= time - $ENV{START} if /^tessera-init:/;
		END { printf "qemu-boot: first init line at %.3f s\n", $first if defined $first }'
status="${PIPESTATUS[0]}"
set -e
printf 'qemu-boot: QEMU exited with status %s after %.3f s\n' "$status" "$(echo "$(date +%s.%N) - $start" | bc)"
exit "$status"
