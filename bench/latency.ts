// bench:latency — interrupt latency of a real-time VM (shared core vs dedicated core) and the
// hypervisor's overhead on a CPU-bound guest; prints a table with the machine it ran on.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Machine } from '../engine/host/machine.js';
import { scenarioFromObject } from '../engine/host/scenario-file.js';
import { System, type SystemSnapshot } from '../engine/host/system.js';
import type { Scenario } from '../engine/scenario/scenario.js';
import { describeMachine, machineInfo } from './machine-info.js';

const RT_GUEST = 'guests/bin/rt-timer-fast.elf';

function scenario(json: object): Scenario {
  const { scenario: s, errors } = scenarioFromObject(json, process.cwd());
  if (s === undefined) throw new Error(errors.join('\n'));
  return s;
}

interface LatencyCase {
  name: string;
  snapshot: SystemSnapshot;
  guestLine: string;
  seconds: number;
}

/** Runs until the real-time VM has finished its periods; the CPU hog never ends by itself. */
async function latencyCase(name: string, s: Scenario): Promise<LatencyCase> {
  let console = '';
  const system = await System.create(s, {
    onConsole: (vm, bytes) => { if (vm === 'rtos') console += Buffer.from(bytes).toString('latin1'); },
    onEvent: (e) => { if (e.vm === 'rtos' && (e.kind === 'exited' || e.kind === 'fault')) system.stop(); },
  });
  const start = performance.now();
  const snapshot = await system.run();
  const seconds = (performance.now() - start) / 1000;
  await system.dispose();
  const guestLine = console.split('\n').find((l) => l.startsWith('rt-timer: done')) ?? '(no summary)';
  return { name, snapshot, guestLine, seconds };
}

const rtos = { name: 'rtos', guest: RT_GUEST, ram: '1M' };
const hog = { name: 'hog', guest: 'guests/bin/cpu-hog.elf', ram: '1M' };

const info = machineInfo();
console.log(`bench:latency on ${describeMachine(info)}`);
const shared = await latencyCase('shared core (fixed priority, with a CPU hog)', scenario({
  name: 'latency-shared', cores: 1, memory: '8M', scheduler: { policy: 'fixed-priority', switchCost: 100 },
  vms: [{ ...rtos, priority: 10 }, { ...hog, priority: 1 }],
}));
const dedicated = await latencyCase('dedicated core (partitioned)', scenario({
  name: 'latency-dedicated', cores: 2, memory: '8M', scheduler: { policy: 'partitioned', switchCost: 100 },
  vms: [rtos, hog],
}));

const rows = [['case', 'interrupts', 'min', 'avg', 'max', 'p99', 'p99.9', 'guest (ticks of 10 cycles)']];
for (const c of [shared, dedicated]) {
  const l = c.snapshot.vms[0].latency;
  rows.push([c.name, String(l.count), String(l.min), l.avg.toFixed(1), String(l.max), String(l.p99), String(l.p999), c.guestLine.replace('rt-timer: done ', '')]);
}

// Overhead: the same CPU-bound guest on the bare machine and alone in a VM.
async function bareMips(): Promise<number> {
  const machine = await Machine.create(readFileSync('guests/bin/bench.elf'));
  const start = performance.now();
  await machine.run();
  const mips = machine.instructionsRetired()[0] / ((performance.now() - start) * 1000);
  await machine.dispose();
  return mips;
}
async function vmMips(): Promise<number> {
  const system = await System.create(scenario({ name: 'overhead', cores: 1, memory: '8M', scheduler: { policy: 'fixed-priority' }, vms: [{ name: 'bench', guest: 'guests/bin/bench.elf', ram: '2M' }] }));
  const start = performance.now();
  const snapshot = await system.run();
  const mips = snapshot.vms[0].instructions / ((performance.now() - start) * 1000);
  await system.dispose();
  return mips;
}
const best = (xs: number[]) => Math.max(...xs);
const bare: number[] = [];
const vm: number[] = [];
for (let i = 0; i < 3; i++) {
  bare.push(await bareMips());
  vm.push(await vmMips());
}

const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
console.log('interrupt latency of the real-time VM, virtual cycles from pending to its handler\'s first instruction:');
for (const row of rows) console.log(row.map((cell, c) => (c === 0 || c === 7 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '));
console.log(`hypervisor overhead: bench.elf ${best(bare).toFixed(0)} MIPS bare, ${best(vm).toFixed(0)} MIPS in a VM (${((best(vm) / best(bare)) * 100).toFixed(1)}%)`);
console.log(`targets: shared-core max <= 1000 cycles: ${shared.snapshot.vms[0].latency.max <= 1000 ? 'met' : 'MISSED'}; dedicated max <= 200: ${dedicated.snapshot.vms[0].latency.max <= 200 ? 'met' : 'MISSED'}; overhead >= 90%: ${best(vm) / best(bare) >= 0.9 ? 'met' : 'MISSED'}`);

mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/latency.json', JSON.stringify({
  machine: info,
  cases: [shared, dedicated].map((c) => ({ name: c.name, latency: c.snapshot.vms[0].latency, guest: c.guestLine, wallSeconds: c.seconds })),
  overhead: { bareMips: best(bare), vmMips: best(vm) },
}, null, 2) + '\n');
console.log('written bench/results/latency.json');
