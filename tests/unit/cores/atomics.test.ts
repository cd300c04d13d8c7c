// The A extension: LR/SC reservations, every AMO, their faults, and atomicity across real worker threads.

import { describe, expect, it } from 'vitest';
import { TrapCause } from '../../../engine/cores/trap-cause.js';
import { runInWorker } from '../../fixtures/ts-worker.js';
import {
  A0, A1, A2, A3, A4, A5, S0, T0, T1, T2, ZERO,
  addi, amoadd_w, amoand_w, amomax_w, amomaxu_w, amomin_w, amominu_w, amoor_w, amoswap_w, amoxor_w,
  beq, bne, jal, li, lr_w, sb, sc_w, sw, wfi,
} from './rv-asm.js';
import {
  M_TRAP_VECTOR, RAM_BASE, RAM_SIZE, SCRATCH_BASE, TestHart, UNMAPPED, createSharedMachine, u32,
} from './test-hart.js';

const WORD = RAM_BASE + 0x4000;
const OTHER = RAM_BASE + 0x4040;

describe('LR.W / SC.W', () => {
  it('should execute `lr.w a0, (a1)` then `sc.w a3, a2, (a1)`: the SC succeeds (rd = 0) and stores', () => {
    const t = new TestHart([lr_w(A0, A1), sc_w(A3, A2, A1)]);
    t.poke32(WORD, 41);
    t.set(A1, WORD).set(A2, 42).set(A3, 99);
    t.step(2);
    expect(t.get(A0)).toBe(41);
    expect(t.get(A3)).toBe(0);
    expect(t.peek32(WORD)).toBe(42);
  });

  it('should fail `sc.w` (rd != 0) without a prior LR and leave memory unchanged', () => {
    const t = new TestHart([sc_w(A3, A2, A1)]);
    t.poke32(WORD, 41);
    t.set(A1, WORD).set(A2, 42);
    t.step();
    expect(t.get(A3)).not.toBe(0);
    expect(t.peek32(WORD)).toBe(41);
    expect(t.pc).toBe(RAM_BASE + 4);
  });

  it('should fail `sc.w` to an address other than the reserved one', () => {
    const t = new TestHart([lr_w(A0, A1), sc_w(A3, A2, A4)]);
    t.poke32(WORD, 1);
    t.poke32(OTHER, 2);
    t.set(A1, WORD).set(A4, OTHER).set(A2, 42);
    t.step(2);
    expect(t.get(A3)).not.toBe(0);
    expect([t.peek32(WORD), t.peek32(OTHER)]).toEqual([1, 2]);
  });

  it('should fail a second `sc.w`: any SC gives up the reservation', () => {
    const t = new TestHart([lr_w(A0, A1), sc_w(A3, A2, A1), sc_w(A4, A5, A1)]);
    t.set(A1, WORD).set(A2, 42).set(A5, 43);
    t.step(3);
    expect(t.get(A3)).toBe(0);
    expect(t.get(A4)).not.toBe(0);
    expect(t.peek32(WORD)).toBe(42);
  });

  it('should fail `sc.w` after a failed SC too (the failed SC also invalidates the reservation)', () => {
    const t = new TestHart([lr_w(A0, A1), sc_w(A3, A2, A4), sc_w(A5, A2, A1)]);
    t.set(A1, WORD).set(A4, OTHER).set(A2, 42);
    t.step(3);
    expect(t.get(A3)).not.toBe(0);
    expect(t.get(A5)).not.toBe(0);
    expect(t.peek32(WORD)).toBe(0);
  });

  it.each([
    ['a store of a different value', sw(A5, 0, A1), 7],
    ['a store of the very value LR loaded', sw(A5, 0, A1), 41],
    ['a byte store to the word', sb(A5, 3, A1), 0],
    ['an AMO that adds zero', amoadd_w(ZERO, ZERO, A1), 0],
  ])('should fail `sc.w` after %s to the reserved word by the same hart (the spec allows it; this hart does it)', (_name, store, value) => {
    const t = new TestHart([lr_w(A0, A1), store, sc_w(A3, A2, A1)]);
    t.poke32(WORD, 41);
    t.set(A1, WORD).set(A2, 42).set(A5, value);
    t.step(3);
    expect(t.get(A3)).not.toBe(0);
    expect(t.peek32(WORD)).not.toBe(42);
  });

  it.each([
    ['a store of a different value', sw(A5, 0, A1), 7],
    ['a store of the very value LR loaded (no ABA success)', sw(A5, 0, A1), 41],
    ['an AMO that adds zero', amoadd_w(ZERO, ZERO, A1), 0],
  ])('should fail `sc.w` after %s by another hart sharing the memory', (_name, store, value) => {
    const a = new TestHart([lr_w(A0, A1), sc_w(A3, A2, A1)]);
    const b = new TestHart([], { machine: a.machine, hartId: 1 });
    b.load([store], RAM_BASE + 0x100);
    b.hart.pc = RAM_BASE + 0x100;
    a.poke32(WORD, 41);
    a.set(A1, WORD).set(A2, 42);
    b.set(A1, WORD).set(A5, value);
    a.step();
    b.step();
    a.step();
    expect(a.get(A3)).not.toBe(0);
    expect(a.peek32(WORD)).not.toBe(42);
  });

  it('should let one of two harts racing on the same word win the SC and fail the other', () => {
    const a = new TestHart([lr_w(A0, A1), addi(A0, A0, 1), sc_w(A3, A0, A1)]);
    const b = new TestHart([], { machine: a.machine, hartId: 1 });
    b.hart.pc = RAM_BASE;
    for (const t of [a, b]) t.set(A1, WORD);
    a.poke32(WORD, 10);
    a.step(2);
    b.step(3); // b's LR comes after a's, its SC succeeds first
    a.step(); // a's reservation was broken by b's successful SC
    expect(b.get(A3)).toBe(0);
    expect(a.get(A3)).not.toBe(0);
    expect(a.peek32(WORD)).toBe(11);
  });

  it('should accept the aq and rl bits', () => {
    const t = new TestHart([lr_w(A0, A1, { aq: true, rl: true }), sc_w(A3, A2, A1, { aq: true, rl: true })]);
    t.set(A1, WORD).set(A2, 5);
    t.step(2);
    expect(t.get(A3)).toBe(0);
    expect(t.peek32(WORD)).toBe(5);
  });
});

describe('AMOs', () => {
  const AMOS = { amoswap_w, amoadd_w, amoxor_w, amoand_w, amoor_w, amomin_w, amomax_w, amominu_w, amomaxu_w };

  it.each([
    ['amoswap_w', 0x11111111, 0x22222222, 0x22222222],
    ['amoadd_w', 0x7fffffff, 1, 0x80000000],
    ['amoadd_w', 5, -7, 0xfffffffe],
    ['amoxor_w', 0xff00ff00, 0x0ff00ff0, 0xf0f0f0f0],
    ['amoand_w', 0xff00ff00, 0x0ff00ff0, 0x0f000f00],
    ['amoor_w', 0xff00ff00, 0x0ff00ff0, 0xfff0fff0],
    ['amomin_w', -1, 1, 0xffffffff],
    ['amomin_w', 1, -1, 0xffffffff],
    ['amomin_w', 0x80000000, 0x7fffffff, 0x80000000],
    ['amomax_w', -1, 1, 1],
    ['amomax_w', 0x80000000, 0x7fffffff, 0x7fffffff],
    ['amominu_w', -1, 1, 1],
    ['amominu_w', 0x80000000, 0x7fffffff, 0x7fffffff],
    ['amomaxu_w', -1, 1, 0xffffffff],
    ['amomaxu_w', 0x80000000, 0x7fffffff, 0x80000000],
  ] as const)('should execute `%s a0, a2, (a1)` on memory %i with a2 = %i: rd gets the old value', (op, old, operand, next) => {
    const t = new TestHart([AMOS[op](A0, A2, A1)]);
    t.poke32(WORD, old);
    t.set(A1, WORD).set(A2, operand);
    t.step();
    expect(t.getU(A0)).toBe(u32(old));
    expect(t.peek32(WORD)).toBe(next);
    expect(t.pc).toBe(RAM_BASE + 4);
  });

  it('should execute `amoswap.w a2, a2, (a1)` (rd == rs2): memory gets the old a2, a2 the old memory', () => {
    const t = new TestHart([amoswap_w(A2, A2, A1)]);
    t.poke32(WORD, 7);
    t.set(A1, WORD).set(A2, 9);
    t.step();
    expect([t.get(A2), t.peek32(WORD)]).toEqual([7, 9]);
  });

  it('should execute `amoadd.w zero, a2, (a1)` updating memory and discarding the old value', () => {
    const t = new TestHart([amoadd_w(ZERO, A2, A1)]);
    t.poke32(WORD, 7);
    t.set(A1, WORD).set(A2, 9);
    t.step();
    expect(t.get(ZERO)).toBe(0);
    expect(t.peek32(WORD)).toBe(16);
  });
});

describe('atomic faults', () => {
  it.each([
    ['amoadd.w a0, a2, (a1)', amoadd_w(A0, A2, A1), 2],
    ['amoswap.w a0, a2, (a1)', amoswap_w(A0, A2, A1), 1],
    ['amomaxu.w a0, a2, (a1)', amomaxu_w(A0, A2, A1), 3],
    ['sc.w a0, a2, (a1)', sc_w(A0, A2, A1), 2],
  ])('should trap a misaligned `%s` as a store/AMO address-misaligned exception (mcause 6)', (_name, instruction, misalignment) => {
    const t = new TestHart([instruction]);
    t.poke32(WORD, 0x01020304);
    t.poke32(WORD + 4, 0x05060708);
    t.set(A1, WORD + misalignment).set(A2, -1).set(A0, 0x5a);
    t.step();
    expect(t.machineTrap).toEqual({ mcause: TrapCause.StoreMisaligned, mepc: RAM_BASE, mtval: WORD + misalignment });
    expect(t.pc).toBe(M_TRAP_VECTOR);
    expect([t.peek32(WORD), t.peek32(WORD + 4)]).toEqual([0x01020304, 0x05060708]);
    expect(t.get(A0)).toBe(0x5a);
  });

  it('should trap a misaligned `lr.w` as a load address-misaligned exception (mcause 4)', () => {
    const t = new TestHart([lr_w(A0, A1)]);
    t.set(A1, WORD + 2).set(A0, 0x5a);
    t.step();
    expect(t.machineTrap).toEqual({ mcause: TrapCause.LoadMisaligned, mepc: RAM_BASE, mtval: WORD + 2 });
    expect(t.get(A0)).toBe(0x5a);
  });

  it.each([
    ['unmapped space', UNMAPPED],
    ['the scratch device (devices take no AMOs)', SCRATCH_BASE],
    ['just past RAM', RAM_BASE + RAM_SIZE],
  ])('should trap `amoadd.w` to %s as a store/AMO access fault (mcause 7)', (_name, addr) => {
    const t = new TestHart([amoadd_w(A0, A2, A1)]);
    t.set(A1, addr).set(A2, 1);
    t.step();
    expect(t.machineTrap).toEqual({ mcause: TrapCause.StoreAccessFault, mepc: RAM_BASE, mtval: u32(addr) });
    expect(t.scratch.value).toBe(0);
  });

  it('should trap `lr.w` outside RAM as a load access fault (mcause 5)', () => {
    const t = new TestHart([lr_w(A0, A1)]);
    t.set(A1, UNMAPPED);
    t.step();
    expect(t.machineTrap).toEqual({ mcause: TrapCause.LoadAccessFault, mepc: RAM_BASE, mtval: UNMAPPED });
  });

  it('should trap `sc.w` outside RAM as a store/AMO access fault or fail it, never store', () => {
    const t = new TestHart([sc_w(A0, A2, A1)]);
    t.set(A1, SCRATCH_BASE).set(A2, 1).set(A0, 0);
    t.step();
    const trapped = t.pc === M_TRAP_VECTOR;
    if (trapped) expect(t.machineTrap.mcause).toBe(TrapCause.StoreAccessFault);
    else expect(t.get(A0)).not.toBe(0);
    expect(t.scratch.value).toBe(0);
  });
});

describe('atomicity across worker threads', () => {
  const COUNTERS = RAM_BASE + 0x8000;
  const MIXED = 0; // incremented by LR/SC and by AMOADD
  const LRSC = 64; // incremented by LR/SC only
  const AMO = 128; // incremented by AMOADD only
  const ITERATIONS = 100_000;

  /** Each hart: ITERATIONS times { LR/SC +1 on MIXED; AMOADD +1 on MIXED; LR/SC +1 on LRSC; AMOADD +1 on AMO }. */
  const program = [
    ...li(A1, COUNTERS), // 0, 1
    ...li(S0, ITERATIONS), // 2, 3
    addi(T2, ZERO, 1), // 4
    addi(A4, A1, LRSC), // 5
    addi(A5, A1, AMO), // 6
    lr_w(T0, A1), // 7: loop
    addi(T0, T0, 1), // 8
    sc_w(T1, T0, A1), // 9
    beq(T1, ZERO, 12), // 10 -> 13
    addi(A3, A3, 1), // 11: count SC failures
    jal(ZERO, -20), // 12 -> 7
    amoadd_w(ZERO, T2, A1), // 13
    lr_w(T0, A4), // 14
    addi(T0, T0, 1), // 15
    sc_w(T1, T0, A4), // 16
    beq(T1, ZERO, 12), // 17 -> 20
    addi(A3, A3, 1), // 18
    jal(ZERO, -20), // 19 -> 14
    amoadd_w(ZERO, T2, A5), // 20
    addi(S0, S0, -1), // 21
    bne(S0, ZERO, -60), // 22 -> 7
    wfi(), // 23: parks, nothing is enabled
    jal(ZERO, -4), // 24
  ];

  const workerBody = `
    const { Hart } = engine('cores/hart.ts');
    const { Bus } = engine('memory/bus.ts');
    const { ReservationTable } = engine('memory/reservation-table.ts');
    const { machine, hartId, ramBase, ramSize, entry } = workerData;
    const hart = new Hart(hartId, {
      physical: machine.physical,
      ramPhysOffset: 0,
      ramBase,
      ramSize,
      pageFlags: new Uint8Array(machine.pageFlags),
      reservations: new ReservationTable(machine.reservations),
      bus: new Bus([]),
      onWatchedStore: () => false,
    });
    hart.reset(entry);
    const gate = new Int32Array(workerData.gate);
    Atomics.add(gate, 0, 1);
    Atomics.notify(gate, 0);
    for (let seen; (seen = Atomics.load(gate, 0)) < 2; ) Atomics.wait(gate, 0, seen, 50);
    for (let slices = 0; !hart.waiting && hart.trapLoop === undefined && slices < 1e6; slices++) hart.run(997);
    return { waiting: hart.waiting, trapLoop: hart.trapLoop !== undefined, mcause: hart.mcause, scFailures: hart.x[13] };
  `;

  it('should count exactly with two harts on two workers running LR/SC and AMOADD loops on the same words', async () => {
    const machine = createSharedMachine();
    const bench = new TestHart(program, { machine });
    const gate = new SharedArrayBuffer(4);
    const results = await Promise.all([0, 1].map((hartId) =>
      runInWorker<{ waiting: boolean; trapLoop: boolean; mcause: number; scFailures: number }>(workerBody, {
        machine, hartId, ramBase: RAM_BASE, ramSize: RAM_SIZE, entry: RAM_BASE, gate,
      })));
    for (const r of results) expect({ waiting: r.waiting, trapLoop: r.trapLoop, mcause: r.mcause }).toEqual({ waiting: true, trapLoop: false, mcause: 0 });
    expect({
      mixed: bench.peek32(COUNTERS + MIXED),
      lrsc: bench.peek32(COUNTERS + LRSC),
      amo: bench.peek32(COUNTERS + AMO),
    }).toEqual({ mixed: 4 * ITERATIONS, lrsc: 2 * ITERATIONS, amo: 2 * ITERATIONS });
  });
});
