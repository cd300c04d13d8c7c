// Samples from engine snapshots of either shape: channels with doorbells only, or with flows.

import { describe, expect, it } from 'vitest';
import type { SystemLayout } from '../../engine/hypervisor/system-tables.js';
import type { SystemSnapshot } from '../../engine/host/system.js';
import { channelSample } from '../../app/host/sample-builder.js';
import { ConsoleBuffer, MAX_CONSOLE_CHARS_PER_SAMPLE } from '../../app/host/console-buffer.js';
import { runSpans } from '../../app/host/trace-feed.js';

const layout = {
  vms: [{ name: 'rich' }, { name: 'pin' }],
  channels: [{ name: 'pin', physicalBase: 0, size: 4096, endpoints: [{ vm: 1 }, { vm: 0 }] }],
} as unknown as SystemLayout;
type RawChannel = SystemSnapshot['channels'][number];

describe('channelSample', () => {
  it('names the endpoints from the layout when the engine reports doorbells only', () => {
    expect(channelSample({ name: 'pin', doorbells: [3, 4] } as unknown as RawChannel, layout, 0)).toEqual({ name: 'pin', endpoints: ['pin', 'rich'], doorbells: [3, 4] });
  });

  it('keeps well-formed flows, and drops malformed ones', () => {
    const flow = { from: 'pin', to: 'rich', messages: 5, bytes: 80, queueDepth: 1, doorbellsRung: 2, doorbellsSuppressed: 3, syncMessages: 0, latency: { count: 0 } };
    const withFlows = channelSample({ name: 'pin', endpoints: ['pin', 'rich'], doorbells: [2, 0], flows: [flow, { ...flow, from: 'rich', to: 'pin' }] } as unknown as RawChannel, layout, 0);
    expect(withFlows.flows?.map((f) => f.messages)).toEqual([5, 5]);
    const broken = channelSample({ name: 'pin', endpoints: ['pin', 'rich'], doorbells: [2, 0], flows: [flow, { messages: 'many' }] } as unknown as RawChannel, layout, 0);
    expect(broken.flows).toBeUndefined();
  });
});

describe('ConsoleBuffer', () => {
  it('collects each VM\'s text between samples', () => {
    const buffer = new ConsoleBuffer();
    buffer.add('a', new TextEncoder().encode('hel'));
    buffer.add('b', Uint8Array.of(0xe9));
    buffer.add('a', new TextEncoder().encode('lo\n'));
    expect(buffer.drain()).toEqual([{ vm: 'a', text: 'hello\n' }, { vm: 'b', text: 'é' }]);
    expect(buffer.drain()).toEqual([]);
  });

  it('keeps the newest text of a flood, and says how much it dropped', () => {
    const buffer = new ConsoleBuffer();
    buffer.add('a', new Uint8Array(MAX_CONSOLE_CHARS_PER_SAMPLE + 10).fill(0x41));
    const [{ text }] = buffer.drain();
    expect(text.startsWith('[10 characters not shown]\n')).toBe(true);
    expect(text.length).toBe(MAX_CONSOLE_CHARS_PER_SAMPLE + '[10 characters not shown]\n'.length);
  });
});

describe('runSpans', () => {
  it('keeps the vCPU runs of a trace', () => {
    expect(runSpans([
      { time: 10, core: 1, kind: 'run', vm: 'pin', vcpu: 0, a: 30, b: 0 },
      { time: 12, core: 1, kind: 'interrupt', vm: 'pin', vcpu: 0, a: 7, b: 100 },
    ])).toEqual([{ core: 1, vm: 'pin', vcpu: 0, start: 10, end: 30 }]);
  });
});
