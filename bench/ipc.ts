// bench:ipc — inter-VM ring throughput (64-byte class messages) and doorbell ping-pong round trips,
// both VMs on one core and on two; prints a table with the machine it ran on and writes JSON.

import { mkdirSync, writeFileSync } from 'node:fs';
import { scenarioFromObject } from '../engine/host/scenario-file.js';
import { System } from '../engine/host/system.js';
import type { Scenario } from '../engine/scenario/scenario.js';
import { describeMachine, machineInfo } from './machine-info.js';

const STREAM_MESSAGES = 1_000_000;

function scenario(json: object): Scenario {
  const { scenario: s, errors } = scenarioFromObject(json, process.cwd());
  if (s === undefined) throw new Error(errors.join('\n'));
  return s;
}

function pair(guest: string, names: [string, string], cores: number): Scenario {
  return scenario({
    name: `ipc-${cores}`, cores, memory: '16M', scheduler: { policy: 'fixed-priority' },
    vms: names.map((name, i) => ({ name, guest: `guests/bin/${guest}.elf`, ram: '1M', affinity: [i % cores] })),
    channels: [{ name: 'ch', size: '64K', endpoints: names.map((vm) => ({ vm, address: '0x90000000', irq: 32 })) }],
  });
}

async function run(s: Scenario): Promise<{ consoles: Record<string, string>; wallSeconds: number; virtualSeconds: number; doorbells: number[] }> {
  const consoles: Record<string, string> = {};
  const system = await System.create(s, { onConsole: (vm, b) => { consoles[vm] = (consoles[vm] ?? '') + Buffer.from(b).toString('latin1'); } });
  const start = performance.now();
  const snapshot = await system.run();
  const wallSeconds = (performance.now() - start) / 1000;
  await system.dispose();
  return { consoles, wallSeconds, virtualSeconds: snapshot.virtualSeconds, doorbells: snapshot.channels[0].doorbells };
}

const info = machineInfo();
console.log(`bench:ipc on ${describeMachine(info)}`);
const rows: string[][] = [['measurement', '1 core', '2 cores']];
const results: Record<string, unknown> = {};

const streams = [];
for (const cores of [1, 2]) {
  const r = await run(pair('ipc-stream-1m', ['producer', 'consumer'], cores));
  if (!r.consoles.consumer?.includes(`${STREAM_MESSAGES} messages, 0 lost, 0 duplicated, 0 reordered, 0 corrupted`)) {
    throw new Error(`ipc-stream failed on ${cores} core(s): ${r.consoles.consumer}`);
  }
  streams.push(r);
}
rows.push(['ring, 12..64-byte messages per second of wall time', ...streams.map((r) => Math.round(STREAM_MESSAGES / r.wallSeconds).toLocaleString('en'))]);
rows.push(['ring, messages per second of virtual time', ...streams.map((r) => Math.round(STREAM_MESSAGES / r.virtualSeconds).toLocaleString('en'))]);
rows.push(['ring, doorbells rung by the producer', ...streams.map((r) => r.doorbells[0].toLocaleString('en'))]);
results.stream = streams.map((r, i) => ({ cores: i + 1, messages: STREAM_MESSAGES, wallSeconds: r.wallSeconds, virtualSeconds: r.virtualSeconds, doorbells: r.doorbells }));

const pings = [];
for (const cores of [1, 2]) {
  const r = await run(pair('chan-ping', ['ping', 'pong'], cores));
  const m = /round trip min (\d+) avg (\d+) max (\d+) ticks/.exec(r.consoles.ping ?? '');
  if (m === null) throw new Error(`chan-ping failed on ${cores} core(s): ${r.consoles.ping}`);
  pings.push({ cores, min: Number(m[1]) * 10, avg: Number(m[2]) * 10, max: Number(m[3]) * 10, wallSeconds: r.wallSeconds });
}
rows.push(['doorbell ping-pong round trip, virtual cycles (min/avg/max)', ...pings.map((p) => `${p.min}/${p.avg}/${p.max}`)]);
rows.push(['doorbell ping-pong round trips per second of wall time', ...pings.map((p) => Math.round(10_000 / p.wallSeconds).toLocaleString('en'))]);
results.pingPong = pings;

const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
for (const row of rows) console.log(row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '));
console.log('not measured yet: 4-KiB messages between VMs, synchronous IPC through the hypervisor');
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/ipc.json', JSON.stringify({ machine: info, ...results }, null, 2) + '\n');
console.log('written bench/results/ipc.json');
