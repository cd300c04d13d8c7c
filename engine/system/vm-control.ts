// VM lifecycle as the host drives it: boot at power-on, the commands (start, pause, resume, stop,
// restart, wipe, destroy), firmware over the air, and what the host does with the cores' lifecycle
// records (faults, exits, reboots it must carry out). Every change is an event in the log.

import { describeCause } from '../cores/trap-cause.js';
import type { ElfImage } from '../loader/elf.js';
import type { VmBootImage } from '../hypervisor/layout.js';
import { bootCycles, bootPartition, partitionBytes, wipePartition } from '../hypervisor/partition.js';
import {
  SYSTEM_RELEASE, VCPU_OWNER, VM_ON_TRIAL, VM_RESTART_PENDING, VM_RESTARTS, VM_STATE, type SystemTables,
} from '../hypervisor/system-tables.js';
import { FAULT_NAMES, FaultKind, TraceKind } from '../hypervisor/trace-kinds.js';
import { notePaused, resumeClock } from '../hypervisor/vm-clock.js';
import { illegalTransition, TARGET_STATE, VM_STATE_NAMES, VmState, type LifecycleCommand } from '../hypervisor/vm-state.js';
import type { TraceRecord } from '../metrics/trace-ring.js';
import { describeName } from '../scenario/fields.js';
import type { KernelBootConfig } from '../scenario/scenario.js';
import type { EventLog, SystemEvent } from './event-log.js';
import { kernelUpdateImage, runUpdate, updateImage, type UpdateHost, type UpdateOptions, type UpdateReport } from './over-the-air.js';

export class LifecycleError extends Error {
  override readonly name = 'LifecycleError';
}

/** A VM as the system's user names it, whether it boots at power-on, and whether it boots a kernel. */
export interface VmSource {
  name: string;
  autostart: boolean;
  kernel?: KernelBootConfig;
}

/** Virtual seconds a new version of a kernel VM has to boot and report ready (a guest ELF has one). */
const KERNEL_READY_SECONDS = 20;

/** What the control plane needs from the host that runs it. */
export interface ControlHost {
  /** Drains the cores' records (so a host event is logged after everything that came before it). */
  poll(): void;
  /** Resolves after a short while: updates and waits check progress then. */
  tick(): Promise<void>;
  /** Resolves when the value at `words[index]` may have moved from `seen` (or after `ms`). */
  waitChange(words: Int32Array, index: number, seen: number, ms: number): Promise<void>;
  /** False once the system has stopped running (or failed). */
  running(): boolean;
  /** True when the system has failed (a crashed worker): waits give up. */
  failed(): boolean;
}

export class VmControl {
  /** Per source VM, the partition slot serving it (itself, or its update slot after an update). */
  readonly active: number[];
  private readonly updating = new Set<number>();
  /** VMs whose fault policy gave up: the run has failed against policy. */
  private readonly failedVms = new Set<string>();
  /** Restarts the host is carrying out (the run must not end meanwhile). */
  private hostRestarts = 0;

  constructor(
    private readonly tables: SystemTables,
    private readonly sources: readonly VmSource[],
    /** What each partition slot boots (an update replaces its slot's image). */
    readonly bootImages: VmBootImage[],
    private readonly log: EventLog,
    private readonly host: ControlHost,
  ) {
    this.active = sources.map((_, i) => i);
  }

  vmNames(): string[] {
    return this.sources.map((vm) => vm.name);
  }

  /** The source VM of that name; a LifecycleError names the VMs there are. */
  logicalIndex(name: string): number {
    const index = this.sources.findIndex((vm) => vm.name === name);
    if (index < 0) throw new LifecycleError(`no VM named ${describeName(name)} (VMs: ${this.vmNames().join(', ')})`);
    return index;
  }

  /** The partition slot that runs the VM now (an updatable VM switches between two). */
  vmIndex(name: string): number {
    return this.active[this.logicalIndex(name)];
  }

  /** VMs that failed against their fault policy (halted after a fault, or out of restarts). */
  failed(): string[] {
    return [...this.failedVms];
  }

  /** Boots every autostart VM not booted yet: the images are in place before time starts. */
  powerOn(): void {
    const now = this.tables.now();
    this.sources.forEach((vm, i) => {
      if (vm.autostart && this.tables.vmState(i) === VmState.Created) this.boot(i, now, 'started', true);
    });
  }

  /** A lifecycle command on one VM; refused with a LifecycleError when illegal in its state. */
  async command(name: string, command: LifecycleCommand): Promise<void> {
    const t = this.tables;
    const vm = this.vmIndex(name);
    const illegal = illegalTransition(name, t.vmState(vm), command);
    if (illegal !== undefined) throw new LifecycleError(illegal);
    switch (command) {
      case 'start':
        this.boot(vm, t.now(), 'started');
        return;
      case 'resume': {
        const now = t.now();
        const frozen = resumeClock(t, vm, now);
        t.casVmState(vm, VmState.Paused, VmState.Running);
        t.wakeAllCores(now);
        this.emitHost(vm, 'resumed', `its clock stood still for ${frozen} cycles`, now);
        return;
      }
      // The VM stops at the state change, on every core within a slice: its event carries that time,
      // not the later one at which the host saw its vCPUs released (other VMs ran on meanwhile).
      case 'pause': {
        const at = t.now();
        t.casVmState(vm, VmState.Running, VmState.Paused);
        await this.released(vm);
        notePaused(t, vm);
        this.emitHost(vm, 'paused', undefined, at);
        return;
      }
      case 'stop': {
        const at = t.now();
        t.setVmInt(vm, VM_STATE, VmState.Stopped);
        await this.released(vm);
        this.emitHost(vm, 'stopped', undefined, at);
        return;
      }
      case 'restart':
        await this.restart(vm, 'restarted');
        return;
      case 'wipe':
      case 'destroy': {
        const at = t.now();
        t.setVmInt(vm, VM_STATE, TARGET_STATE[command]);
        await this.released(vm);
        wipePartition(t, vm);
        await this.wipeOtherSlot(vm);
        this.emitHost(vm, command === 'wipe' ? 'wiped' : 'destroyed', undefined, at);
        return;
      }
    }
  }

  /**
   * Firmware over the air: boots `bytes` (read from `source`) as the new version of a running
   * updatable VM in its other slot, hands its channels over when it reports ready, and stops the old
   * version. Rejects with one line, and changes nothing, for an unknown VM, one that is not running
   * or not updatable, an update in progress, or an image that is not a RISC-V ELF fitting the VM's
   * RAM; after a rollback (the new version faulted, exited or was not ready in time) the old version
   * keeps running.
   */
  async update(name: string, readImage: () => Promise<Uint8Array>, source: string, options: Partial<UpdateOptions> = {}): Promise<UpdateReport> {
    const t = this.tables;
    const logical = this.logicalIndex(name);
    const from = this.active[logical];
    const to = t.layout.vms[from].twin;
    if (to < 0) throw new LifecycleError(`VM '${name}' is not updatable (give it "updatable": true in the scenario)`);
    const state = t.vmState(from);
    if (state !== VmState.Running) throw new LifecycleError(`cannot update '${name}': it is ${VM_STATE_NAMES[state]}, not running`);
    if (this.updating.has(logical)) throw new LifecycleError(`cannot update '${name}': an update is already in progress`);
    const slot = t.layout.vms[from];
    const kernel = this.sources[logical].kernel;
    const bytes = await readImage();
    const image = kernel !== undefined
      ? kernelUpdateImage(bytes, source, this.bootImages[from].image, kernel, slot.vcpus, slot.ramBytes)
      : updateImage(bytes, source, slot.ramBytes);
    const readyTimeout = options.readyTimeout ?? (kernel !== undefined ? KERNEL_READY_SECONDS : 1) * t.layout.frequency;
    this.updating.add(logical);
    try {
      const report = await runUpdate(this.updateHost(), from, to, image, source, { readyTimeout });
      t.setVmInt(to, VM_ON_TRIAL, 0);
      this.active[logical] = to;
      return report;
    } finally {
      this.updating.delete(logical);
    }
  }

  /** A copy of a VM's partition (for verifying a wipe, or inspecting a halted VM). */
  readPartition(name: string): Uint8Array {
    return partitionBytes(this.tables, this.vmIndex(name)).slice();
  }

  /** Whether every VM has ended (nothing runs, is paused, or is about to be restarted). */
  allEnded(): boolean {
    const t = this.tables;
    for (let vm = 0; vm < t.layout.vms.length; vm++) {
      const state = t.vmState(vm);
      if (state === VmState.Running || state === VmState.Paused || t.vmInt(vm, VM_RESTART_PENDING) > 0) return false;
    }
    return this.hostRestarts === 0;
  }

  /** Acts on a record of a core's lifecycle ring: logs it, and reboots a VM a core could not. */
  onLifecycle(r: TraceRecord): void {
    const vm = r.subject;
    switch (r.kind) {
      case TraceKind.Exit:
        this.emit(vm, 'exited', `exit code ${r.a}`, r.time);
        return;
      case TraceKind.Ready:
        this.emit(vm, 'ready', `code ${r.a}`, r.time);
        return;
      case TraceKind.Reset:
        this.emit(vm, 'reset', undefined, r.time);
        return;
      case TraceKind.Fault:
        this.emit(vm, 'fault', faultDetail(r.a, r.b), r.time);
        return;
      case TraceKind.Restart:
        this.emit(vm, 'restarted', `restart ${r.a}`, r.time);
        return;
      case TraceKind.RestartRequest:
        void this.restart(vm, 'restarted').finally(() => this.tables.addVmInt(vm, VM_RESTART_PENDING, -1));
        return;
      case TraceKind.Halt: {
        if (this.tables.vmInt(vm, VM_ON_TRIAL) !== 0) {
          this.emit(vm, 'halted', 'new version under update', r.time); // the update rolls back
          return;
        }
        const layout = this.tables.layout.vms[vm];
        this.failedVms.add(layout.name);
        this.emit(vm, 'halted', layout.onFault.policy === 'restart' ? `restart limit ${layout.onFault.limit} reached` : 'fault policy halt', r.time);
        return;
      }
    }
  }

  private boot(vm: number, now: number, kind: SystemEvent['kind'], powerOn = false): void {
    this.start(vm, now, powerOn);
    this.emitHost(vm, kind, undefined, now);
  }

  /**
   * Rebuilds the partition from the VM's boot image and lets the cores run it. At power-on the
   * loader has placed the images before time starts; any later boot costs the VM its bootCycles.
   */
  private start(vm: number, now: number, powerOn = false): void {
    const t = this.tables;
    const { image, deviceTree } = this.bootImages[vm];
    const startAt = powerOn ? now : now + bootCycles(t.layout.vms[vm].ramBytes, image, deviceTree);
    bootPartition(t, vm, image, deviceTree, startAt, { zeroed: powerOn });
    t.setVmInt(vm, VM_STATE, VmState.Running);
    t.wakeAllCores();
  }

  private async restart(vm: number, kind: SystemEvent['kind']): Promise<void> {
    this.hostRestarts++;
    try {
      this.tables.setVmInt(vm, VM_STATE, VmState.Stopped);
      await this.released(vm);
      this.tables.addVmInt(vm, VM_RESTARTS, 1);
      this.boot(vm, this.tables.now(), kind);
    } finally {
      this.hostRestarts--;
    }
  }

  /** An updatable VM's other slot holds an older (or newer) version: a wipe erases it too. */
  private async wipeOtherSlot(vm: number): Promise<void> {
    const other = this.tables.layout.vms[vm].twin;
    if (other < 0) return;
    const state = this.tables.vmState(other);
    if (state === VmState.Running || state === VmState.Paused) this.tables.setVmInt(other, VM_STATE, VmState.Stopped);
    await this.released(other);
    wipePartition(this.tables, other);
  }

  /** Resolves once no core runs any vCPU of the VM (they notice its state within one slice). */
  private async released(vm: number): Promise<void> {
    const t = this.tables;
    const layout = t.layout.vms[vm];
    for (;;) {
      const seen = Atomics.load(t.system, SYSTEM_RELEASE);
      let owned = false;
      for (let i = 0; i < layout.vcpus; i++) if (t.vcpuInt(layout.firstVcpu + i, VCPU_OWNER) !== -1) owned = true;
      if (!owned || this.host.failed()) return;
      t.wakeAllCores();
      await this.host.waitChange(t.system, SYSTEM_RELEASE, seen, 20);
    }
  }

  /** What an update may do to this system. */
  private updateHost(): UpdateHost {
    return {
      tables: this.tables,
      bootSlot: (slot: number, image: ElfImage) => {
        this.bootImages[slot] = { image, deviceTree: this.bootImages[slot].deviceTree };
        this.tables.setVmInt(slot, VM_ON_TRIAL, 1);
        this.start(slot, this.tables.now());
      },
      stopSlot: async (slot: number) => {
        this.tables.setVmInt(slot, VM_STATE, VmState.Stopped);
        await this.released(slot);
      },
      emit: (slot, kind, detail) => this.emitHost(slot, kind, detail),
      tick: () => this.host.tick(),
      running: () => this.host.running(),
    };
  }

  /** An event the host causes: every event the cores recorded before it is logged first. */
  private emitHost(vm: number, kind: SystemEvent['kind'], detail?: string, time = this.tables.now()): void {
    this.host.poll();
    this.emit(vm, kind, detail, time);
  }

  private emit(vm: number, kind: SystemEvent['kind'], detail: string | undefined, time: number): void {
    this.log.add(this.tables.layout.vms[vm].name, kind, time, detail);
  }
}

function faultDetail(kind: number, detail: number): string {
  if (kind === FaultKind.TrapLoop) return `trap loop (${describeCause(detail)})`;
  if (kind === FaultKind.TestDeviceFailure) return `test device failure, exit code ${detail}`;
  return FAULT_NAMES[kind];
}
