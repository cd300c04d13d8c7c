// Firmware over the air: a running server VM is replaced by a new version in its A/B slot while a
// client keeps calling it; every call is answered exactly once across the switch, and a bad update
// rolls back with the old version still serving.

import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LifecycleError, type System } from '../../../engine/host/system.js';
import { UpdateError } from '../../../engine/system/over-the-air.js';
import { guest, runScenario, scenario } from './run-scenario.js';

const service = (cores: number) => scenario({
  name: `fota-${cores}`, cores, memory: '16M', scheduler: { policy: 'fixed-priority' },
  vms: [
    { name: 'caller', guest: guest('ipc-sync-long'), ram: '1M', affinity: [0], priority: 1 },
    { name: 'server', guest: guest('ipc-sync'), ram: '1M', affinity: [cores - 1], priority: 2, updatable: true },
    { name: 'plain', guest: guest('hello'), ram: '1M', affinity: [0] },
  ],
  channels: [{ name: 'rpc', size: '4K', endpoints: [{ vm: 'caller', address: '0x90000000', irq: 32 }, { vm: 'server', address: '0x90000000', irq: 32 }] }],
});

/** Resolves when `vm` has printed `count` more progress lines than it had when called. */
function progress(consoles: () => Record<string, string>, vm: string, count: number, system: System): Promise<void> {
  const lines = () => (consoles()[vm] ?? '').split('\n').filter((l) => / calls answered$/.test(l)).length;
  const target = lines() + count;
  return new Promise((resolve, reject) => {
    const check = () => {
      if (lines() >= target) resolve();
      else if (system.failed().length > 0) reject(new Error(`a VM failed: ${system.failed().join(', ')}`));
      else setImmediate(check);
    };
    check();
  });
}

describe('firmware over the air', () => {
  for (const cores of [1, 2]) {
    it(`switches a serving VM to its new version on ${cores} core(s): every call answered once, downtime within 100 us`, async () => {
      const consoles: Record<string, string> = {};
      let report;
      const run = await runScenario(service(cores), {
        onConsole: (vm, bytes) => { consoles[vm] = (consoles[vm] ?? '') + Buffer.from(bytes).toString('latin1'); },
      }, async (system) => {
        await progress(() => consoles, 'caller', 2, system);
        report = await system.update('server', guest('ipc-sync-v2'));
        await progress(() => consoles, 'caller', 2, system);
        expect(system.snapshot().vms[1]).toMatchObject({ state: 'running', slot: 'b' });
        // And back: the next update boots into slot a.
        await expect(system.update('server', guest('ipc-sync'))).resolves.toMatchObject({ slot: 'a' });
        await progress(() => consoles, 'caller', 1, system);
        system.stop();
      });
      const caller = run.consoles.caller;
      const server = run.consoles.server;
      expect(server).toContain('ipc-sync: server version 1 ready');
      expect(server).toContain('ipc-sync: server version 2 ready');
      expect(server.match(/server version 1 ready/g)).toHaveLength(2);
      // The client checks each reply against its request: a lost or repeated answer would stop it.
      expect(caller).not.toMatch(/failed|corrupted|has seq/);
      expect(server).not.toMatch(/expected|corrupted|failed/);
      expect(report).toMatchObject({ vm: 'server', slot: 'b' });
      expect(report!.downtimeMicroseconds).toBeLessThanOrEqual(100);
      const [requests, replies] = run.snapshot.channels[0].flows;
      expect(requests.messages - replies.messages).toBeLessThanOrEqual(1); // at most the call in flight at the stop
      expect(run.events.filter((e) => e.vm === 'server').map((e) => e.kind)).toEqual(['started', 'ready', 'update-started', 'ready', 'update-switched', 'update-started', 'ready', 'update-switched']);
      expect(run.snapshot.vms.map((v) => v.name)).toEqual(['caller', 'server', 'plain']);
    });
  }

  it('rolls back when the new version faults, is not ready in time, or the image is bad; the old version keeps serving', async () => {
    const consoles: Record<string, string> = {};
    const notElf = join(tmpdir(), `tessera-not-elf-${process.pid}.bin`);
    writeFileSync(notElf, 'this is not an ELF file\n');
    const run = await runScenario(service(2), {
      onConsole: (vm, bytes) => { consoles[vm] = (consoles[vm] ?? '') + Buffer.from(bytes).toString('latin1'); },
    }, async (system) => {
      await progress(() => consoles, 'caller', 1, system);
      await expect(system.update('server', guest('fail'))).rejects.toThrow(/^update of 'server' rolled back: the new version faulted before it took over; the old version keeps running$/);
      await expect(system.update('server', guest('spin'), { readyTimeout: 2_000_000 })).rejects.toThrow(/did not report ready within 2000000 cycles/);
      await expect(system.update('server', notElf)).rejects.toThrow(UpdateError);
      await expect(system.update('server', notElf)).rejects.toThrow(/^update image .*not-elf.*: /);
      await expect(system.update('server', 'guests/bin/no-such.elf')).rejects.toThrow(/cannot read guests\/bin\/no-such\.elf: no such file/);
      await expect(system.update('nobody', guest('ipc-sync-v2'))).rejects.toThrow(LifecycleError);
      await expect(system.update('plain', guest('ipc-sync-v2'))).rejects.toThrow(/'plain' is not updatable/);
      await system.command('server', 'pause');
      await expect(system.update('server', guest('ipc-sync-v2'))).rejects.toThrow(/^cannot update 'server': it is paused, not running$/);
      await system.command('server', 'resume');
      await progress(() => consoles, 'caller', 2, system);
      system.stop();
    });
    expect(run.consoles.caller).not.toMatch(/failed|corrupted|has seq/);
    const kinds = run.events.filter((e) => e.vm === 'server').map((e) => e.kind);
    expect(kinds.filter((k) => k === 'update-rolled-back')).toHaveLength(2);
  });
});

describe('an update to a version that never serves its channel', () => {
  it('reports the downtime so far as a lower bound and names the channel still waiting', async () => {
    let report;
    const run = await runScenario(service(1), {}, async (system) => {
      // rt-timer reports ready and then only keeps its deadlines: it never uses `rpc`. The timeout
      // also bounds the wait for a quiet moment of the old version, which the host looks for once a
      // poll: it must span many polls however fast the cores run (0.2 s of virtual time).
      report = await system.update('server', guest('rt-timer'), { readyTimeout: 20_000_000 });
      system.stop();
    });
    expect(report).toMatchObject({ vm: 'server', slot: 'b', unservedChannels: ['rpc'] });
    expect(report!.downtimeCycles).toBeGreaterThanOrEqual(20_000_000);
    const switched = run.events.find((e) => e.vm === 'server' && e.kind === 'update-switched');
    expect(switched?.detail).toMatch(/^now serving from slot b; downtime \d+ cycles \([\d.]+ us\) so far: the new version has not yet used channel rpc$/);
  });
});

describe('an update in a system whose virtual time stands still', () => {
  it('rolls back instead of waiting for ever when no vCPU runs or has anything due', async () => {
    const s = scenario({
      name: 'idle', cores: 1, memory: '4M', scheduler: { policy: 'fixed-priority' },
      vms: [{ name: 'solo', guest: guest('park'), ram: '1M', updatable: true }],
    });
    const run = await runScenario(s, {}, async (system) => {
      // park.elf: every hart waits in WFI with nothing enabled, in the old version and the new one.
      await expect(system.update('solo', guest('park'))).rejects.toThrow(/^update of 'solo' rolled back: virtual time stood still: no vCPU runs or has anything due, so the new version cannot report ready; the old version keeps running$/);
      system.stop();
    });
    expect(run.snapshot.vms[0].state).toBe('running');
  });
});
