// Firmware over the air in scenarios/phone.json: the PIN service is replaced by version 2 while the
// rich OS keeps calling it and the baseband keeps its deadlines; a bad image changes nothing.

import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { UpdateReport } from '../../../engine/system/over-the-air.js';
import { runScenario } from '../hypervisor/run-scenario.js';
import { basebandReports, scenarioFile, SECOND, until, vmOf } from './use-case.js';

const answered = (system: { snapshot(): { channels: { flows: { syncMessages: number }[] }[] } }) => system.snapshot().channels[0].flows[1].syncMessages;

describe('phone.json firmware over the air', () => {
  it('switches the PIN service to version 2 with no call lost or answered twice and downtime within 100 us', async () => {
    let report: UpdateReport | undefined;
    const run = await runScenario(scenarioFile('phone.json'), { durationCycles: 60 * SECOND }, async (system) => {
      await until(() => answered(system) >= 30);
      report = await system.update('pin', 'guests/bin/pin-v2.elf');
      const after = answered(system);
      // 40 more: the rich OS prints its totals every 10 calls, so its last line counts at least 60.
      await until(() => answered(system) >= after + 40);
      expect(vmOf(system, 'pin')).toMatchObject({ state: 'running', slot: 'b' });
      system.stop();
    });
    expect(report).toMatchObject({ vm: 'pin', slot: 'b' });
    expect(report!.downtimeMicroseconds).toBeLessThanOrEqual(100);
    expect(run.consoles.pin).toMatch(/version 2/);
    // The rich OS checks each answer's sequence number: none wrong, lost or duplicated across the switch.
    const totals = [...run.consoles.rich.matchAll(/pin: (\d+) calls, (\d+) answered .*?, (\d+) wrong, (\d+) lost, (\d+) dup/g)].at(-1)!;
    const [calls, ok, wrong, lost, dup] = totals.slice(1).map(Number);
    expect(calls).toBeGreaterThanOrEqual(60);
    expect({ wrong, lost, dup }).toEqual({ wrong: 0, lost: 0, dup: 0 });
    expect(ok).toBe(calls);
    expect(run.consoles.baseband).not.toMatch(/misses=[1-9]/);
    expect(basebandReports(run.consoles.baseband).every((r) => r.misses === 0)).toBe(true);
    expect(run.events.filter((e) => e.vm === 'pin').map((e) => e.kind)).toEqual(['started', 'ready', 'update-started', 'ready', 'update-switched']);
  });

  it('refuses a bad image, an unknown VM and a VM that is not updatable, and the phone runs on unchanged', async () => {
    const notElf = join(tmpdir(), `tessera-phone-not-elf-${process.pid}.bin`);
    writeFileSync(notElf, '\x7fELF but not really');
    const run = await runScenario(scenarioFile('phone.json'), { durationCycles: 60 * SECOND }, async (system) => {
      await until(() => answered(system) >= 10);
      await expect(system.update('pin', notElf)).rejects.toThrow(/^update image .*: /);
      await expect(system.update('modem', 'guests/bin/pin-v2.elf')).rejects.toThrow(/^no VM named 'modem' \(VMs: baseband, pin, rich\)$/);
      await expect(system.update('rich', 'guests/bin/pin-v2.elf')).rejects.toThrow(/^VM 'rich' is not updatable/);
      expect(vmOf(system, 'pin')).toMatchObject({ state: 'running', slot: 'a' });
      const before = answered(system);
      await until(() => answered(system) >= before + 10);
      system.stop();
    });
    expect(run.events.some((e) => e.kind.startsWith('update'))).toBe(false);
    expect(run.consoles.rich).not.toMatch(/failed with/);
  });
});
