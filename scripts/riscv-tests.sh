#!/bin/sh
# Builds the public riscv-tests suite's rv32 ui, uc, um, ua, si and mi tests (p environment) from a
# checkout outside this repository, runs each ELF on Tessera and on QEMU, and prints pass/fail side by side.
#   scripts/riscv-tests.sh RISCV_TESTS_DIR [OUT_DIR]      (after npm run build; OUT_DIR defaults to /tmp/riscv-tests-rv32)
# QEMU runs them on its `spike` machine, whose HTIF ends the run with the code written to `tohost`
# (QEMU's virt board has no HTIF). Nothing from the suite is copied into this repository.
set -eu
src=${1:?usage: scripts/riscv-tests.sh RISCV_TESTS_DIR [OUT_DIR]}
out=${2:-/tmp/riscv-tests-rv32}
cross=${CROSS:-riscv64-unknown-elf-}
repo=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$out"
isa="$src/isa"
pass_t=0 pass_q=0 total=0 differ=0
for suite in rv32ui rv32uc rv32um rv32ua rv32si rv32mi; do
  # Each Makefrag lists its tests after `<suite>_sc_tests = \`, up to the first blank line.
  tests=$(sed -n "/^${suite}_sc_tests = /,/^\$/p" "$isa/$suite/Makefrag" | sed '1s/.*=//' | tr -d '\\')
  for t in $tests; do
    elf="$out/$suite-p-$t"
    if [ ! -f "$elf" ]; then
      "${cross}gcc" -march=rv32imac_zicsr_zifencei -mabi=ilp32 -static -mcmodel=medany -fvisibility=hidden -nostdlib -nostartfiles \
        -I"$src/env/p" -I"$isa/macros/scalar" -T"$src/env/p/link.ld" "$isa/$suite/$t.S" -o "$elf" 2>"$elf.log" || { echo "$suite-p-$t: does not build (see $elf.log)"; continue; }
    fi
    total=$((total + 1))
    node "$repo/bin/tessera.js" run "$elf" --timeout 20 >/dev/null 2>&1 && t_res=pass || t_res="FAIL($?)"
    timeout 20 qemu-system-riscv32 -M spike -bios none -nographic -kernel "$elf" >/dev/null 2>&1 && q_res=pass || q_res="FAIL($?)"
    [ "$t_res" = pass ] && pass_t=$((pass_t + 1))
    [ "$q_res" = pass ] && pass_q=$((pass_q + 1))
    mark=""
    [ "$t_res" != "$q_res" ] && { mark="  <- differs"; differ=$((differ + 1)); }
    printf '%-32s tessera %-9s qemu %-9s%s\n' "$suite-p-$t" "$t_res" "$q_res" "$mark"
  done
done
echo "riscv-tests: $total tests; Tessera passes $pass_t, QEMU passes $pass_q; $differ differ"
