// What a core does when a vCPU's devices call on the hypervisor (VcpuEvents): exits and resets,
// the watchdog, readiness, yields, software interrupts, doorbells, latency reports and IPC. Each
// runs on the accessing vCPU's core, inside its store, at that vCPU's virtual time.

import type { TraceRing } from '../metrics/trace-ring.js';
import type { FaultPolicy } from './fault-policy.js';
import type { IpcOp } from './sync-ipc.js';
import {
  VCPU_EXT_FLOW_AT, VCPU_EXT_FLOW_SEQ, VCPU_EXT_FLOW_SLOT, VCPU_EXT_SINCE, VCPU_LAST_RUN, VCPU_MSIP_SINCE, VM_EXIT_CODE, VM_EXIT_VCPU,
  VM_READY, VM_WATCHDOG_DEADLINE, type SystemTables,
} from './system-tables.js';
import { FaultKind, TraceKind } from './trace-kinds.js';
import type { VcpuEvents } from './vcpu-space.js';
import { VmState } from './vm-state.js';

/** The core the events happen on. */
export interface EventCore {
  readonly core: number;
  readonly tables: SystemTables;
  readonly faults: FaultPolicy;
  /** Virtual time at the instruction being executed. */
  liveTime(): number;
  /** The vCPU running now, or -1. */
  current(): number;
  /** This core's trace ring while tracing is on, else undefined. */
  traceRing(): TraceRing | undefined;
}

export function coreEvents(c: EventCore): VcpuEvents {
  const t = c.tables;
  return {
    exit(vcpu, code) {
      const vm = t.vmOf[vcpu];
      t.setVmInt(vm, VM_EXIT_CODE, code);
      t.setVmInt(vm, VM_EXIT_VCPU, vcpu - t.layout.vms[vm].firstVcpu);
      if (code !== 0 && t.layout.vms[vm].hypervisor) c.faults.fault(vm, FaultKind.TestDeviceFailure, code, c.liveTime());
      else if (t.casVmState(vm, VmState.Running, VmState.Exited)) t.lifecycle[c.core].push(c.liveTime(), TraceKind.Exit, vm, code, 0);
    },
    reset(vm) {
      c.faults.guestReset(vm, c.liveTime());
    },
    kick(vm) {
      const period = t.layout.vms[vm].watchdog;
      if (period > 0) t.setVmNum(vm, VM_WATCHDOG_DEADLINE, c.liveTime() + period);
    },
    ready(vm, code) {
      t.setVmInt(vm, VM_READY, code + 1);
      t.lifecycle[c.core].push(c.liveTime(), TraceKind.Ready, vm, code, 0);
    },
    yield(vcpu) {
      // Least-recently-run goes first among equals: make this one the most recent.
      t.setVcpuNum(vcpu, VCPU_LAST_RUN, c.liveTime() + 1);
    },
    ring(channel, endpoint, irq) {
      t.ringDoorbell(channel * 2 + endpoint);
      t.ipc.noteActive(channel, endpoint, t.vmOf[c.current()], c.liveTime());
      const peerVm = t.ipc.owner(channel, 1 - endpoint);
      const plic = t.plics[peerVm];
      // A doorbell is an edge: pulse the line. A storm only re-pends a pending source (counted, harmless).
      const raised = plic.setLine(irq, true);
      plic.setLine(irq, false);
      if (!raised) return;
      const vm = t.layout.vms[peerVm];
      const now = c.liveTime() + 1;
      // While tracing, the doorbell is a flow from here to the peer vCPU that takes the interrupt.
      const trace = c.traceRing();
      const slot = channel * 2 + endpoint;
      const seq = trace === undefined ? 0 : t.nextDoorbellSeq(slot);
      trace?.push(now - 1, TraceKind.DoorbellRing, c.current(), slot, seq);
      for (let i = 0; i < vm.vcpus; i++) {
        const v = vm.firstVcpu + i;
        // Each vCPU keeps the first doorbell it has not taken yet (a guest that wakes from WFI
        // without trapping never clears VCPU_EXT_SINCE, so the flow has its own word).
        if (trace !== undefined && t.vcpuNum(v, VCPU_EXT_FLOW_SEQ) === 0) {
          t.setVcpuNum(v, VCPU_EXT_FLOW_SLOT, slot);
          t.setVcpuNum(v, VCPU_EXT_FLOW_AT, now);
          t.setVcpuNum(v, VCPU_EXT_FLOW_SEQ, seq);
        }
        if (t.vcpuNum(v, VCPU_EXT_SINCE) === 0) t.setVcpuNum(v, VCPU_EXT_SINCE, now);
      }
      t.wakeAllCores(now);
    },
    sentAt(flow, cycleLow) {
      // Only a figure, and written by a guest: never trusted. The send time is taken as the one
      // within 2^31 cycles of now whose low 32 bits the guest gave. Cores keep their clocks in step
      // only loosely, so a message from a core that is ahead may look sent in the future: that
      // counts as 0 cycles. A send time before the channel existed (the system's start) or later
      // than any core has reached (plus the slice in progress) cannot be true: it is rejected.
      const now = Math.floor(c.liveTime());
      const age = (now - cycleLow) | 0;
      const sentAt = now - age;
      if (sentAt < 0 || sentAt > t.now() + t.layout.quantum + t.layout.switchCost) Atomics.add(t.latencyRejected, flow, 1);
      // The direction's histogram has one writer at a time: whoever holds the channel's lock (IPC records under it too).
      else t.ipc.withLock(flow >> 1, () => t.channelLatency[flow].record(Math.max(0, age)));
    },
    ipc(vcpu, op: IpcOp, channel, endpoint) {
      t.ipc.operate(vcpu, op, channel, endpoint, c.liveTime(), c.traceRing());
    },
    poke(vcpu) {
      // Remember when a software interrupt became pending (stored + 1; 0 = not pending).
      const vm = t.vmOf[vcpu];
      const pending = t.clints[vm].msip(vcpu - t.layout.vms[vm].firstVcpu);
      if (!pending) t.setVcpuNum(vcpu, VCPU_MSIP_SINCE, 0);
      else if (t.vcpuNum(vcpu, VCPU_MSIP_SINCE) === 0) t.setVcpuNum(vcpu, VCPU_MSIP_SINCE, c.liveTime() + 1);
      t.wakeAllCores(c.liveTime());
    },
  };
}
