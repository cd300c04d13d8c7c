// Loads and stores: widths, extension, misaligned accesses, access faults, devices and self-modifying code.

import { describe, expect, it } from 'vitest';
import { TrapCause } from '../../../engine/cores/trap-cause.js';
import {
  A0, A1, A2, A3, A4, ZERO,
  addi, amoswap_w, c_li, fence_i, jal, lb, lbu, lh, lhu, lw, nop, sb, sh, sw,
} from './rv-asm.js';
import { M_TRAP_VECTOR, RAM_BASE, RAM_SIZE, SCRATCH_BASE, TestHart, UNMAPPED, u32 } from './test-hart.js';

const DATA = RAM_BASE + 0x4000;

/** A bench with a1 = DATA and the 8 bytes 80 81 .. 87 followed by 7f ff 00 01 at DATA. */
function withData(program: number[]): TestHart {
  const t = new TestHart(program);
  for (let i = 0; i < 8; i++) t.poke8(DATA + i, 0x80 + i);
  t.poke32(DATA + 8, 0x0100ff7f);
  t.set(A1, DATA);
  return t;
}

describe('loads of every width', () => {
  it.each([
    ['lb a0, 0(a1) sign-extends 0x80', lb(A0, 0, A1), 0xffffff80],
    ['lbu a0, 0(a1) zero-extends 0x80', lbu(A0, 0, A1), 0x80],
    ['lb a0, 8(a1) keeps 0x7f positive', lb(A0, 8, A1), 0x7f],
    ['lb a0, 9(a1) sign-extends 0xff to -1', lb(A0, 9, A1), 0xffffffff],
    ['lh a0, 0(a1) sign-extends 0x8180', lh(A0, 0, A1), 0xffff8180],
    ['lhu a0, 0(a1) zero-extends 0x8180', lhu(A0, 0, A1), 0x8180],
    ['lh a0, 10(a1) keeps 0x0100 positive', lh(A0, 10, A1), 0x0100],
    ['lw a0, 0(a1) is little-endian', lw(A0, 0, A1), 0x83828180],
    ['lw a0, 4(a1)', lw(A0, 4, A1), 0x87868584],
    ['lhu a0, 6(a1)', lhu(A0, 6, A1), 0x8786],
  ])('should execute `%s`', (_name, instruction, expected) => {
    const t = withData([instruction]);
    t.step();
    expect(t.getU(A0)).toBe(expected);
    expect(t.pc).toBe(RAM_BASE + 4);
  });

  it('should execute `lw a0, -4(a1)` with a negative offset', () => {
    const t = withData([lw(A0, -4, A1)]);
    t.poke32(DATA - 4, 0xcafef00d);
    t.step();
    expect(t.getU(A0)).toBe(0xcafef00d);
  });

  it('should execute `lw zero, 0(a1)` reading memory but discarding the value', () => {
    const t = withData([lw(ZERO, 0, A1), addi(A0, ZERO, 0)]);
    t.step(2);
    expect(t.get(ZERO)).toBe(0);
    expect(t.get(A0)).toBe(0);
  });

  it('should execute `lw a1, 0(a1)` (rd == rs1) using the old a1 as the address', () => {
    const t = withData([lw(A1, 0, A1)]);
    t.step();
    expect(t.getU(A1)).toBe(0x83828180);
  });

  it('should read the last word of RAM', () => {
    const t = new TestHart([lw(A0, -4, A1)]);
    t.poke32(RAM_BASE + RAM_SIZE - 4, 0x11223344);
    t.set(A1, RAM_BASE + RAM_SIZE);
    t.step();
    expect(t.getU(A0)).toBe(0x11223344);
  });
});

describe('stores of every width', () => {
  it.each([
    ['sb a0, 1(a1) writes one byte', sb(A0, 1, A1), [0x80, 0xef, 0x82, 0x83, 0x84]],
    ['sh a0, 2(a1) writes two bytes', sh(A0, 2, A1), [0x80, 0x81, 0xef, 0xbe, 0x84]],
    ['sw a0, 0(a1) writes four bytes little-endian', sw(A0, 0, A1), [0xef, 0xbe, 0xad, 0xde, 0x84]],
  ])('should execute `%s` and leave the neighbours alone', (_name, instruction, bytes) => {
    const t = withData([instruction]);
    t.set(A0, 0xdeadbeef);
    t.step();
    expect([0, 1, 2, 3, 4].map((i) => t.peek8(DATA + i))).toEqual(bytes);
    expect(t.pc).toBe(RAM_BASE + 4);
  });

  it('should execute `sw a0, -2048(a1)` with the most negative offset', () => {
    const t = withData([sw(A0, -2048, A1)]);
    t.set(A0, 0x01020304);
    t.step();
    expect(t.peek32(DATA - 2048)).toBe(0x01020304);
  });

  it('should execute `sw zero, 0(a1)` storing zero', () => {
    const t = withData([sw(ZERO, 0, A1)]);
    t.step();
    expect(t.peek32(DATA)).toBe(0);
  });

  it('should store then load back the same word', () => {
    const t = withData([sw(A0, 12, A1), lw(A2, 12, A1)]);
    t.set(A0, -123456789);
    t.step(2);
    expect(t.get(A2)).toBe(-123456789);
  });
});

describe('misaligned loads and stores in RAM (performed by the hart, as on QEMU)', () => {
  it.each([
    ['lw a0, 1(a1)', lw(A0, 1, A1), 0x84838281],
    ['lw a0, 2(a1)', lw(A0, 2, A1), 0x85848382],
    ['lw a0, 3(a1)', lw(A0, 3, A1), 0x86858483],
    ['lh a0, 1(a1)', lh(A0, 1, A1), 0xffff8281],
    ['lhu a0, 3(a1)', lhu(A0, 3, A1), 0x8483],
    ['lh a0, 7(a1) (0x7f87, positive)', lh(A0, 7, A1), 0x7f87],
  ])('should execute `%s`', (_name, instruction, expected) => {
    const t = withData([instruction]);
    t.step();
    expect(t.getU(A0)).toBe(expected);
    expect(t.pc).toBe(RAM_BASE + 4);
    expect(t.hart.mcause).toBe(0);
  });

  it('should execute `sw a0, 1(a1)` writing bytes 1..4 only', () => {
    const t = withData([sw(A0, 1, A1)]);
    t.set(A0, 0x44332211);
    t.step();
    expect([0, 1, 2, 3, 4, 5].map((i) => t.peek8(DATA + i))).toEqual([0x80, 0x11, 0x22, 0x33, 0x44, 0x85]);
    expect(t.pc).toBe(RAM_BASE + 4);
  });

  it('should execute `sh a0, 3(a1)` writing bytes 3..4 only', () => {
    const t = withData([sh(A0, 3, A1)]);
    t.set(A0, 0x2211);
    t.step();
    expect([2, 3, 4, 5].map((i) => t.peek8(DATA + i))).toEqual([0x82, 0x11, 0x22, 0x85]);
  });

  it('should execute a misaligned `lw` and `sw` that straddle a page boundary', () => {
    const edge = RAM_BASE + 0x5000;
    const t = new TestHart([sw(A0, -2, A1), lw(A2, -2, A1)]);
    t.set(A1, edge).set(A0, 0xa1b2c3d4);
    t.step(2);
    expect(t.peek16(edge - 2)).toBe(0xc3d4);
    expect(t.peek16(edge)).toBe(0xa1b2);
    expect(t.getU(A2)).toBe(0xa1b2c3d4);
  });
});

describe('access faults', () => {
  it.each([
    ['lw a0, 0(a1) from unmapped space', lw(A0, 0, A1), UNMAPPED],
    ['lb a0, 0(a1) from the byte below RAM', lb(A0, 0, A1), RAM_BASE - 1],
    ['lhu a0, 0(a1) from the first byte past RAM', lhu(A0, 0, A1), RAM_BASE + RAM_SIZE],
    ['lw a0, 0(a1) straddling the end of RAM', lw(A0, 0, A1), RAM_BASE + RAM_SIZE - 2],
    ['lw a0, 0(a1) past the end of the scratch device', lw(A0, 0, A1), SCRATCH_BASE + 4],
  ])('should trap `%s` as a load access fault (mcause 5, mtval = address)', (_name, instruction, addr) => {
    const t = new TestHart([instruction]);
    t.set(A1, addr).set(A0, 0x5a5a);
    t.step();
    expect(t.machineTrap).toEqual({ mcause: TrapCause.LoadAccessFault, mepc: RAM_BASE, mtval: u32(addr) });
    expect(t.pc).toBe(M_TRAP_VECTOR);
    expect(t.get(A0)).toBe(0x5a5a);
  });

  it.each([
    ['sw a0, 0(a1) to unmapped space', sw(A0, 0, A1), UNMAPPED],
    ['sb a0, 0(a1) to the byte below RAM', sb(A0, 0, A1), RAM_BASE - 1],
    ['sh a0, 0(a1) to the first byte past RAM', sh(A0, 0, A1), RAM_BASE + RAM_SIZE],
    ['sw a0, 0(a1) straddling the end of RAM', sw(A0, 0, A1), RAM_BASE + RAM_SIZE - 2],
    ['sb a0, 0(a1) past the end of the scratch device', sb(A0, 0, A1), SCRATCH_BASE + 4],
  ])('should trap `%s` as a store access fault (mcause 7, mtval = address)', (_name, instruction, addr) => {
    const t = new TestHart([instruction]);
    t.set(A1, addr).set(A0, 0x5a5a);
    t.poke16(RAM_BASE + RAM_SIZE - 2, 0x7777);
    t.step();
    expect(t.machineTrap).toEqual({ mcause: TrapCause.StoreAccessFault, mepc: RAM_BASE, mtval: u32(addr) });
    expect(t.pc).toBe(M_TRAP_VECTOR);
    expect(t.peek16(RAM_BASE + RAM_SIZE - 2)).toBe(0x7777);
  });

  it('should report the faulting address computed with a negative offset', () => {
    const t = new TestHart([nop(), lw(A0, -16, A1)]);
    t.set(A1, UNMAPPED + 16);
    t.step(2);
    expect(t.machineTrap).toEqual({ mcause: TrapCause.LoadAccessFault, mepc: RAM_BASE + 4, mtval: UNMAPPED });
  });
});

describe('devices on the bus', () => {
  it('should execute `sw a0, 0(a1)` and `lw a2, 0(a1)` through the bus', () => {
    const t = new TestHart([sw(A0, 0, A1), lw(A2, 0, A1)]);
    t.set(A1, SCRATCH_BASE).set(A0, 0x89abcdef);
    t.step(2);
    expect(t.scratch.value).toBe(0x89abcdef);
    expect(t.getU(A2)).toBe(0x89abcdef);
    expect(t.scratch.log).toEqual([
      { kind: 'write', offset: 0, size: 4, value: 0x89abcdef },
      { kind: 'read', offset: 0, size: 4, value: 0x89abcdef },
    ]);
  });

  it('should pass the access width and offset to the device for `sb` and `sh`', () => {
    const t = new TestHart([sb(A0, 1, A1), sh(A0, 2, A1)]);
    t.set(A1, SCRATCH_BASE).set(A0, 0x1234);
    t.step(2);
    expect(t.scratch.log.map(({ offset, size }) => [offset, size])).toEqual([[1, 1], [2, 2]]);
    expect(t.scratch.value).toBe(0x12343400);
  });

  it('should sign-extend `lb`/`lh` and zero-extend `lbu`/`lhu` of device data', () => {
    const t = new TestHart([lb(A0, 0, A1), lbu(A2, 0, A1), lh(A3, 2, A1), lhu(A4, 2, A1)]);
    t.scratch.value = 0x8001_0080;
    t.set(A1, SCRATCH_BASE);
    t.step(4);
    expect([t.getU(A0), t.getU(A2), t.getU(A3), t.getU(A4)]).toEqual([0xffffff80, 0x80, 0xffff8001, 0x8001]);
  });
});

describe('devices on the bus: side effects and alignment', () => {
  it('should still perform a device read for `lw zero, 0(a1)` (loads to x0 keep their side effects)', () => {
    const t = new TestHart([lw(ZERO, 0, A1)]);
    t.set(A1, SCRATCH_BASE);
    t.step();
    expect(t.scratch.log).toEqual([{ kind: 'read', offset: 0, size: 4, value: 0 }]);
  });

  it('should trap a misaligned device load (address-misaligned or access fault) without touching the device', () => {
    const t = new TestHart([lw(A0, 2, A1)]);
    t.set(A1, SCRATCH_BASE);
    t.step();
    expect([TrapCause.LoadMisaligned, TrapCause.LoadAccessFault]).toContain(t.machineTrap.mcause);
    expect(t.machineTrap.mtval).toBe(SCRATCH_BASE + 2);
    expect(t.scratch.log).toEqual([]);
  });

  it('should trap a misaligned device store (address-misaligned or access fault) without touching the device', () => {
    const t = new TestHart([sh(A0, 1, A1)]);
    t.set(A1, SCRATCH_BASE).set(A0, -1);
    t.step();
    expect([TrapCause.StoreMisaligned, TrapCause.StoreAccessFault]).toContain(t.machineTrap.mcause);
    expect(t.scratch.value).toBe(0);
  });
});

describe('self-modifying code', () => {
  // 0: addi a0, zero, 1   <- rewritten to `addi a0, zero, 2`
  // 4: sw a2, 0(a1)       (a1 = RAM_BASE, a2 = the new instruction)
  // 8: jal zero, .-8
  const program = [addi(A0, ZERO, 1), sw(A2, 0, A1), jal(ZERO, -8)];

  it('should run the new instruction after a store overwrote one that already ran (single steps)', () => {
    const t = new TestHart(program);
    t.set(A1, RAM_BASE).set(A2, addi(A0, ZERO, 2));
    t.step(4);
    expect(t.get(A0)).toBe(2);
    expect(t.pc).toBe(RAM_BASE + 4);
  });

  it('should run the new instruction when the store and the re-execution fall in the same slice', () => {
    const t = new TestHart(program);
    t.set(A1, RAM_BASE).set(A2, addi(A0, ZERO, 2));
    t.run(4);
    expect(t.get(A0)).toBe(2);
  });

  it('should re-decode a 32-bit instruction whose upper half was rewritten by `sh`', () => {
    // addi a0, zero, 1 has imm in bits 31:20; rewriting the upper half turns it into addi a0, zero, 0x7ff.
    const t = new TestHart([addi(A0, ZERO, 1), sh(A2, 2, A1), jal(ZERO, -8)]);
    t.set(A1, RAM_BASE).set(A2, addi(A0, ZERO, 0x7ff) >>> 16);
    t.run(4);
    expect(t.get(A0)).toBe(0x7ff);
  });

  it('should re-decode an instruction straddling a page boundary when only its second page is written', () => {
    const at = RAM_BASE + 0x0ffc;
    // 0xffc: c.li a0, 0 (2 bytes), 0xffe: addi a0, zero, 1 (straddles into the next page), 0x1002: jal back.
    const t = new TestHart([jal(ZERO, 0xffc)]);
    t.load([c_li(A0, 0), addi(A0, ZERO, 1), sh(A2, 0, A1), jal(ZERO, -8)], at);
    t.set(A1, RAM_BASE + 0x1000).set(A2, addi(A0, ZERO, 0x123) >>> 16);
    t.step(1 + 4 + 1);
    expect(t.pc).toBe(at + 6);
    expect(t.get(A0)).toBe(0x123);
  });

  it('should run code another hart stored once this hart executes FENCE.I', () => {
    const a = new TestHart([addi(A0, ZERO, 1), fence_i(), jal(ZERO, -8)]);
    const b = new TestHart([], { machine: a.machine, hartId: 1 });
    b.load([sw(A2, 0, A1)], RAM_BASE + 0x100);
    b.hart.pc = RAM_BASE + 0x100;
    b.set(A1, RAM_BASE).set(A2, addi(A0, ZERO, 2));
    a.step();
    b.step();
    a.step(3);
    expect(a.get(A0)).toBe(2);
  });

  it('should re-decode code rewritten by an AMO', () => {
    const t = new TestHart([addi(A0, ZERO, 1), amoswap_w(ZERO, A2, A1), jal(ZERO, -8)]);
    t.set(A1, RAM_BASE).set(A2, addi(A0, ZERO, 3));
    t.run(4);
    expect(t.get(A0)).toBe(3);
  });
});
