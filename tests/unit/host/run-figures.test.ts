import { describe, expect, it } from 'vitest';
import { runFigures } from '../../../engine/host/run-figures.js';
import type { SystemSnapshot, VmSnapshot } from '../../../engine/host/system.js';
import type { ChannelFlow } from '../../../engine/system/channel-metrics.js';
import { LatencyHistogram } from '../../../engine/metrics/latency-histogram.js';

function histogram(...values: number[]) {
  const h = LatencyHistogram.create();
  for (const v of values) h.record(v);
  return h.toJSON();
}

function vm(name: string, instructions: number, ...latencies: number[]): VmSnapshot {
  return {
    name, state: 'running', cores: [0], priority: 0, instructions, interrupts: latencies.length, violations: 0, restarts: 0, faults: 0,
    exitCode: 0, ready: null, latency: histogram(...latencies),
  };
}

function flow(messages: number, bytes: number, ...latencies: number[]): ChannelFlow {
  return { from: 'a', to: 'b', messages, bytes, queueDepth: 0, doorbellsRung: 0, doorbellsSuppressed: 0, syncMessages: messages, latency: histogram(...latencies), latencyRejected: 0 };
}

const snapshot: SystemSnapshot = {
  time: 200_000_000, virtualSeconds: 2, wallSeconds: 9,
  cores: [{ time: 200_000_000, busy: 150_000_000 }, { time: 200_000_000, busy: 50_000_000 }],
  vms: [vm('a', 300_000_000, 10, 20, 30), vm('b', 100_000_000, 1000)],
  channels: [{ name: 'rpc', endpoints: ['a', 'b'], doorbells: [0, 0], flows: [flow(600, 19_200, 500, 700), flow(400, 12_800, 600)] }],
};

describe('runFigures', () => {
  const f = runFigures(snapshot, 2, 3, 2);

  it('counts MIPS over the wall time of the run, in total and per VM', () => {
    expect(f.instructions).toBe(400_000_000);
    expect(f.mips).toBe(200);
    expect(f.vms.map((v) => v.mips)).toEqual([150, 50]);
  });

  it('takes host CPU over wall time times host CPUs, and core load from busy cycles', () => {
    expect(f.hostCpuUtilisation).toBe(0.75);
    expect(f.coreUtilisation).toBe(0.5);
  });

  it('merges interrupt latency over the VMs and IPC over both directions', () => {
    expect(f.latency).toMatchObject({ count: 4, min: 10, max: 1000, p50: 20 });
    expect(f.ipc).toMatchObject({ messages: 1000, bytes: 32_000, messagesPerWallSecond: 500, messagesPerVirtualSecond: 500, bytesPerWallSecond: 16_000 });
    expect(f.ipc.latency).toMatchObject({ count: 3, min: 500, max: 700 });
    expect(f.channels[0]).toMatchObject({ name: 'rpc', messages: 1000 });
  });
});
