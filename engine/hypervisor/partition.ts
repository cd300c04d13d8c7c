// Puts a VM's partition and vCPUs into their boot state, or zeroes the partition (wipe).

import { MENVCFGH_STCE } from '../cores/csr.js';
import { CONTEXT_NUMBERS, CONTEXT_WORDS, ContextNumber, ContextWord } from '../cores/hart-context.js';
import { MIP_MSIP, MIP_SEIP, MIP_SSIP, MIP_STIP, Privilege } from '../cores/trap-cause.js';
import { loadElf, type ElfImage } from '../loader/elf.js';
import { watchTohost } from './htif.js';
import { HsmState, SBI_MEDELEG } from './sbi-calls.js';
import { PAGE_SHIFT, RAM_BASE } from '../memory/memory-map.js';
import {
  VCPU_BUDGET_LEFT, VCPU_EXT_FLOW_SEQ, VCPU_EXT_SINCE, VCPU_HV_STATUS, VCPU_LAST_RUN, VCPU_MSIP_SINCE, VCPU_PERIOD_START, VCPU_SBI_EVENTS, VCPU_SBI_FENCING, VCPU_SBI_HSM, VM_EXIT_CODE, VM_GENERATION, VM_READY,
  VM_STARTED_AT, VM_WATCHDOG_DEADLINE, type SystemTables,
} from './system-tables.js';

/** The VM's RAM as bytes: exactly its partition of physical memory. */
export function partitionBytes(tables: SystemTables, vm: number): Uint8Array {
  const layout = tables.layout.vms[vm];
  return new Uint8Array(tables.buffers.physical, layout.physicalBase, layout.ramBytes);
}

/**
 * The partition's page flags start clear again: no core holds decoded code or a reservation of the
 * old contents (VM_GENERATION makes every core drop them), so stores need not take the slow path.
 */
function clearPageFlags(tables: SystemTables, vm: number): void {
  const layout = tables.layout.vms[vm];
  new Uint8Array(tables.buffers.pageFlags).fill(0, layout.physicalBase >>> PAGE_SHIFT, (layout.physicalBase + layout.ramBytes) >>> PAGE_SHIFT);
}

/** Bytes a core zeroes or copies per cycle when it rebuilds a partition (one 64-bit store a cycle). */
export const BOOT_BYTES_PER_CYCLE = 8;

/**
 * The virtual time a (re)boot of the partition costs: zeroing its RAM, then copying the image and
 * the device tree. A guest that resets itself in a loop pays for it in its own time.
 */
export function bootCycles(ramBytes: number, image: ElfImage, deviceTree: Uint8Array): number {
  const loaded = image.segments.reduce((sum, s) => sum + s.data.length, 0) + deviceTree.length;
  return Math.ceil((ramBytes + loaded) / BOOT_BYTES_PER_CYCLE);
}

/**
 * Zeroes the partition, loads the ELF and the device tree, and resets every vCPU to the entry point;
 * its vCPUs start running at `now` (the time the boot ends: callers add bootCycles after power-on).
 * `zeroed`: the partition is known to hold only zeros (fresh memory at power-on), so it is not cleared again.
 */
export function bootPartition(tables: SystemTables, vm: number, image: ElfImage, deviceTree: Uint8Array, now: number, { zeroed = false } = {}): void {
  const layout = tables.layout.vms[vm];
  const ram = partitionBytes(tables, vm);
  if (!zeroed) ram.fill(0);
  clearPageFlags(tables, vm);
  watchTohost(tables, vm);
  loadElf(image, ram, RAM_BASE);
  ram.set(deviceTree, layout.fdtAddress - RAM_BASE);
  tables.addVmInt(vm, VM_GENERATION, 1);
  tables.setVmInt(vm, VM_READY, 0);
  tables.setVmInt(vm, VM_EXIT_CODE, 0);
  tables.setVmNum(vm, VM_STARTED_AT, now);
  tables.setVmNum(vm, VM_WATCHDOG_DEADLINE, layout.watchdog > 0 ? now + layout.watchdog : Infinity);
  tables.uarts[vm].reset();
  tables.plics[vm].reset();
  tables.clints[vm].resetTimebase();
  tables.ipc.reset(Array.from({ length: layout.vcpus }, (_, i) => layout.firstVcpu + i));
  for (let local = 0; local < layout.vcpus; local++) {
    const vcpu = layout.firstVcpu + local;
    const words = tables.contextWordsOf(vcpu);
    const numbers = tables.contextNumbersOf(vcpu);
    words.fill(0, 0, CONTEXT_WORDS);
    numbers.fill(0, 0, CONTEXT_NUMBERS);
    words[ContextWord.StimecmpLo] = words[ContextWord.StimecmpHi] = -1; // as Hart.reset: no S timer armed
    words[ContextWord.X0 + 10] = local; // a0 = mhartid
    words[ContextWord.X0 + 11] = layout.fdtAddress; // a1 = the device tree
    words[ContextWord.X0 + 12] = layout.bootA2; // a2 = fw_dynamic_info for a firmware, else 0
    words[ContextWord.Pc] = image.entry;
    words[ContextWord.Priv] = Privilege.Machine;
    if (layout.firmware === 'sbi') enterUnderSbi(tables, vcpu, local, words);
    numbers[ContextNumber.Cycles] = now; // the vCPU's clock starts at the system's time
    tables.bumpVersion(vcpu);
    tables.setVcpuNum(vcpu, VCPU_BUDGET_LEFT, layout.budget);
    tables.setVcpuNum(vcpu, VCPU_PERIOD_START, now);
    tables.setVcpuNum(vcpu, VCPU_LAST_RUN, 0);
    tables.setVcpuNum(vcpu, VCPU_MSIP_SINCE, 0);
    tables.setVcpuNum(vcpu, VCPU_HV_STATUS, 0);
    tables.setVcpuNum(vcpu, VCPU_EXT_SINCE, 0);
    tables.setVcpuNum(vcpu, VCPU_EXT_FLOW_SEQ, 0); // a doorbell of the old run is no flow into the new one
  }
}

/**
 * The built-in SBI's boot, as a firmware leaves the harts: traps and interrupts S-mode handles
 * delegated, counters readable, all memory open to S and U (one PMP entry over everything); hart 0
 * enters the kernel in S-mode, the others wait stopped until the kernel starts them (HSM).
 */
function enterUnderSbi(tables: SystemTables, vcpu: number, local: number, words: Int32Array): void {
  words[ContextWord.X0 + 12] = 0;
  words[ContextWord.Medeleg] = SBI_MEDELEG;
  words[ContextWord.Mideleg] = MIP_SSIP | MIP_STIP | MIP_SEIP;
  words[ContextWord.Mcounteren] = 0b111; // cycle, time, instret
  words[ContextWord.Scounteren] = 0b111; // and for U-mode too, as OpenSBI leaves them (Linux's vDSO reads time)
  words[ContextWord.Mie] = MIP_MSIP; // the firmware listens for other harts' requests
  words[ContextWord.Pmpaddr0] = -1; // NAPOT over the whole address space
  words[ContextWord.Pmpcfg0] = 0x1f; // R W X, NAPOT
  words[ContextWord.Menvcfgh] = MENVCFGH_STCE; // Sstc on: S-mode programs its own timer (stimecmp)
  const boot = local === 0;
  words[ContextWord.Priv] = boot ? Privilege.Supervisor : Privilege.Machine;
  words[ContextWord.Waiting] = boot ? 0 : 1;
  tables.setVcpuInt(vcpu, VCPU_SBI_HSM, boot ? HsmState.Started : HsmState.Stopped);
  tables.setVcpuInt(vcpu, VCPU_SBI_EVENTS, 0);
  tables.setVcpuInt(vcpu, VCPU_SBI_FENCING, 0);
}

/** Remote disable: every byte of the partition becomes zero. */
export function wipePartition(tables: SystemTables, vm: number): void {
  const layout = tables.layout.vms[vm];
  tables.ipc.reset(Array.from({ length: layout.vcpus }, (_, i) => layout.firstVcpu + i));
  partitionBytes(tables, vm).fill(0);
  clearPageFlags(tables, vm);
  tables.addVmInt(vm, VM_GENERATION, 1);
}
