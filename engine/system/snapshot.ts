// A system's figures read straight from shared memory (no messages): per VM, per core, per channel.

import {
  CORE_BUSY, CORE_TIME, VCPU_INSTRET, VCPU_INTERRUPTS, VCPU_VIOLATIONS, VM_EXIT_CODE, VM_FAULTS, VM_READY, VM_RESTARTS, type SystemTables,
} from '../hypervisor/system-tables.js';
import { VM_STATE_NAMES, type VmStateName } from '../hypervisor/vm-state.js';
import { LatencyHistogram, type LatencyHistogramJson } from '../metrics/latency-histogram.js';
import type { ChannelMetrics, ChannelSnapshot } from './channel-metrics.js';
import { slotName } from './over-the-air.js';

export interface VmSnapshot {
  name: string;
  state: VmStateName;
  cores: number[];
  priority: number;
  instructions: number;
  interrupts: number;
  violations: number;
  restarts: number;
  faults: number;
  exitCode: number;
  ready: number | null;
  latency: LatencyHistogramJson;
  /** Updatable VMs: the slot serving now ('a': the scenario's partition, 'b': the update slot). */
  slot?: 'a' | 'b';
}

export interface SystemSnapshot {
  /** Virtual time reached (cycles), and as seconds of the virtual clock. */
  time: number;
  virtualSeconds: number;
  wallSeconds: number;
  vms: VmSnapshot[];
  cores: { time: number; busy: number }[];
  /** Per channel: doorbells each endpoint rang (endpoint order as in the scenario) and both flows. */
  channels: ChannelSnapshot[];
}

/** `active[i]`: the partition slot serving scenario VM i (an updatable VM switches between two). */
export function takeSnapshot(tables: SystemTables, active: readonly number[], channels: ChannelMetrics, wallSeconds: number): SystemSnapshot {
  const t = tables;
  const { layout } = t;
  const time = t.now();
  return {
    time,
    virtualSeconds: time / layout.frequency,
    wallSeconds,
    cores: Array.from({ length: layout.cores }, (_, c) => ({ time: t.coreNum(c, CORE_TIME), busy: t.coreNum(c, CORE_BUSY) })),
    channels: channels.read(),
    vms: active.map((i, logical) => vmSnapshot(t, i, logical)),
  };
}

/** Counters cover both slots of an updatable VM; state and readiness are the serving slot's. */
function vmSnapshot(t: SystemTables, i: number, logical: number): VmSnapshot {
  const vm = t.layout.vms[i];
  const slots = vm.twin < 0 ? [i] : [i, vm.twin];
  const latency = LatencyHistogram.create();
  let instructions = 0, interrupts = 0, violations = 0;
  for (const slot of slots) {
    const s = t.layout.vms[slot];
    for (let k = 0; k < s.vcpus; k++) {
      const v = s.firstVcpu + k;
      latency.merge(t.latency[v]);
      instructions += t.vcpuNum(v, VCPU_INSTRET);
      interrupts += t.vcpuNum(v, VCPU_INTERRUPTS);
      violations += t.vcpuNum(v, VCPU_VIOLATIONS);
    }
  }
  const ready = t.vmInt(i, VM_READY);
  return {
    name: vm.name,
    state: VM_STATE_NAMES[t.vmState(i)],
    cores: vm.placement.length > 0 ? vm.placement : vm.affinity,
    priority: vm.priority,
    instructions,
    interrupts,
    violations,
    restarts: slots.reduce((sum, slot) => sum + t.vmInt(slot, VM_RESTARTS), 0),
    faults: slots.reduce((sum, slot) => sum + t.vmInt(slot, VM_FAULTS), 0),
    ...(vm.twin < 0 ? {} : { slot: slotName(i, logical) }),
    exitCode: t.vmInt(i, VM_EXIT_CODE),
    ready: ready === 0 ? null : ready - 1,
    latency: latency.snapshot().toJSON(),
  };
}
