// Samples from engine snapshots: channels keep their endpoints, doorbells and both flows, copied.

import { describe, expect, it } from 'vitest';
import type { ChannelSnapshot } from '../../engine/system/channel-metrics.js';
import { channelSample } from '../../app/host/sample-builder.js';

const latency = { count: 1, min: 7, avg: 7, max: 7, p50: 7, p99: 7, p999: 7, buckets: [[7, 1]] as [number, number][] };
const flow = { from: 'rich', to: 'pin', messages: 5, bytes: 80, queueDepth: 1, doorbellsRung: 2, doorbellsSuppressed: 3, syncMessages: 5, latency, latencyRejected: 0 };

describe('channelSample', () => {
  it('carries the endpoints, the doorbells and both flows', () => {
    const raw: ChannelSnapshot = { name: 'pin', endpoints: ['rich', 'pin'], doorbells: [2, 0], flows: [flow, { ...flow, from: 'pin', to: 'rich', messages: 4 }] };
    const sample = channelSample(raw);
    expect(sample).toEqual({ name: 'pin', endpoints: ['rich', 'pin'], doorbells: [2, 0], flows: [flow, { ...flow, from: 'pin', to: 'rich', messages: 4 }] });
  });

  it('copies what it carries: a later snapshot does not change an earlier sample', () => {
    const raw: ChannelSnapshot = { name: 'pin', endpoints: ['rich', 'pin'], doorbells: [2, 0], flows: [{ ...flow }, { ...flow }] };
    const sample = channelSample(raw);
    raw.doorbells[0] = 99;
    raw.flows[0].messages = 99;
    expect(sample.doorbells[0]).toBe(2);
    expect(sample.flows?.[0].messages).toBe(5);
  });
});
