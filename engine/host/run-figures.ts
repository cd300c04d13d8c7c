// Runs a System to its end and turns what it measured into the figures of one sweep run.

import type { ChannelRunFigures, SweepRun } from '../experiment/sweep-record.js';
import { summariseLatency } from '../metrics/latency-summary.js';
import type { System, SystemSnapshot } from './system.js';

export type RunFigures = Pick<SweepRun,
  'wallSeconds' | 'virtualSeconds' | 'instructions' | 'mips' | 'hostCpuUtilisation' | 'coreUtilisation' | 'latency' | 'vms' | 'ipc' | 'channels'>;

/** Runs `system` (already created) and measures wall time and the process's CPU time around run(). */
export async function measureRun(system: System, hostCpus: number): Promise<RunFigures> {
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  const snapshot = await system.run();
  const wallSeconds = (performance.now() - wallBefore) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  return runFigures(snapshot, wallSeconds, (cpu.user + cpu.system) / 1e6, hostCpus);
}

export function runFigures(snapshot: SystemSnapshot, wallSeconds: number, cpuSeconds: number, hostCpus: number): RunFigures {
  const wallMicros = Math.max(wallSeconds, 1e-9) * 1e6;
  const virtualSeconds = snapshot.virtualSeconds;
  const vms = snapshot.vms.map((vm) => ({
    name: vm.name,
    instructions: vm.instructions,
    mips: vm.instructions / wallMicros,
    interrupts: vm.interrupts,
    latency: summariseLatency([vm.latency]),
  }));
  const instructions = vms.reduce((sum, vm) => sum + vm.instructions, 0);
  const channels: ChannelRunFigures[] = snapshot.channels.map((c) => {
    const messages = c.flows[0].messages + c.flows[1].messages;
    const bytes = c.flows[0].bytes + c.flows[1].bytes;
    return { name: c.name, ...rates(messages, bytes, wallSeconds, virtualSeconds), latency: summariseLatency(c.flows.map((f) => f.latency)) };
  });
  const messages = channels.reduce((sum, c) => sum + c.messages, 0);
  const bytes = channels.reduce((sum, c) => sum + c.bytes, 0);
  const busy = snapshot.cores.reduce((sum, c) => sum + c.busy, 0);
  const coreTime = snapshot.cores.reduce((sum, c) => sum + c.time, 0);
  return {
    wallSeconds,
    virtualSeconds,
    instructions,
    mips: instructions / wallMicros,
    hostCpuUtilisation: cpuSeconds / (Math.max(wallSeconds, 1e-9) * hostCpus),
    coreUtilisation: coreTime > 0 ? Math.min(1, busy / coreTime) : 0,
    latency: summariseLatency(snapshot.vms.map((vm) => vm.latency)),
    vms,
    ipc: { ...rates(messages, bytes, wallSeconds, virtualSeconds), latency: summariseLatency(snapshot.channels.flatMap((c) => c.flows.map((f) => f.latency))) },
    channels,
  };
}

function rates(messages: number, bytes: number, wallSeconds: number, virtualSeconds: number) {
  return {
    messages,
    bytes,
    messagesPerWallSecond: wallSeconds > 0 ? messages / wallSeconds : 0,
    messagesPerVirtualSecond: virtualSeconds > 0 ? messages / virtualSeconds : 0,
    bytesPerWallSecond: wallSeconds > 0 ? bytes / wallSeconds : 0,
  };
}
