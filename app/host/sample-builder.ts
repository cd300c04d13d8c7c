// Turns the engine's snapshot into the monitor's sample, tolerating the fields older engines lack.

import type { SystemLayout } from '../../engine/hypervisor/system-tables.js';
import type { SystemSnapshot } from '../../engine/host/system.js';
import type { ChannelFlowSample, ChannelSample, MonitorEvent, MonitorSample, RunSpan } from '../shared/monitor-types.js';

/** The channel fields newer engines add to a snapshot (per-direction message counters). */
interface ChannelWithFlows {
  endpoints?: unknown;
  flows?: unknown;
}

function isFlow(value: unknown): value is ChannelFlowSample {
  if (typeof value !== 'object' || value === null) return false;
  const flow = value as Record<string, unknown>;
  return typeof flow.from === 'string' && typeof flow.to === 'string' && typeof flow.messages === 'number' && typeof flow.bytes === 'number';
}

/** A channel of the snapshot with its endpoint names, and its flows when the engine measures them. */
export function channelSample(raw: SystemSnapshot['channels'][number], layout: SystemLayout, index: number): ChannelSample {
  const extra = raw as typeof raw & ChannelWithFlows;
  const fromLayout = layout.channels[index]?.endpoints.map((e) => layout.vms[e.vm]?.name ?? '?') ?? ['?', '?'];
  const endpoints = Array.isArray(extra.endpoints) && extra.endpoints.length === 2 && extra.endpoints.every((e) => typeof e === 'string')
    ? (extra.endpoints as [string, string])
    : [fromLayout[0], fromLayout[1]] as [string, string];
  const sample: ChannelSample = { name: raw.name, endpoints, doorbells: [raw.doorbells[0], raw.doorbells[1]] };
  if (Array.isArray(extra.flows) && extra.flows.length === 2 && extra.flows.every(isFlow)) {
    sample.flows = [extra.flows[0], extra.flows[1]] as [ChannelFlowSample, ChannelFlowSample];
  }
  return sample;
}

export interface SampleExtras {
  seq: number;
  runs: RunSpan[] | undefined;
  console: { vm: string; text: string }[];
  events: MonitorEvent[];
}

export function buildSample(snapshot: SystemSnapshot, layout: SystemLayout, extras: SampleExtras): MonitorSample {
  return {
    seq: extras.seq,
    time: snapshot.time,
    virtualSeconds: snapshot.virtualSeconds,
    wallSeconds: snapshot.wallSeconds,
    vms: snapshot.vms.map((vm) => ({ ...vm, cores: [...vm.cores] })),
    cores: snapshot.cores.map((c) => ({ time: c.time, busy: c.busy })),
    channels: snapshot.channels.map((c, i) => channelSample(c, layout, i)),
    ...(extras.runs !== undefined ? { runs: extras.runs } : {}),
    console: extras.console,
    events: extras.events,
  };
}
