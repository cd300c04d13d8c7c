// The monitor's engine host against the real engine: samples pushed while a scenario runs, lifecycle
// commands, and bad requests or scenarios answered with one line while the system runs on.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MonitorHost } from '../../app/host/monitor-host.js';
import type { MonitorSample, SystemStatus } from '../../app/shared/monitor-types.js';
import type { PushMessage } from '../../app/shared/protocol.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const DEMO = 'tests/e2e/fixtures/monitor-demo.json';
let host: MonitorHost | undefined;

afterEach(async () => {
  await host?.dispose();
  host = undefined;
});

function watch(h: MonitorHost) {
  const samples: MonitorSample[] = [];
  const statuses: SystemStatus[] = [];
  h.onPush((m: PushMessage) => {
    if (m.push === 'sample') samples.push(m.data);
    if (m.push === 'status') statuses.push(m.data);
  });
  /** Resolves once `count` more samples have arrived (the host's own clock; no sleeping). */
  const more = (count: number) => {
    const target = samples.length + count;
    return new Promise<MonitorSample>((done) => {
      const stop = h.onPush((m) => {
        if (m.push === 'sample' && samples.length >= target) {
          stop();
          done(samples.at(-1)!);
        }
      });
    });
  };
  return { samples, statuses, more };
}

describe('MonitorHost', () => {
  it('runs a scenario, pushes samples at most 20 a second, and pauses and resumes a VM', async () => {
    host = new MonitorHost({ root: ROOT, sampleHz: 20 });
    const seen = watch(host);
    const info = await host.openScenario(DEMO);
    expect(info.vms.map((v) => v.name)).toEqual(['rtos', 'hog', 'producer', 'consumer']);
    expect(info.channels.map((c) => c.endpoints.map((e) => e.vm))).toEqual([['producer', 'consumer']]);
    const first = await seen.more(3);
    expect(first.vms.find((v) => v.name === 'rtos')?.state).toBe('running');
    expect(first.channels[0].endpoints).toEqual(['producer', 'consumer']);
    expect(seen.samples.map((s) => s.seq)).toEqual(seen.samples.map((_, i) => i + 1));
    expect(seen.statuses.map((s) => s.state)).toEqual(['starting', 'running']);

    expect(await host.handleMessage({ id: 1, method: 'vmCommand', params: { vm: 'rtos', command: 'pause' } })).toMatchObject({ id: 1, ok: true });
    const paused = await seen.more(2);
    expect(paused.vms.find((v) => v.name === 'rtos')?.state).toBe('paused');
    expect(paused.events.length + seen.samples.flatMap((s) => s.events).filter((e) => e.kind === 'paused').length).toBeGreaterThan(0);
    expect(await host.handleMessage({ id: 2, method: 'vmCommand', params: { vm: 'rtos', command: 'pause' } })).toEqual({ id: 2, ok: false, error: "cannot pause VM 'rtos': it is paused" });
    expect(await host.handleMessage({ id: 3, method: 'vmCommand', params: { vm: 'rtos', command: 'resume' } })).toMatchObject({ id: 3, ok: true });

    expect(await host.handleMessage({ id: 4, method: 'stopSystem' })).toMatchObject({ id: 4, ok: true, result: { state: 'stopped', message: 'stopped' } });
    const exported = await host.handleMessage({ id: 5, method: 'exportData', params: { format: 'json' } });
    expect(exported.ok && JSON.parse((exported.result as { text: string }).text).scenario).toBe('monitor-demo');
  });

  it('answers malformed requests, unknown VMs and invalid scenarios with one line, and the system runs on', async () => {
    host = new MonitorHost({ root: ROOT });
    const seen = watch(host);
    await host.openScenario(DEMO);
    await seen.more(1);
    expect(await host.handleMessage({ id: 1, method: 'vmCommand', params: { vm: 'rtos', command: 'format' } })).toMatchObject({ id: 1, ok: false, error: expect.stringContaining('params.command must be one of') });
    expect(await host.handleMessage({ id: 2, method: 'vmCommand', params: { vm: 'nobody', command: 'pause' } })).toEqual({ id: 2, ok: false, error: "no VM named 'nobody' (VMs: rtos, hog, producer, consumer)" });
    expect(await host.handleMessage({ id: 3, method: 'pickFile', params: { kind: 'elf' } })).toEqual({ id: 3, ok: false, error: 'no file picker here: type the path instead' });
    const invalid = await host.handleMessage({ id: 4, method: 'openScenario', params: { path: 'tests/e2e/fixtures/invalid.json' } });
    expect(invalid).toMatchObject({ id: 4, ok: false, error: 'tests/e2e/fixtures/invalid.json: 2 problems' });
    expect(invalid.ok === false && invalid.details).toEqual([
      'tests/e2e/fixtures/invalid.json: cores: must be an integer from 1 to 64 (got 0)',
      'tests/e2e/fixtures/invalid.json: vms[0].guest: cannot read ../../../guests/bin/no-such-guest.elf: no such file',
    ]);
    expect(await host.handleMessage({ id: 5, method: 'openScenario', params: { path: 'no/such/file.json' } })).toMatchObject({ ok: false, error: 'no/such/file.json: scenario: cannot read the file: no such file' });
    const after = await seen.more(2);
    expect(after.vms.find((v) => v.name === 'hog')?.state).toBe('running');
    expect(host.hello().scenario?.name).toBe('monitor-demo');
    expect(host.hello().status.state).toBe('running');
  });
});

describe('MonitorHost updateVm', () => {
  it('refuses an image that is not a regular file at once, with one line, and the system runs on', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'tessera-monitor-'));
    const scenario = join(scratch, 'updatable.json');
    writeFileSync(scenario, JSON.stringify({
      name: 'updatable', cores: 1, memory: '8M', scheduler: { policy: 'fixed-priority' },
      vms: [{ name: 'spin', guest: join(ROOT, 'guests/bin/spin.elf'), ram: '1M', updatable: true }],
    }));
    const fifo = join(scratch, 'fifo.elf');
    execFileSync('mkfifo', [fifo]);
    host = new MonitorHost({ root: ROOT });
    const seen = watch(host);
    await host.openScenario(scenario);
    await seen.more(1);
    expect(await host.handleMessage({ id: 1, method: 'updateVm', params: { vm: 'spin', elfPath: fifo } })).toEqual({ id: 1, ok: false, error: `cannot read ${fifo}: is a FIFO (named pipe), not a regular file` });
    expect(await host.handleMessage({ id: 2, method: 'updateVm', params: { vm: 'spin', elfPath: '/dev/zero' } })).toEqual({ id: 2, ok: false, error: 'cannot read /dev/zero: is a character device, not a regular file' });
    const after = await seen.more(2);
    expect(after.vms.find((v) => v.name === 'spin')?.state).toBe('running');
    expect(host.hello().status.state).toBe('running');
  });
});

describe('MonitorHost.hello', () => {
  it('gives a page that connects mid-run the events and console output it missed', async () => {
    host = new MonitorHost({ root: ROOT });
    const seen = watch(host);
    await host.openScenario(DEMO);
    await seen.more(1);
    while (!seen.samples.some((s) => s.console.some((c) => c.vm === 'rtos'))) await seen.more(1);
    const { backlog } = host.hello();
    expect(backlog?.seq).toBe(seen.samples.at(-1)!.seq);
    expect(backlog?.events.filter((e) => e.kind === 'started').map((e) => e.vm).sort()).toEqual(['consumer', 'hog', 'producer', 'rtos']);
    expect(backlog?.console.find((c) => c.vm === 'rtos')?.text).toContain('rt-timer: period');
  });
});
