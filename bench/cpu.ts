// bench:cpu — MIPS of guests/bin/bench.elf on one Tessera hart (M-mode, no translation; and the same code in
// S-mode under Sv32, bench-sv32.elf, with a warm TLB), and on QEMU's TCG in the same run.

import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Machine } from '../engine/host/machine.js';
import { describeMachine, machineInfo } from './machine-info.js';

const BENCH = 'guests/bin/bench.elf';
const BENCH_SV32 = 'guests/bin/bench-sv32.elf';
const EMPTY = 'guests/bin/hello.elf';
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

interface TesseraRun {
  seconds: number;
  instructions: number;
  output: string;
}

async function runTessera(path: string): Promise<TesseraRun> {
  let output = '';
  const machine = await Machine.create(readFileSync(path), { onOutput: (b) => { output += Buffer.from(b).toString('latin1'); } });
  const start = performance.now();
  const exit = await machine.run();
  const seconds = (performance.now() - start) / 1000;
  const instructions = machine.instructionsRetired()[0];
  await machine.dispose();
  if (exit.kind !== 'guest' || exit.code !== 0) throw new Error(`${path} did not pass on Tessera: ${JSON.stringify(exit)}`);
  return { seconds, instructions, output };
}

function runQemu(path: string): { seconds: number; output: string } | undefined {
  const start = performance.now();
  const result = spawnSync('qemu-system-riscv32', ['-M', 'virt', '-bios', 'none', '-nographic', '-m', '256M', '-kernel', path], { encoding: 'latin1' });
  const seconds = (performance.now() - start) / 1000;
  if (result.error !== undefined) return undefined;
  if (result.status !== 0) throw new Error(`${path} did not pass on QEMU (exit ${result.status})`);
  return { seconds, output: result.stdout };
}

const best = <T extends { seconds: number }>(runs: T[]): T => runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));

const info = machineInfo();
console.log(`bench:cpu on ${describeMachine(info)}`);
// Bare and Sv32 runs alternate, so a noisy machine weighs on both alike.
const tesseraRuns: TesseraRun[] = [];
const sv32Runs: TesseraRun[] = [];
for (let i = 0; i < RUNS; i++) {
  tesseraRuns.push(await runTessera(BENCH));
  sv32Runs.push(await runTessera(BENCH_SV32));
}
const tessera = best(tesseraRuns);
const tesseraMips = tessera.instructions / tessera.seconds / 1e6;
const sv32 = best(sv32Runs);
const sv32Mips = sv32.instructions / sv32.seconds / 1e6;

let qemuMips: number | undefined;
const qemuRuns = Array.from({ length: RUNS }, () => runQemu(BENCH));
const startupRuns = Array.from({ length: RUNS }, () => runQemu(EMPTY));
if (qemuRuns.every((r) => r !== undefined) && startupRuns.every((r) => r !== undefined)) {
  const qemu = best(qemuRuns as { seconds: number; output: string }[]);
  const startup = best(startupRuns as { seconds: number; output: string }[]);
  // Without -icount QEMU's minstret is a host timestamp: compare the checksums, not the counts.
  const checksums = (text: string) => text.replace(/instret \d+/g, 'instret N');
  if (checksums(qemu.output) !== checksums(tessera.output)) throw new Error('bench.elf printed different checksums on QEMU and Tessera');
  // QEMU's own start-up (measured on a trivial guest) is subtracted: marginal MIPS.
  qemuMips = tessera.instructions / Math.max(1e-3, qemu.seconds - startup.seconds) / 1e6;
}

const rows = [
  ['engine', 'instructions', 'seconds', 'MIPS'],
  ['Tessera (interpreter, 1 hart)', String(tessera.instructions), tessera.seconds.toFixed(3), tesseraMips.toFixed(0)],
  ['Tessera, S-mode under Sv32', String(sv32.instructions), sv32.seconds.toFixed(3), sv32Mips.toFixed(0)],
  ...(qemuMips !== undefined ? [['QEMU TCG (marginal)', String(tessera.instructions), (tessera.instructions / qemuMips / 1e6).toFixed(3), qemuMips.toFixed(0)]] : []),
];
const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
for (const row of rows) console.log(row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '));
console.log(`Sv32 / Bare: ${(sv32Mips / tesseraMips).toFixed(2)}`);
if (qemuMips !== undefined) console.log(`Tessera / QEMU: ${(tesseraMips / qemuMips).toFixed(2)}`);
else console.log('QEMU: not installed (apt-get install qemu-system-misc), no comparison');

mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/cpu.json', JSON.stringify({ machine: info, runs: RUNS, instructions: tessera.instructions, tesseraMips, tesseraSv32Mips: sv32Mips, qemuMips: qemuMips ?? null }, null, 2) + '\n');
console.log('written bench/results/cpu.json');
