// Sv32 translation: the two-level walk, superpages, invalid and reserved PTEs, and the page-fault causes and tval.

import { describe, expect, it } from 'vitest';
import { Privilege, TrapCause } from '../../../engine/cores/trap-cause.js';
import { A0, A1, A2, jalr, lw, sw, ZERO } from './rv-asm.js';
import { pagedHart, Pte, ROOT } from './sv32-bench.js';
import { M_TRAP_VECTOR, RAM_BASE, TestHart, u32 } from './test-hart.js';

const RW = Pte.V | Pte.R | Pte.W | Pte.A | Pte.D;
const DATA = RAM_BASE + 0x4000;
const VA = 0x4000_1000;

/** Runs `program` in S-mode under Sv32 after `setup` maps what it needs. */
function paged(program: number[], setup: (t: TestHart, map: ReturnType<typeof pagedHart>) => void, steps = program.length): TestHart {
  const t = new TestHart(program);
  const tables = pagedHart(t, Privilege.Supervisor);
  setup(t, tables);
  t.step(steps);
  return t;
}

describe('Sv32 walk', () => {
  it('should load and store through a 4 KiB page mapped elsewhere', () => {
    const t = paged([lw(A0, 8, A1), sw(A2, 12, A1)], (t, map) => {
      map.map(VA, DATA, RW);
      t.poke32(DATA + 8, 0x1234_5678);
      t.set(A1, VA).set(A2, 0x55aa);
    });
    expect(t.getU(A0)).toBe(0x1234_5678);
    expect(t.peek32(DATA + 12)).toBe(0x55aa);
  });

  it('should translate through a 4 MiB superpage, keeping va[21:12] in the physical address', () => {
    const t = paged([lw(A0, 0, A1)], (t, map) => {
      map.mapMega(0xc000_0000, RAM_BASE, RW);
      t.poke32(DATA + 4, 0xfeed);
      t.set(A1, 0xc000_4004);
    });
    expect(t.getU(A0)).toBe(0xfeed);
  });

  it('should raise a load page fault with stval = the virtual address for a misaligned superpage (ppn[0] != 0)', () => {
    const t = paged([lw(A0, 0, A1)], (t, map) => {
      map.mapMega(0xc000_0000, RAM_BASE + 0x1000, RW);
      t.set(A1, 0xc000_0010);
    });
    expect(t.machineTrap).toEqual({ mcause: TrapCause.LoadPageFault, mepc: RAM_BASE, mtval: 0xc000_0010 });
  });

  it('should raise a store page fault for an invalid PTE (V = 0)', () => {
    const t = paged([sw(A2, 0, A1)], (t, map) => {
      map.setLeaf(VA, ((DATA >>> 12) << 10) | Pte.R | Pte.W);
      t.set(A1, VA + 0x20);
    });
    expect(t.machineTrap).toEqual({ mcause: TrapCause.StorePageFault, mepc: RAM_BASE, mtval: VA + 0x20 });
  });

  it.each([
    ['W without R', Pte.V | Pte.W],
    ['W X without R', Pte.V | Pte.W | Pte.X],
  ])('should raise a page fault for the reserved leaf encoding %s', (_name, flags) => {
    const t = paged([lw(A0, 0, A1)], (t, map) => {
      map.map(VA, DATA, flags | Pte.A | Pte.D);
      t.set(A1, VA);
    });
    expect(t.machineTrap.mcause).toBe(TrapCause.LoadPageFault);
  });

  it('should raise a page fault when the second level is a pointer too', () => {
    const t = paged([lw(A0, 0, A1)], (t, map) => {
      map.setLeaf(VA, ((DATA >>> 12) << 10) | Pte.V);
      t.set(A1, VA);
    });
    expect(t.machineTrap.mcause).toBe(TrapCause.LoadPageFault);
  });

  it('should raise an access fault of the access\'s type when a PTE lies outside the hart\'s RAM', () => {
    const t = paged([sw(A2, 0, A1)], (t) => {
      t.poke32(ROOT + 4 * (VA >>> 22), ((0x9000_0000 >>> 12) << 10) | Pte.V); // a table beyond RAM
      t.set(A1, VA);
    });
    expect(t.machineTrap).toEqual({ mcause: TrapCause.StoreAccessFault, mepc: RAM_BASE, mtval: VA });
  });

  it('should raise an instruction page fault with mepc = mtval = the target of a jump to an unmapped page', () => {
    const t = paged([jalr(ZERO, A1, 0)], (t) => t.set(A1, VA), 2);
    expect(t.machineTrap).toEqual({ mcause: TrapCause.InstructionPageFault, mepc: VA, mtval: VA });
    expect(t.pc).toBe(M_TRAP_VECTOR);
  });

  it('should raise an access fault with the virtual address when a mapped page is not RAM or a device', () => {
    const t = paged([lw(A0, 0, A1)], (t, map) => {
      map.map(VA, 0x4000_0000, RW);
      t.set(A1, VA + 4);
    });
    expect(t.machineTrap).toEqual({ mcause: TrapCause.LoadAccessFault, mepc: RAM_BASE, mtval: VA + 4 });
  });

  it('should take a page fault delegated to S-mode with stval = the virtual address', () => {
    const t = paged([lw(A0, 0, A1)], (t) => {
      t.hart.medeleg = 1 << TrapCause.LoadPageFault;
      t.set(A1, VA + 8);
    });
    expect(t.supervisorTrap).toEqual({ scause: TrapCause.LoadPageFault, sepc: RAM_BASE, stval: VA + 8 });
    expect(u32(t.hart.mcause)).toBe(0);
  });
});
