// The interrupt lines a vCPU's devices drive: its CLINT's software interrupt and timer, and the M
// and S contexts of its PLIC (context 2*hart and 2*hart + 1, as on QEMU virt).

import { ContextWord, stimecmpOf } from '../cores/hart-context.js';
import { MIP_MEIP, MIP_MSIP, MIP_MTIP, MIP_SEIP } from '../cores/trap-cause.js';
import type { SystemTables } from './system-tables.js';

/** The cycle at which the vCPU's timer line rises (mtime reaches its mtimecmp), or Infinity. */
export function timerCycle(t: SystemTables, vcpu: number): number {
  const vm = t.vmOf[vcpu];
  return t.clints[vm].timerCycle(vcpu - t.layout.vms[vm].firstVcpu);
}

/** For a vCPU no core holds, with Sstc on: the cycle its saved stimecmp comes due, or Infinity. */
export function savedStimerCycle(t: SystemTables, vcpu: number): number {
  return t.clints[t.vmOf[vcpu]].dueCycle(stimecmpOf(t.contextWord(vcpu, ContextWord.StimecmpLo), t.contextWord(vcpu, ContextWord.StimecmpHi)));
}

/** The mip bits the vCPU's devices drive at virtual time `now`, given its timerCycle. */
export function vcpuLines(t: SystemTables, vcpu: number, timer: number, now: number): number {
  const vm = t.vmOf[vcpu];
  const local = vcpu - t.layout.vms[vm].firstVcpu;
  let bits = t.clints[vm].msip(local) ? MIP_MSIP : 0;
  if (now >= timer) bits |= MIP_MTIP;
  const plic = t.plics[vm];
  if (plic.contextPending(2 * local)) bits |= MIP_MEIP;
  if (plic.contextPending(2 * local + 1)) bits |= MIP_SEIP;
  return bits;
}
