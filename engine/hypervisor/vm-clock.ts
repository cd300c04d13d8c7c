// A paused VM's own time stands still: its timers (mtime) and its watchdog resume where they stopped.

import { ContextNumber } from '../cores/hart-context.js';
import { VM_PAUSED_AT, VM_WATCHDOG_DEADLINE, type SystemTables } from './system-tables.js';

/** Records when the VM stopped running: the latest clock among its vCPUs (call once none runs). */
export function notePaused(tables: SystemTables, vm: number): void {
  tables.setVmNum(vm, VM_PAUSED_AT, Math.max(...vcpusOf(tables, vm).map((v) => tables.contextNumber(v, ContextNumber.Cycles))));
}

/**
 * Before a paused VM runs again (while no core runs it): its vCPUs may run no earlier than
 * `resumeAt`, and its clock and watchdog are shifted by the time in between, so mtime goes on from
 * where it stood and no timer or watchdog period ran out while it was paused. Returns that time.
 */
export function resumeClock(tables: SystemTables, vm: number, resumeAt: number): number {
  const frozen = Math.max(0, resumeAt - tables.vmNum(vm, VM_PAUSED_AT));
  for (const vcpu of vcpusOf(tables, vm)) {
    const numbers = tables.contextNumbersOf(vcpu);
    if (numbers[ContextNumber.Cycles] < resumeAt) {
      numbers[ContextNumber.Cycles] = resumeAt;
      tables.bumpVersion(vcpu); // a core holding the old context reloads it
    }
  }
  tables.clints[vm].freeze(frozen);
  tables.setVmNum(vm, VM_WATCHDOG_DEADLINE, tables.vmNum(vm, VM_WATCHDOG_DEADLINE) + frozen);
  return frozen;
}

function vcpusOf(tables: SystemTables, vm: number): number[] {
  const layout = tables.layout.vms[vm];
  return Array.from({ length: layout.vcpus }, (_, i) => layout.firstVcpu + i);
}
