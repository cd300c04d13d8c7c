// `tessera run SCENARIO.json --trace FILE` and the System's traceFile option on real core workers:
// the file is Chrome Trace Event JSON that Perfetto imports with its tracks, instants and flows.

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../engine/cli/args.js';
import { runCommand } from '../../../engine/cli/run-command.js';
import { loadScenarioFile } from '../../../engine/host/scenario-file.js';
import { System, type SystemOptions } from '../../../engine/host/system.js';
import { TraceFile } from '../../../engine/host/trace-file.js';
import type { Scenario } from '../../../engine/scenario/scenario.js';
import { guest, scenario } from '../hypervisor/run-scenario.js';
import { capture } from '../../unit/cli/captured-io.js';
import { importChromeTrace } from '../../unit/metrics/perfetto-import.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'tessera-trace-'));

interface Ev { ph: string; name: string; cat?: string; pid: number; tid: number; ts?: number; dur?: number; id?: number; bp?: string; args?: Record<string, unknown> }
interface TraceDoc { traceEvents: Ev[]; otherData: Record<string, unknown> }

async function traced(s: Scenario, file: string, options: SystemOptions = {}) {
  const system = await System.create(s, { traceFile: file, ...options });
  try {
    await system.run();
  } finally {
    await system.dispose();
  }
  return { system, doc: JSON.parse(readFileSync(file, 'utf8')) as TraceDoc };
}

/** Flow starts with their ends (matched by cat and id). */
function flowPairs(doc: TraceDoc, cat: string): [Ev, Ev][] {
  const ends = new Map(doc.traceEvents.filter((e) => e.ph === 'f' && e.cat === cat).map((e) => [e.id, e]));
  return doc.traceEvents.filter((e) => e.ph === 's' && e.cat === cat && ends.has(e.id)).map((s) => [s, ends.get(s.id)!]);
}

// The phone: sync IPC (rich calls the PIN service), doorbells (the modem ring), a 1 kHz real-time task.
const phone = () => loadScenarioFile(join(ROOT, 'scenarios/phone.json')).scenario!;

describe('a trace file', () => {
  it('of the phone holds a track per core with runs, interrupts with latency, IPC and doorbell arrows, and lifecycle events', async () => {
    const file = join(scratch, 'phone.json');
    const { system, doc } = await traced(phone(), file, { durationCycles: 20_000_000, traceMetadata: { purpose: 'test' } });
    const events = doc.traceEvents;
    const threads = events.filter((e) => e.ph === 'M' && e.name === 'thread_name').map((e) => `${e.pid}/${e.tid} ${String(e.args!.name)}`);
    expect(threads).toEqual(['1/0 core 0', '1/1 core 1', '2/0 baseband', '2/1 pin', '2/2 rich']);

    const runs = events.filter((e) => e.ph === 'X');
    expect(new Set(runs.map((e) => e.tid))).toEqual(new Set([0, 1]));
    expect(new Set(runs.map((e) => e.name))).toEqual(new Set(['baseband vCPU 0', 'pin vCPU 0', 'rich vCPU 0', 'rich vCPU 1']));
    expect(runs.every((e) => e.dur! > 0)).toBe(true);

    const interrupts = events.filter((e) => e.cat === 'interrupt');
    expect(interrupts.length).toBeGreaterThan(150); // 1 kHz for 0.2 s, and the modem doorbells
    expect(interrupts.every((e) => e.ph === 'i' && typeof e.args!.latencyCycles === 'number' && e.args!.latencyUs === e.args!.latencyCycles / 100)).toBe(true);

    for (const [cat, min] of [['ipc', 10], ['doorbell', 50]] as const) {
      const pairs = flowPairs(doc, cat);
      expect(pairs.length).toBeGreaterThan(min);
      for (const [s, f] of pairs) {
        expect(f.name).toBe(s.name);
        expect(s.ts!).toBeLessThanOrEqual(f.ts!);
      }
    }
    expect(new Set(flowPairs(doc, 'ipc').map(([s]) => s.name))).toEqual(new Set(['pin rich→pin', 'pin pin→rich']));
    expect(new Set(flowPairs(doc, 'doorbell').map(([s]) => s.name))).toEqual(new Set(['modem rich→baseband']));

    const lifecycle = events.filter((e) => e.cat === 'lifecycle').map((e) => `${e.tid} ${e.name}`);
    expect(lifecycle).toEqual(expect.arrayContaining(['0 started', '1 started', '2 started', '0 ready', '1 ready']));

    expect(doc.otherData).toMatchObject({ scenario: 'phone', purpose: 'test', droppedRecords: 0, droppedLifecycleRecords: 0 });
    expect(system.traceSummary()).toEqual({ file, events: events.filter((e) => e.ph !== 'M').length, dropped: 0 });
  });

  it('imports into Perfetto with every message an arrow from its send to its receipt, on the right cores', async () => {
    // 10,000 calls over sync IPC and 10,000 doorbell round trips, each pair of VMs across both cores.
    const s = scenario({
      name: 'trace-ipc', cores: 2, memory: '16M', scheduler: { policy: 'fixed-priority' },
      vms: [
        { name: 'caller', guest: guest('ipc-sync'), ram: '1M', affinity: [0] },
        { name: 'server', guest: guest('ipc-sync'), ram: '1M', affinity: [1] },
        { name: 'ping', guest: guest('chan-ping'), ram: '1M', affinity: [0] },
        { name: 'pong', guest: guest('chan-ping'), ram: '1M', affinity: [1] },
      ],
      channels: [
        { name: 'rpc', size: '4K', endpoints: [{ vm: 'caller', address: '0x90000000', irq: 32 }, { vm: 'server', address: '0x90000000', irq: 32 }] },
        { name: 'pp', size: '4K', endpoints: [{ vm: 'ping', address: '0x90000000', irq: 32 }, { vm: 'pong', address: '0xa0000000', irq: 33 }] },
      ],
    });
    const { system, doc } = await traced(s, join(scratch, 'ipc.json'), { recordTrace: true });
    expect(system.traceSummary()!.dropped).toBe(0);
    // Every call and reply, and the end message: 20,001 messages, each one arrow.
    expect(flowPairs(doc, 'ipc')).toHaveLength(20_001);
    const imported = importChromeTrace(doc);
    expect(imported.stats).toEqual({ flowNoEnclosingSlice: 0, flowEndWithoutStart: 0, flowDuplicateId: 0 });
    const ipc = imported.flows.filter((f) => f.cat === 'ipc');
    expect(ipc).toHaveLength(20_001);
    let inRuns = 0;
    for (const f of ipc) {
      expect(f.out.name).toBe('send rpc');
      expect(f.in.name).toBe('receive rpc');
      expect(f.in.ts).toBeGreaterThan(f.out.ts);
      const [from, to] = f.name.replace('rpc ', '').split('→');
      expect([f.out.track, f.in.track]).toEqual(from === 'caller' ? ['1/0', '1/1'] : ['1/1', '1/0']);
      expect(f.out.parent?.name).toBe(`${from} vCPU 0`);
      if (f.in.parent?.name === `${to} vCPU 0`) inRuns++;
    }
    // A receiver whose core lagged (cores run up to a quantum apart) resumed before the send in
    // virtual time; its receive point is moved to just after the send (Perfetto drops an arrow that
    // ends before it starts), which may fall after its run. How often depends on the threads' pace.
    expect(inRuns).toBeGreaterThan(0);
    // Doorbells that raised the peer's line, each ending where the peer woke for it.
    const doorbells = imported.flows.filter((f) => f.cat === 'doorbell');
    expect(doorbells.length).toBeGreaterThan(10_000);
    const core = { ping: '1/0', pong: '1/1' } as Record<string, string>;
    for (const f of doorbells) {
      const [from, to] = f.name.replace('pp ', '').split('→');
      expect([f.out.name, f.out.track, f.out.parent?.name, f.in.name, f.in.track]).toEqual(['doorbell pp', core[from], `${from} vCPU 0`, 'doorbell taken pp', core[to]]);
      expect(f.in.ts).toBeGreaterThan(f.out.ts);
    }
    expect(doorbells.some((f) => f.in.parent?.name === `${f.name.split('→')[1]} vCPU 0`)).toBe(true);
    // The monitor's record of the same run has the same IPC records.
    expect(system.trace().filter((e) => e.kind === 'ipc-send')).toHaveLength(20_001);
  });

  it('is not made when its folder does not exist: one line, and no run', async () => {
    await expect(System.create(phone(), { traceFile: join(scratch, 'missing', 'x.json') })).rejects.toThrow(`cannot write trace file ${join(scratch, 'missing', 'x.json')}: no such folder`);
  });

  it('stays off unless asked for, and VM lifecycle events still arrive', async () => {
    const system = await System.create(scenario({ name: 'untraced', cores: 1, memory: '8M', scheduler: { policy: 'fixed-priority' }, vms: [{ name: 'hello', guest: guest('hello'), ram: '1M' }] }));
    try {
      await system.run();
    } finally {
      await system.dispose();
    }
    expect(system.eventLog().map((e) => e.kind)).toEqual(['started', 'exited']);
    expect(system.trace()).toEqual([]);
    expect(system.traceSummary()).toBeUndefined();
  });
});

describe('TraceFile', () => {
  it('streams batches larger than its buffer and any names (as ASCII escapes) into a valid document', () => {
    const path = join(scratch, 'unit.json');
    const file = TraceFile.open(path, { frequency: 1_000_000, cores: 1, vmNames: ['crème', '"q"'], channels: [{ name: 'ch→', endpoints: ['crème', '"q"'] }] });
    const runs = Array.from({ length: 30_000 }, (_, i) => ({ time: i * 10, core: 0, kind: 'run', vm: i % 2 ? 'crème' : '"q"', vcpu: 0, a: i * 10 + 5, b: 0 }));
    file.add(runs.slice(0, 20_000));
    file.add([{ time: 1, core: 0, kind: 'ipc-send', vm: 'crème', vcpu: 0, a: 0, b: 1 }], [{ time: 2, vm: '"q"', kind: 'fault', detail: 'naïve' }]);
    file.flush();
    file.add(runs.slice(20_000));
    file.finish({ note: 'fin ✓' });
    file.finish({}); // once only
    const text = readFileSync(path, 'latin1');
    expect(/[^\x00-\x7e]/.test(text)).toBe(false);
    const doc = JSON.parse(text) as TraceDoc;
    expect(doc.traceEvents.filter((e) => e.ph === 'X')).toHaveLength(30_000);
    expect(doc.traceEvents.find((e) => e.ph === 's')!.name).toBe('ch→ crème→"q"');
    expect(doc.traceEvents.find((e) => e.cat === 'lifecycle')).toMatchObject({ tid: 1, args: { detail: 'naïve' } });
    expect(doc.otherData.note).toBe('fin ✓');
    expect(file.events).toBe(30_003);
  });
});

describe('tessera run --trace', () => {
  it('writes the trace and says so on stderr with its event and drop counts', async () => {
    const file = join(scratch, 'cli.json');
    const out = capture();
    const err = capture();
    const code = await runCommand([join(ROOT, 'scenarios/phone.json'), '--duration', '0.02', '--trace', file, '--control', join(scratch, 'cli.sock')], { stdout: out.stream, stderr: err.stream });
    expect(code).toBe(0);
    const doc = JSON.parse(readFileSync(file, 'utf8')) as TraceDoc;
    const events = doc.traceEvents.filter((e) => e.ph !== 'M').length;
    expect(err.text()).toContain(`tessera: trace ${file} (${events} events, 0 dropped)\n`);
    // What reproduces the run: the scenario's and guests' hashes, the command line, the host.
    expect(doc.otherData).toMatchObject({ scenario: 'phone', durationSeconds: 0.02, reproducibility: { timingMode: 'virtual', seed: 0 } });
    const info = doc.otherData.reproducibility as { commandLine: string[]; scenario: { sha256: string; guests: unknown[] }; host: { cpuCount: number } };
    expect(info.commandLine.slice(0, 2)).toEqual(['tessera', 'run']);
    expect(info.commandLine).toContain('--trace');
    expect(info.scenario.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(info.scenario.guests).toHaveLength(3);
    expect(info.host.cpuCount).toBeGreaterThan(0);
  });

  it('refuses a file it cannot write with one line and exit code 3', async () => {
    const err = capture();
    const file = join(scratch, 'nowhere', 'x.json');
    const code = await runCommand([join(ROOT, 'scenarios/phone.json'), '--trace', file], { stdout: capture().stream, stderr: err.stream });
    expect(code).toBe(3);
    expect(err.text()).toBe(`tessera: cannot write trace file ${file}: no such folder\n`);
  });

  it('is for scenarios only', async () => {
    await expect(runCommand([join(ROOT, 'guests/bin/hello.elf'), '--trace', 'x.json'], { stdout: capture().stream, stderr: capture().stream })).rejects.toThrow(UsageError);
  });
});
