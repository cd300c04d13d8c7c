// Turns the engine's snapshot into the monitor's sample. Typed field by field, so a change of the
// engine's snapshot that the page's wire types do not follow fails to compile here.

import type { ChannelSnapshot } from '../../engine/system/channel-metrics.js';
import type { SystemSnapshot } from '../../engine/host/system.js';
import type { ChannelFlowSample, ChannelSample, MonitorEvent, MonitorSample, RunSpan } from '../shared/monitor-types.js';

/** A channel of the snapshot: endpoint names, doorbells and both flows. */
export function channelSample(raw: ChannelSnapshot): ChannelSample {
  const flow = (f: ChannelSnapshot['flows'][number]): ChannelFlowSample => ({ ...f });
  return { name: raw.name, endpoints: [raw.endpoints[0], raw.endpoints[1]], doorbells: [raw.doorbells[0], raw.doorbells[1]], flows: [flow(raw.flows[0]), flow(raw.flows[1])] };
}

export interface SampleExtras {
  seq: number;
  runs: RunSpan[] | undefined;
  console: { vm: string; text: string }[];
  events: MonitorEvent[];
}

export function buildSample(snapshot: SystemSnapshot, extras: SampleExtras): MonitorSample {
  return {
    seq: extras.seq,
    time: snapshot.time,
    virtualSeconds: snapshot.virtualSeconds,
    wallSeconds: snapshot.wallSeconds,
    vms: snapshot.vms.map((vm) => ({ ...vm, cores: [...vm.cores] })),
    cores: snapshot.cores.map((c) => ({ time: c.time, busy: c.busy })),
    channels: snapshot.channels.map(channelSample),
    ...(extras.runs !== undefined ? { runs: extras.runs } : {}),
    console: extras.console,
    events: extras.events,
  };
}
