// A running System for the fuzzer: the VM `fuzz` (two vCPUs, updatable, serving from a stub) beside
// the VM `neighbour`, whose partition, console and figures must never show that `fuzz` exists.

import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { System, type SystemSnapshot } from '../../engine/host/system.js';
import { validateScenario } from '../../engine/scenario/validate.js';
import type { Scenario } from '../../engine/scenario/scenario.js';
import { NEIGHBOUR_COUNTER, NEIGHBOUR_LINE, NEIGHBOUR_PERIOD_TICKS, NEIGHBOUR_PRINT_EVERY, neighbourElf, RAM_BASE, stubElf, WINDOW, WINDOW_BYTES } from '../rv/guests.js';
import { firstLine, type Problem } from '../target.js';

const FUZZ_RAM_BYTES = 0x40000;
export const STREAM_SHAPE = { ramBytes: FUZZ_RAM_BYTES, window: WINDOW, windowBytes: WINDOW_BYTES };

/** Virtual cycles between two neighbour ticks and lines (mtime is cycles / 10). */
const TICK_CYCLES = NEIGHBOUR_PERIOD_TICKS * 10;
const CYCLES_PER_LINE = TICK_CYCLES * NEIGHBOUR_PRINT_EVERY;
/**
 * The latest a wake-up of the neighbour may come after its deadline, in mtime ticks: one quantum
 * (10,000 cycles). It has the highest priority on its core, so it should wake within a vCPU switch.
 */
const MAX_LATE_TICKS = 1000;
/** How far the neighbour's latest wake-up may lie behind every core's clock: ten of its periods. */
const MAX_WAKE_LAG_CYCLES = 10 * NEIGHBOUR_PERIOD_TICKS * 10;
/** Wall-clock time after which console output must have reached the host (it polls every 10 ms). */
const CONSOLE_LAG_MS = 500;

/** The scenario as a file holds it; guests are neighbour.elf and stub.elf beside it. */
export function fuzzScenarioJson(): object {
  return {
    name: 'fuzz', cores: 2, memory: '4M', scheduler: { policy: 'fixed-priority' },
    vms: [
      { name: 'neighbour', guest: 'neighbour.elf', ram: '1M', priority: 10, affinity: [1] },
      { name: 'fuzz', guest: 'stub.elf', ram: FUZZ_RAM_BYTES, vcpus: 2, priority: 1, affinity: [0, 1], updatable: true },
    ],
    channels: [{
      name: 'window', size: WINDOW_BYTES,
      endpoints: [{ vm: 'fuzz', address: `0x${WINDOW.toString(16)}`, access: 'ro', irq: 32 }, { vm: 'neighbour', address: `0x${WINDOW.toString(16)}`, access: 'rw', irq: 32 }],
    }],
  };
}

/** Writes the scenario and its guests into `dir` (fuzz.json, neighbour.elf, stub.elf). */
export function writeFuzzScenario(dir: string): string {
  writeFileSync(join(dir, 'neighbour.elf'), neighbourElf());
  writeFileSync(join(dir, 'stub.elf'), stubElf());
  writeFileSync(join(dir, 'fuzz.json'), JSON.stringify(fuzzScenarioJson(), null, 2));
  return join(dir, 'fuzz.json');
}

function fuzzScenario(): Scenario {
  const files = new Map([['/fuzz/neighbour.elf', neighbourElf()], ['/fuzz/stub.elf', stubElf()]]);
  const result = validateScenario(fuzzScenarioJson(), {
    baseDir: '/fuzz', resolve: (base, rel) => `${base}/${rel}`,
    readFile: (path) => { const bytes = files.get(path); if (bytes === undefined) throw new Error('no such file'); return bytes; },
  });
  if (result.scenario === undefined) throw new Error(`the fuzz scenario is invalid: ${result.errors.join('; ')}`);
  return result.scenario;
}

/** The cycle count of a wake-up from the low word of its mtime: the value with that low word nearest `near` (cycles). */
function wokeAt(mtimeLow: number, near: number): number {
  const nearTicks = Math.floor(near / 10);
  let diff = (((mtimeLow - nearTicks) % 2 ** 32) + 2 ** 32) % 2 ** 32;
  if (diff >= 2 ** 31) diff -= 2 ** 32;
  return (nearTicks + diff) * 10;
}

export class FuzzSystem {
  /** Set when the run ended with an error (a core worker died, for one). */
  failure: string | undefined;
  /** Set when the run ended (every VM ended, or stopped). */
  ended = false;
  readonly stubPath: string;
  private console = '';
  private linesSeen = 0;
  /** The latest wake-up of the neighbour after its deadline so far (mtime ticks). */
  latest = 0;
  private checkedAt = { time: 0, ticks: 0 };
  /** The neighbour's tick count at earlier checks, by wall-clock time (the console lags a poll behind). */
  private readonly tickHistory: { wallMs: number; ticks: number }[] = [];
  private readonly neighbourBaseline: Uint8Array;
  private readonly stubBaseline: Uint8Array;
  private readonly running: Promise<SystemSnapshot | undefined>;

  static async start(scratch: string): Promise<FuzzSystem> {
    const stubPath = join(scratch, 'stub.elf');
    writeFileSync(stubPath, stubElf());
    const consoles: { sink?: FuzzSystem } = {};
    const system = await System.create(fuzzScenario(), { onConsole: (vm, bytes) => consoles.sink?.onConsole(vm, bytes) });
    consoles.sink = new FuzzSystem(system, stubPath);
    return consoles.sink;
  }

  private constructor(readonly system: System, stubPath: string) {
    this.stubPath = stubPath;
    // run() boots every VM before it returns its promise: the partitions hold their images now.
    this.running = system.run().catch((error: unknown) => {
      this.failure = firstLine(error);
      return undefined;
    }).finally(() => { this.ended = true; });
    this.neighbourBaseline = system.readPartition('neighbour');
    this.stubBaseline = system.readPartition('fuzz');
  }

  private onConsole(vm: string, bytes: Uint8Array): void {
    if (vm === 'neighbour') this.console += Buffer.from(bytes).toString('latin1');
  }

  /** Whether `fuzz` still serves from its stub (slot a). */
  servesStub(): boolean {
    return this.system.snapshot().vms.find((v) => v.name === 'fuzz')?.slot === 'a';
  }

  /**
   * Everything that would show `fuzz` reached the neighbour or the stub's partition: a changed byte,
   * a console line out of sequence or flagging the window, a fault or violation counted against it,
   * ticks not kept or not printed; and a dead run.
   */
  check(): Problem[] {
    const problems: Problem[] = [];
    if (this.failure !== undefined) problems.push({ kind: 'crash', summary: `the system failed: ${this.failure}` });
    const diff = (name: string, baseline: Uint8Array, skip: (at: number) => boolean) => {
      const now = this.system.readPartition(name);
      for (let at = 0; at < baseline.length; at++) {
        if (now[at] !== baseline[at] && !skip(at)) {
          problems.push({ kind: 'breach', summary: `${name}'s partition changed at guest-physical 0x${(RAM_BASE + at).toString(16)}: 0x${baseline[at].toString(16)} -> 0x${now[at].toString(16)}` });
          return;
        }
      }
    };
    const counter = NEIGHBOUR_COUNTER - RAM_BASE;
    diff('neighbour', this.neighbourBaseline, (at) => at >= counter && at < counter + 8);
    // The cores' times first, the neighbour's latest wake-up after: that can only make it look more recent.
    const cores = this.system.snapshot().cores.map((c) => c.time);
    const neighbourRam = this.system.readPartition('neighbour');
    const words = new DataView(neighbourRam.buffer, neighbourRam.byteOffset);
    const ticks = words.getUint32(counter, true);
    const lag = Math.min(...cores) - wokeAt(words.getUint32(counter + 4, true), Math.min(...cores));
    if (lag > MAX_WAKE_LAG_CYCLES) {
      problems.push({ kind: 'breach', summary: `the neighbour last woke ${lag} cycles before the slowest core's time (its timer is due every ${TICK_CYCLES}): it did not run for ${Math.floor(lag / TICK_CYCLES)} periods`, detail: `cores ${cores.join(', ')}` });
    }
    if (this.servesStub()) diff('fuzz', this.stubBaseline, () => false);

    const lines = this.console.split('\n');
    this.console = lines.pop()!;
    for (const line of lines) {
      const m = NEIGHBOUR_LINE.exec(line);
      const count = m === null ? undefined : Number.parseInt(m[1], 16);
      const expected = (this.linesSeen + 1) * NEIGHBOUR_PRINT_EVERY;
      if (m === null || count !== expected) {
        problems.push({ kind: 'breach', summary: `the neighbour's console line ${this.linesSeen + 1} is ${JSON.stringify(line.slice(0, 80))}, expected the count 0x${expected.toString(16)}` });
      } else if (m[3] !== undefined) {
        problems.push({ kind: 'breach', summary: 'the neighbour saw a write in the channel window the fuzzed VM may only read' });
      } else {
        const late = Number.parseInt(m[2], 16);
        this.latest = Math.max(this.latest, late);
        if (late > MAX_LATE_TICKS) problems.push({ kind: 'breach', summary: `the neighbour woke ${late} mtime ticks after its deadline (more than a quantum, ${MAX_LATE_TICKS} ticks)` });
      }
      this.linesSeen = count !== undefined && count % NEIGHBOUR_PRINT_EVERY === 0 ? count / NEIGHBOUR_PRINT_EVERY : this.linesSeen + 1;
    }

    // The counter was read between `cores` and `snapshot`, while the system ran on (and the host
    // may have stalled this thread): the tick window runs from the latest time the previous count may
    // be from to the earliest this one may, so a host stall never looks like lost ticks.
    const snapshot = this.system.snapshot();
    const neighbour = snapshot.vms.find((v) => v.name === 'neighbour')!;
    if (neighbour.state !== 'running' || neighbour.faults !== 0 || neighbour.restarts !== 0 || neighbour.violations !== 0) {
      problems.push({ kind: 'breach', summary: `the neighbour is ${neighbour.state} with ${neighbour.faults} faults, ${neighbour.restarts} restarts, ${neighbour.violations} violations` });
    }
    // The neighbour keeps time: over at least 20 lines' worth of virtual time, half its ticks or more.
    const elapsed = Math.min(...cores) - this.checkedAt.time;
    if (elapsed >= 20 * CYCLES_PER_LINE) {
      const expected = elapsed / TICK_CYCLES;
      if (ticks - this.checkedAt.ticks < expected / 2 - 2) {
        problems.push({
          kind: 'breach', summary: `the neighbour counted ${ticks - this.checkedAt.ticks} ticks in ${elapsed} cycles (expected about ${Math.floor(expected)})`,
          detail: `cores ${JSON.stringify(snapshot.cores)}; VMs ${JSON.stringify(snapshot.vms.map((v) => ({ name: v.name, state: v.state, instructions: v.instructions, slot: v.slot })))}`,
        });
      }
      this.checkedAt = { time: snapshot.time, ticks };
    }
    // Its console keeps up with its ticks: what it printed a while ago (the host drains consoles every 10 ms) has arrived.
    const now = performance.now();
    while (this.tickHistory.length > 1 && now - this.tickHistory[1].wallMs > CONSOLE_LAG_MS) this.tickHistory.shift();
    const old = this.tickHistory[0];
    if (old !== undefined && now - old.wallMs > CONSOLE_LAG_MS && this.linesSeen < Math.floor(old.ticks / NEIGHBOUR_PRINT_EVERY)) {
      problems.push({ kind: 'breach', summary: `the neighbour's console has ${this.linesSeen} lines, but it had counted ${old.ticks} ticks (${Math.floor(old.ticks / NEIGHBOUR_PRINT_EVERY)} lines) ${Math.round(now - old.wallMs)} ms ago` });
    }
    this.tickHistory.push({ wallMs: now, ticks });
    return problems;
  }

  async close(): Promise<void> {
    this.system.stop();
    await Promise.race([this.running, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    await this.system.dispose();
  }
}
