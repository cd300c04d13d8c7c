// bench:ipc — inter-VM communication: ring throughput for 64-byte and 4-KiB messages, synchronous IPC
// through the hypervisor (call/reply and one-way), doorbell ping-pong; both VMs on one core and on two.
// Prints a table with the machine it ran on and writes JSON.

import { mkdirSync, writeFileSync } from 'node:fs';
import { scenarioFromObject } from '../engine/host/scenario-file.js';
import { System, type SystemSnapshot } from '../engine/host/system.js';
import type { Scenario } from '../engine/scenario/scenario.js';
import { describeMachine, machineInfo } from './machine-info.js';

const CORES = [1, 2] as const;

function scenario(json: object): Scenario {
  const { scenario: s, errors } = scenarioFromObject(json, process.cwd());
  if (s === undefined) throw new Error(errors.join('\n'));
  return s;
}

function pair(guest: string, names: [string, string], cores: number, ring: boolean): Scenario {
  return scenario({
    name: `ipc-${cores}`, cores, memory: '16M', scheduler: { policy: 'fixed-priority' },
    vms: names.map((name, i) => ({ name, guest: `guests/bin/${guest}.elf`, ram: '1M', affinity: [i % cores] })),
    channels: [{ name: 'ch', size: '256K', ...(ring ? { ring: names[0] } : {}), endpoints: names.map((vm) => ({ vm, address: '0x90000000', irq: 32 })) }],
  });
}

interface Run {
  consoles: Record<string, string>;
  wallSeconds: number;
  snapshot: SystemSnapshot;
}

async function run(s: Scenario): Promise<Run> {
  const consoles: Record<string, string> = {};
  const system = await System.create(s, { onConsole: (vm, b) => { consoles[vm] = (consoles[vm] ?? '') + Buffer.from(b).toString('latin1'); } });
  try {
    const start = performance.now();
    const snapshot = await system.run();
    return { consoles, wallSeconds: (performance.now() - start) / 1000, snapshot };
  } finally {
    await system.dispose();
  }
}

function expectLine(r: Run, vm: string, pattern: RegExp, what: string): RegExpExecArray {
  const m = pattern.exec(r.consoles[vm] ?? '');
  if (m === null) throw new Error(`${what}: ${vm} printed ${JSON.stringify(r.consoles[vm] ?? '')}`);
  return m;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en');

const info = machineInfo();
console.log(`bench:ipc on ${describeMachine(info)}`);
const rows: string[][] = [['measurement', '1 core', '2 cores']];
const results: Record<string, unknown> = {};

// Rings: the producer streams numbered, checksummed messages; the consumer checks every one.
for (const { guest, bytes, messages } of [
  { guest: 'ipc-stream-64', bytes: 64, messages: 1_000_000 },
  { guest: 'ipc-stream-4k', bytes: 4096, messages: 100_000 },
]) {
  const label = bytes === 64 ? '64-byte' : '4-KiB';
  const runs = [];
  for (const cores of CORES) {
    const r = await run(pair(guest, ['producer', 'consumer'], cores, true));
    expectLine(r, 'consumer', new RegExp(`${messages} messages, 0 lost, 0 duplicated, 0 reordered, 0 corrupted`), `${guest} on ${cores} core(s)`);
    const flow = r.snapshot.channels[0].flows[0];
    runs.push({
      cores, messages, bytes, wallSeconds: r.wallSeconds, virtualSeconds: r.snapshot.virtualSeconds,
      messagesPerSecond: messages / r.wallSeconds, megabytesPerSecond: (messages * bytes) / r.wallSeconds / 1e6,
      doorbellsRung: flow.doorbellsRung, doorbellsSuppressed: flow.doorbellsSuppressed, latency: flow.latency,
    });
  }
  rows.push([`ring, ${label} messages per second of wall time`, ...runs.map((r) => fmt(r.messagesPerSecond))]);
  rows.push([`ring, ${label} messages, MB/s of wall time`, ...runs.map((r) => r.megabytesPerSecond.toFixed(1))]);
  rows.push([`ring, ${label} send-to-receive latency, virtual cycles (avg/p99)`, ...runs.map((r) => `${fmt(r.latency.avg)}/${fmt(r.latency.p99)}`)]);
  rows.push([`ring, ${label} doorbells rung/suppressed`, ...runs.map((r) => `${fmt(r.doorbellsRung)}/${fmt(r.doorbellsSuppressed)}`)]);
  results[bytes === 64 ? 'ring64' : 'ring4k'] = runs;
}

// Synchronous IPC through the hypervisor: 8 registers (32 bytes) per message.
const calls = [];
for (const cores of CORES) {
  const r = await run(pair('ipc-sync', ['caller', 'server'], cores, false));
  const m = expectLine(r, 'caller', /10000 calls answered; round trip min (\d+) avg (\d+) max (\d+) cycles/, `ipc-sync calls on ${cores} core(s)`);
  calls.push({ cores, calls: 10_000, wallSeconds: r.wallSeconds, callsPerSecond: 10_000 / r.wallSeconds, roundTrip: { min: Number(m[1]), avg: Number(m[2]), max: Number(m[3]) } });
}
rows.push(['sync IPC call/reply round trip, virtual cycles (min/avg/max)', ...calls.map((c) => `${c.roundTrip.min}/${c.roundTrip.avg}/${c.roundTrip.max}`)]);
rows.push(['sync IPC calls per second of wall time', ...calls.map((c) => fmt(c.callsPerSecond))]);
results.syncCall = calls;

const sends = [];
for (const cores of CORES) {
  const r = await run(pair('ipc-sync', ['sender', 'server'], cores, false));
  expectLine(r, 'server', /10000 messages received in order, none corrupted/, `ipc-sync sends on ${cores} core(s)`);
  sends.push({ cores, messages: 10_000, wallSeconds: r.wallSeconds, messagesPerSecond: 10_000 / r.wallSeconds, latency: r.snapshot.channels[0].flows[0].latency });
}
rows.push(['sync IPC one-way messages per second of wall time', ...sends.map((s) => fmt(s.messagesPerSecond))]);
rows.push(['sync IPC send-to-receive latency, virtual cycles (avg/max)', ...sends.map((s) => `${fmt(s.latency.avg)}/${fmt(s.latency.max)}`)]);
results.syncSend = sends;

// Doorbell ping-pong over a shared word: the interrupt path without the ring.
const pings = [];
for (const cores of CORES) {
  const r = await run(pair('chan-ping', ['ping', 'pong'], cores, false));
  const m = expectLine(r, 'ping', /round trip min (\d+) avg (\d+) max (\d+) ticks/, `chan-ping on ${cores} core(s)`);
  pings.push({ cores, min: Number(m[1]) * 10, avg: Number(m[2]) * 10, max: Number(m[3]) * 10, wallSeconds: r.wallSeconds });
}
rows.push(['doorbell ping-pong round trip, virtual cycles (min/avg/max)', ...pings.map((p) => `${p.min}/${p.avg}/${p.max}`)]);
rows.push(['doorbell ping-pong round trips per second of wall time', ...pings.map((p) => fmt(10_000 / p.wallSeconds))]);
results.pingPong = pings;

const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
for (const row of rows) console.log(row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '));
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/ipc.json', JSON.stringify({ machine: info, ...results }, null, 2) + '\n');
console.log('written bench/results/ipc.json');
