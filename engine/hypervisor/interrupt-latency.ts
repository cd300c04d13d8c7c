// Interrupt latency as the hypervisor measures it: for every interrupt a vCPU takes, the cycles from
// "became pending" (the timer deadline, the software-interrupt or doorbell write) to its handler.

import { Interrupt } from '../cores/trap-cause.js';
import type { TraceRing } from '../metrics/trace-ring.js';
import {
  VCPU_EXT_FLOW_AT, VCPU_EXT_FLOW_SEQ, VCPU_EXT_FLOW_SLOT, VCPU_EXT_SINCE, VCPU_INTERRUPTS, type SystemTables,
} from './system-tables.js';
import { TraceKind } from './trace-kinds.js';

/** Where the interrupt a slice began with came from, as read before the slice ran. */
export interface PendingSince {
  /** The vCPU's timer deadline (cycles). */
  timer: number;
  /** Its stimecmp deadline under Sstc (cycles), else Infinity. */
  stimer: number;
  /** When its software interrupt became pending, + 1 (0: unknown). */
  msip: number;
  /** When an external interrupt (a doorbell) became pending, + 1 (0: unknown). */
  external: number;
}

const isExternal = (irq: number) => irq === Interrupt.MachineExternal || irq === Interrupt.SupervisorExternal;

/** Records the latency of interrupt `irq`, taken by `vcpu` at the start of a slice at `start`. */
export function recordLatency(t: SystemTables, vcpu: number, irq: number, start: number, since: PendingSince, trace: TraceRing | undefined): void {
  let pendingAt = start;
  // Under Sstc the S-mode timer counts from stimecmp. Otherwise, under an SBI (built in or the
  // guest's own), the S-mode timer and software interrupts are the CLINT's, passed on by M-mode:
  // they count from the same deadline or msip write.
  if (irq === Interrupt.SupervisorTimer && since.stimer <= start) pendingAt = since.stimer;
  else if (irq === Interrupt.MachineTimer || (irq === Interrupt.SupervisorTimer && since.timer <= start)) pendingAt = since.timer;
  else if ((irq === Interrupt.MachineSoftware || irq === Interrupt.SupervisorSoftware) && since.msip > 0) pendingAt = since.msip - 1;
  else if (isExternal(irq) && since.external > 0) pendingAt = since.external - 1;
  if (isExternal(irq)) t.setVcpuNum(vcpu, VCPU_EXT_SINCE, 0);
  const latency = Math.max(0, Math.round(start - pendingAt));
  t.latency[vcpu].record(latency);
  t.setVcpuNum(vcpu, VCPU_INTERRUPTS, t.vcpuNum(vcpu, VCPU_INTERRUPTS) + 1);
  if (trace === undefined) return;
  trace.push(start, TraceKind.Interrupt, vcpu, irq, latency);
  if (isExternal(irq)) doorbellTaken(t, trace, vcpu, start);
}

/**
 * While tracing: the vCPU took an external interrupt at `at`, which ends the flow of the doorbell
 * pending on it, if any; never before that doorbell rang (+ 1 cycle), as the cores' clocks run up
 * to a quantum apart.
 */
export function doorbellTaken(t: SystemTables, trace: TraceRing, vcpu: number, at: number): void {
  const seq = t.vcpuNum(vcpu, VCPU_EXT_FLOW_SEQ);
  if (seq === 0) return;
  trace.push(Math.max(at, t.vcpuNum(vcpu, VCPU_EXT_FLOW_AT)), TraceKind.DoorbellTake, vcpu, t.vcpuNum(vcpu, VCPU_EXT_FLOW_SLOT), seq);
  t.setVcpuNum(vcpu, VCPU_EXT_FLOW_SEQ, 0);
}
