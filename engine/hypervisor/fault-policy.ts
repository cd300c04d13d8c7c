// A VM's failures as one core handles them: a trap loop, a watchdog expiry, a failing exit or a
// reset storm stops the VM at that very virtual time, and its policy halts it or reboots it.

import type { VmBootImage } from './layout.js';
import { bootCycles, bootPartition } from './partition.js';
import {
  VM_FAULTS, VM_IMAGE_VERSION, VM_LAST_RESET, VM_ON_TRIAL, VM_RESTART_PENDING, VM_RESTARTS, VM_WATCHDOG_DEADLINE, type SystemTables,
} from './system-tables.js';
import { FaultKind, TraceKind } from './trace-kinds.js';
import { VmState } from './vm-state.js';

export class FaultPolicy {
  /** The VMs whose watchdog this core checks: those whose first vCPU lives here. */
  private readonly homeVms: number[];

  /**
   * `drop(vcpus)`: the core gives up its current vCPU, unsaved, if it is one of these (their VM is
   * about to be rebooted).
   */
  constructor(
    private readonly core: number,
    private readonly tables: SystemTables,
    private readonly boot: readonly VmBootImage[],
    private readonly drop: (vcpus: readonly number[]) => void,
  ) {
    this.homeVms = tables.layout.vms.map((vm, i) => ({ vm, i })).filter(({ vm }) => (vm.placement[0] ?? vm.affinity[0]) === core && vm.watchdog > 0).map(({ i }) => i);
  }

  /** The earliest watchdog deadline of a running home VM, or Infinity. */
  nextWatchdog(): number {
    let next = Infinity;
    for (const vm of this.homeVms) {
      if (this.tables.vmState(vm) === VmState.Running) next = Math.min(next, this.tables.vmNum(vm, VM_WATCHDOG_DEADLINE));
    }
    return next;
  }

  checkWatchdogs(time: number): void {
    for (const vm of this.homeVms) {
      if (this.tables.vmState(vm) === VmState.Running && time >= this.tables.vmNum(vm, VM_WATCHDOG_DEADLINE)) {
        this.fault(vm, FaultKind.Watchdog, 0, time);
      }
    }
  }

  /** Stops a running VM that failed and applies its fault policy at this very virtual time. */
  fault(vm: number, kind: FaultKind, detail: number, time: number): void {
    const t = this.tables;
    const policy = t.layout.vms[vm].onFault;
    const restart = t.vmInt(vm, VM_ON_TRIAL) === 0 && policy.policy === 'restart' && t.vmInt(vm, VM_RESTARTS) < policy.limit;
    // Counted before the state says halted, so the host never sees a VM about to restart as ended.
    if (restart) t.addVmInt(vm, VM_RESTART_PENDING, 1);
    if (!t.casVmState(vm, VmState.Running, VmState.Halted)) {
      if (restart) t.addVmInt(vm, VM_RESTART_PENDING, -1);
      return;
    }
    t.addVmInt(vm, VM_FAULTS, 1);
    t.lifecycle[this.core].push(time, TraceKind.Fault, vm, kind, detail);
    if (restart) this.reboot(vm, VmState.Halted, time);
    else t.lifecycle[this.core].push(time, TraceKind.Halt, vm, 0, 0);
  }

  /** The guest asked its test device for a reset: a reboot, or a fault when it comes too soon after the last. */
  guestReset(vm: number, time: number): void {
    const t = this.tables;
    const last = t.vmNum(vm, VM_LAST_RESET);
    t.setVmNum(vm, VM_LAST_RESET, time);
    if (time - last < t.layout.vms[vm].onFault.resetInterval) {
      this.fault(vm, FaultKind.ResetStorm, 0, time);
      return;
    }
    t.addVmInt(vm, VM_RESTART_PENDING, 1);
    if (!t.casVmState(vm, VmState.Running, VmState.Stopped)) {
      t.addVmInt(vm, VM_RESTART_PENDING, -1);
      return;
    }
    t.lifecycle[this.core].push(time, TraceKind.Reset, vm, 0, 0);
    this.reboot(vm, VmState.Stopped, time);
  }

  /**
   * Reboots a VM in place when this core can hold all its vCPUs (deterministic in virtual time);
   * a VM running on other cores too is left to the host. The VM starts again once its partition is
   * rebuilt (bootCycles later).
   */
  private reboot(vm: number, from: VmState, time: number): void {
    const t = this.tables;
    const layout = t.layout.vms[vm];
    const vcpus = Array.from({ length: layout.vcpus }, (_, i) => layout.firstVcpu + i);
    this.drop(vcpus);
    const claimed = vcpus.filter((v) => t.claim(v, this.core));
    // An update gave the VM an image this core does not have: the host reboots it.
    if (claimed.length < vcpus.length || t.vmInt(vm, VM_IMAGE_VERSION) !== 0) {
      for (const v of claimed) t.release(v);
      t.lifecycle[this.core].push(time, TraceKind.RestartRequest, vm, 0, 0);
      return;
    }
    const { image, deviceTree } = this.boot[vm];
    bootPartition(t, vm, image, deviceTree, time + bootCycles(layout.ramBytes, image, deviceTree));
    t.addVmInt(vm, VM_RESTARTS, 1);
    for (const v of vcpus) t.release(v);
    if (t.casVmState(vm, from, VmState.Running)) t.lifecycle[this.core].push(time, TraceKind.Restart, vm, t.vmInt(vm, VM_RESTARTS), 0);
    t.addVmInt(vm, VM_RESTART_PENDING, -1);
    t.wakeAllCores(time);
  }
}
