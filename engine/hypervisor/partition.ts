// Puts a VM's partition and vCPUs into their boot state, or zeroes the partition (wipe).

import { CONTEXT_CYCLES, CONTEXT_NUMBERS, CONTEXT_WORDS } from '../cores/hart.js';
import { Privilege } from '../cores/trap-cause.js';
import { loadElf, type ElfImage } from '../loader/elf.js';
import { RAM_BASE } from '../memory/memory-map.js';
import {
  VCPU_BUDGET_LEFT, VCPU_EXT_FLOW_SEQ, VCPU_EXT_SINCE, VCPU_HV_STATUS, VCPU_LAST_RUN, VCPU_MSIP_SINCE, VCPU_PERIOD_START, VM_EXIT_CODE, VM_GENERATION, VM_READY,
  VM_STARTED_AT, VM_WATCHDOG_DEADLINE, type SystemTables,
} from './system-tables.js';

const NEVER_TIMECMP = 0xffff_ffff_ffff_ffffn;

/** The VM's RAM as bytes: exactly its partition of physical memory. */
export function partitionBytes(tables: SystemTables, vm: number): Uint8Array {
  const layout = tables.layout.vms[vm];
  return new Uint8Array(tables.buffers.physical, layout.physicalBase, layout.ramBytes);
}

/** Zeroes the partition, loads the ELF and the device tree, and resets every vCPU to the entry point. */
export function bootPartition(tables: SystemTables, vm: number, image: ElfImage, deviceTree: Uint8Array, now: number): void {
  const layout = tables.layout.vms[vm];
  const ram = partitionBytes(tables, vm);
  ram.fill(0);
  loadElf(image, ram, RAM_BASE);
  ram.set(deviceTree, layout.fdtAddress - RAM_BASE);
  tables.addVmInt(vm, VM_GENERATION, 1);
  tables.setVmInt(vm, VM_READY, 0);
  tables.setVmInt(vm, VM_EXIT_CODE, 0);
  tables.setVmNum(vm, VM_STARTED_AT, now);
  tables.setVmNum(vm, VM_WATCHDOG_DEADLINE, layout.watchdog > 0 ? now + layout.watchdog : Infinity);
  tables.uarts[vm].reset();
  tables.plics[vm].reset();
  const clint = tables.clints[vm];
  tables.ipc.reset(Array.from({ length: layout.vcpus }, (_, i) => layout.firstVcpu + i));
  for (let local = 0; local < layout.vcpus; local++) {
    const vcpu = layout.firstVcpu + local;
    clint.setMsip(local, false);
    clint.setTimecmp(local, NEVER_TIMECMP);
    const words = tables.contextWordsOf(vcpu);
    const numbers = tables.contextNumbersOf(vcpu);
    words.fill(0, 0, CONTEXT_WORDS);
    numbers.fill(0, 0, CONTEXT_NUMBERS);
    words[10] = local; // a0 = mhartid
    words[11] = layout.fdtAddress; // a1 = the device tree
    words[32] = image.entry; // pc
    words[33] = Privilege.Machine;
    numbers[CONTEXT_CYCLES] = now; // the vCPU's clock starts at the system's time
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

/** Remote disable: every byte of the partition becomes zero. */
export function wipePartition(tables: SystemTables, vm: number): void {
  const layout = tables.layout.vms[vm];
  tables.ipc.reset(Array.from({ length: layout.vcpus }, (_, i) => layout.firstVcpu + i));
  partitionBytes(tables, vm).fill(0);
  tables.addVmInt(vm, VM_GENERATION, 1);
}
