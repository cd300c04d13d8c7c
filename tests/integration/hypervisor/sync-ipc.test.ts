// Synchronous IPC through the hypervisor between two VMs: CALL/REPLY and one-way SEND, on one core and across two.

import { describe, expect, it } from 'vitest';
import { guest, runScenario, scenario } from './run-scenario.js';

const pair = (client: string, cores: number, server = 'ipc-sync') => scenario({
  name: `sync-${client}-${cores}`, cores, memory: '16M', scheduler: { policy: 'fixed-priority' },
  vms: [
    { name: client, guest: guest('ipc-sync'), ram: '1M', affinity: [0] },
    { name: 'server', guest: guest(server), ram: '1M', affinity: [cores - 1] },
  ],
  channels: [{ name: 'rpc', size: '4K', endpoints: [{ vm: client, address: '0x90000000', irq: 32 }, { vm: 'server', address: '0x90000000', irq: 32 }] }],
});

describe('synchronous IPC', () => {
  for (const cores of [1, 2]) {
    it(`answers 10,000 calls of 8 registers in order on ${cores} core(s), and refuses bad channels, lengths and stray replies`, async () => {
      const run = await runScenario(pair('caller', cores));
      expect(run.consoles.caller).toMatch(/ipc-sync: 10000 calls answered; round trip min \d+ avg \d+ max \d+ cycles/);
      expect(run.consoles.server).toContain('ipc-sync: 10000 messages received in order, none corrupted');
      expect(run.snapshot.vms.map((v) => v.state)).toEqual(['exited', 'exited']);
      const [request, reply] = run.snapshot.channels[0].flows;
      // 10,000 requests plus the end message; every request answered.
      expect(request).toMatchObject({ from: 'caller', to: 'server', messages: 10_001, syncMessages: 10_001, bytes: 10_000 * 32 + 4 });
      expect(reply).toMatchObject({ from: 'server', to: 'caller', messages: 10_000, syncMessages: 10_000, bytes: 10_000 * 32 });
      expect(request.latency.count).toBe(10_001);
      expect(reply.latency.count).toBe(10_000);
      expect(run.snapshot.channels[0].doorbells).toEqual([0, 0]);
    });

    it(`streams 10,000 one-way messages that the server checks on ${cores} core(s)`, async () => {
      const run = await runScenario(pair('sender', cores));
      expect(run.consoles.sender).toContain('ipc-sync: 10000 messages sent');
      expect(run.consoles.server).toContain('ipc-sync: 10000 messages received in order, none corrupted');
      expect(run.snapshot.channels[0].flows[1].messages).toBe(0);
    });
  }

  it('one core: a round trip costs two vCPU switches and the guest and the hypervisor agree on the latency', async () => {
    const run = await runScenario(pair('caller', 1));
    const m = /round trip min (\d+) avg (\d+) max (\d+)/.exec(run.consoles.caller)!;
    // The model charges switchCost (100 cycles) per switch: two per round trip, plus the instructions.
    expect(Number(m[1])).toBeGreaterThanOrEqual(200);
    expect(Number(m[3])).toBeLessThan(2000);
    const [request, reply] = run.snapshot.channels[0].flows;
    expect(request.latency.min).toBeGreaterThanOrEqual(100);
    expect(reply.latency.max).toBeLessThan(Number(m[3]));
  });

  it('a call to a VM that has exited fails with EPIPE instead of blocking forever', async () => {
    const run = await runScenario(pair('caller', 1, 'hello'));
    expect(run.consoles.caller).toContain('ipc-sync: call 0 failed with -32');
    expect(run.snapshot.vms.map((v) => v.state)).toEqual(['halted', 'exited']);
  });
});
