// Inter-VM channels: a shared window mapped into exactly two VMs, doorbells each way, isolation kept.

import { describe, expect, it } from 'vitest';
import { guest, runScenario, scenario } from './run-scenario.js';

const pingPong = (cores: number) => scenario({
  name: `chan-${cores}`, cores, memory: '16M', scheduler: { policy: 'fixed-priority' },
  vms: [
    { name: 'ping', guest: guest('chan-ping'), ram: '1M', affinity: [0] },
    { name: 'pong', guest: guest('chan-ping'), ram: '1M', affinity: [cores - 1] },
    { name: 'outsider', guest: guest('hostile'), ram: '1M', affinity: [0] },
  ],
  channels: [{
    name: 'pp', size: '4K',
    endpoints: [{ vm: 'ping', address: '0x90000000', irq: 32 }, { vm: 'pong', address: '0xa0000000', irq: 33 }],
  }],
});

describe('inter-VM channels', () => {
  for (const cores of [1, 2]) {
    it(`ping-pongs 10,000 messages through a window and doorbells on ${cores} core(s)`, async () => {
      const run = await runScenario(pingPong(cores));
      expect(run.consoles.ping).toContain('chan-ping: 10000 round trips answered in order');
      expect(run.consoles.pong).toContain('chan-ping: answered 10000 pings');
      expect(run.snapshot.vms.map((v) => v.state)).toEqual(['exited', 'exited', 'exited']);
      // One doorbell per message each way.
      expect(run.snapshot.channels.map((c) => [c.name, c.doorbells])).toEqual([['pp', [10_000, 10_000]]]);
      expect(run.snapshot.channels[0].flows.map((f) => [f.from, f.to, f.doorbellsRung])).toEqual([['ping', 'pong', 10_000], ['pong', 'ping', 10_000]]);
      expect(run.snapshot.vms[0].violations + run.snapshot.vms[1].violations).toBe(0);
      // A third VM on the same cores still faults on every probe outside its own map.
      expect(run.consoles.outsider).toMatch(/hostile: (\d+) probes, \1 faults, 0 leaks/);
    });
  }

  it('streams 100,000 checksummed messages from one VM to another across cores: none lost, duplicated, reordered or corrupted', async () => {
    const run = await runScenario(scenario({
      name: 'stream', cores: 2, memory: '16M', scheduler: { policy: 'partitioned' },
      vms: [{ name: 'producer', guest: guest('ipc-stream'), ram: '1M' }, { name: 'consumer', guest: guest('ipc-stream'), ram: '1M' }],
      channels: [{ name: 'stream', size: '64K', ring: 'producer', endpoints: [{ vm: 'producer', address: '0x90000000', irq: 32 }, { vm: 'consumer', address: '0x90000000', irq: 32 }] }],
    }));
    expect(run.consoles.producer).toContain('ipc-stream: sent 100000 messages\n');
    expect(run.consoles.consumer).toContain('ipc-stream: 100000 messages, 0 lost, 0 duplicated, 0 reordered, 0 corrupted\n');
    expect(run.snapshot.vms.map((v) => v.state)).toEqual(['exited', 'exited']);
    // Notification suppression: far fewer doorbells than messages.
    const [producerRang] = run.snapshot.channels[0].doorbells;
    expect(producerRang).toBeGreaterThan(0);
    expect(producerRang).toBeLessThan(10_000);
    // The ring's metrics: every message and byte delivered (the end marker included), each timed.
    const [forward, back] = run.snapshot.channels[0].flows;
    expect(forward).toMatchObject({ from: 'producer', to: 'consumer', messages: 100_001, queueDepth: 0, syncMessages: 0 });
    expect(forward.bytes).toBeGreaterThan(100_000 * 16);
    expect(forward.bytes).toBeLessThanOrEqual(100_000 * 64 + 16);
    expect(forward.doorbellsSuppressed + forward.doorbellsRung).toBeGreaterThanOrEqual(25_000); // one per publish, batches of 1..4
    expect(forward.latency.count).toBe(100_000);
    expect(forward.latency.avg).toBeGreaterThan(0);
    expect(back).toMatchObject({ from: 'consumer', to: 'producer', messages: 0, latency: expect.objectContaining({ count: 0 }) });
  });
});

describe('a doorbell storm', () => {
  it('is counted, and a real-time VM sharing the core and the channel misses no deadline', async () => {
    const run = await runScenario(scenario({
      name: 'storm', cores: 1, memory: '8M', scheduler: { policy: 'fixed-priority' },
      vms: [
        { name: 'storm', guest: guest('doorbell-storm'), ram: '1M', priority: 1 },
        { name: 'rtos', guest: guest('rt-timer'), ram: '1M', priority: 10 },
      ],
      channels: [{ name: 'abused', size: '4K', endpoints: [{ vm: 'storm', address: '0x90000000', irq: 40 }, { vm: 'rtos', address: '0x90000000', irq: 40 }] }],
    }), { durationCycles: 200_000_000 });
    expect(run.consoles.storm).toContain('doorbell-storm: rang 1000000 times');
    expect(run.snapshot.channels[0].doorbells).toEqual([1_000_000, 0]);
    expect(run.snapshot.channels[0].flows[0].doorbellsRung).toBe(1_000_000);
    expect(run.consoles.rtos).toMatch(/rt-timer: n=1000 min=\d+ avg=[\d.]+ max=\d+ misses=0/);
    expect(run.consoles.rtos).not.toMatch(/misses=[1-9]/);
    expect(run.snapshot.vms[1].latency.max).toBeLessThanOrEqual(1000);
  });
});

describe('latency figures a guest reports', () => {
  it('keeps impossible send times (before the run, in the future) out of the latency and counts them', async () => {
    const run = await runScenario(scenario({
      name: 'forge', cores: 1, memory: '16M', scheduler: { policy: 'fixed-priority' },
      vms: [{ name: 'liar', guest: guest('sent-at-forge'), ram: '1M' }, { name: 'peer', guest: guest('hello'), ram: '1M' }],
      channels: [{ name: 'c', size: '4K', endpoints: [{ vm: 'liar', address: '0x90000000', irq: 32 }, { vm: 'peer', address: '0x90000000', irq: 32 }] }],
    }));
    expect(run.consoles.liar).toContain('sent-at-forge: reported 1 true and 2 impossible send times');
    // SENT_AT on the liar's side times messages the peer sent it: flow peer -> liar.
    const flow = run.snapshot.channels[0].flows[1];
    expect([flow.from, flow.to]).toEqual(['peer', 'liar']);
    expect(flow.latency.count).toBe(1);
    // Sent 1000 cycles before the guest read its clock, reported a few instructions later.
    expect(flow.latency.max).toBeGreaterThanOrEqual(1000);
    expect(flow.latency.max).toBeLessThan(1100);
    expect(flow.latencyRejected).toBe(2);
  });
});
