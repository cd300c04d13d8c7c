// Sv32 inside one slice: the translated loop's inlined TLB hits for loads, stores and fetches must see what
// SFENCE.VMA, A/D updates and self-modifying code change, and a trap that switches between the translated
// and the direct loop must count as single steps do. (Most hart tests single-step; these run whole slices.)

import { describe, expect, it } from 'vitest';
import { Csr } from '../../../engine/cores/csr.js';
import { MSTATUS_MPP_SHIFT, MSTATUS_MPRV } from '../../../engine/cores/mstatus.js';
import { Privilege, TrapCause } from '../../../engine/cores/trap-cause.js';
import { A0, A1, A2, A3, A4, A5, A6, addi, bne, csrrs, csrrw, ecall, jal, jalr, lw, mret, RA, sfence_vma, sw, T0, ZERO } from './rv-asm.js';
import { type PageTables, pagedHart, Pte } from './sv32-bench.js';
import { M_TRAP_VECTOR, RAM_BASE, TestHart, u32 } from './test-hart.js';

const VA = 0x4000_0000;
/** Where the guest sees the second-level table that holds VA's PTE. */
const VA_TABLE = 0x4040_1000; // another TLB slot than VA
const PAGE_A = RAM_BASE + 0x4000;
const PAGE_B = RAM_BASE + 0x5000;
const RW = Pte.V | Pte.R | Pte.W | Pte.A | Pte.D;
const RX = Pte.V | Pte.R | Pte.X | Pte.A;

const pte = (pa: number, flags: number): number => (((pa >>> 12) << 10) | flags) | 0;

/** An S-mode hart with VA mapped to PAGE_A (`flags`) and VA's page table mapped at VA_TABLE; A1 = VA, A3 = VA's PTE there. */
function setUp(program: number[], flags: number): { t: TestHart; tables: PageTables } {
  const t = new TestHart(program);
  const tables = pagedHart(t, Privilege.Supervisor);
  tables.map(VA, PAGE_A, flags);
  const leaf = tables.leafAddress(VA);
  tables.map(VA_TABLE, leaf & ~0xfff, RW);
  t.set(A1, VA).set(A3, VA_TABLE + (leaf & 0xfff));
  return { t, tables };
}

describe('Sv32 in one slice', () => {
  it('should store through the new mapping after the guest changes the PTE and runs SFENCE.VMA', () => {
    const { t } = setUp([sw(A2, 0, A1), sw(A4, 0, A3), sfence_vma(), sw(A5, 0, A1), lw(A0, 0, A1)], RW);
    t.set(A2, 0x11).set(A4, pte(PAGE_B, RW)).set(A5, 0x22);
    expect(t.run(5)).toBe(5);
    expect([t.peek32(PAGE_A), t.peek32(PAGE_B), t.get(A0)]).toEqual([0x11, 0x22, 0x22]);
  });

  it('should keep storing through the cached translation when the guest changes the PTE without SFENCE.VMA', () => {
    const { t } = setUp([sw(A2, 0, A1), sw(A4, 0, A3), sw(A5, 4, A1)], RW);
    t.set(A2, 0x11).set(A4, pte(PAGE_B, RW)).set(A5, 0x22);
    t.run(3);
    expect([t.peek32(PAGE_A + 4), t.peek32(PAGE_B + 4)]).toEqual([0x22, 0]);
  });

  it('should set D on the first store to a clean page that loads have already put in the TLB', () => {
    const { t, tables } = setUp([lw(A0, 0, A1), lw(A0, 4, A1), sw(A2, 8, A1), sw(A2, 12, A1)], Pte.V | Pte.R | Pte.W | Pte.A);
    t.set(A2, 0x33);
    t.run(4);
    expect(tables.leaf(VA) & Pte.D).toBe(Pte.D);
    expect([t.peek32(PAGE_A + 8), t.peek32(PAGE_A + 12)]).toEqual([0x33, 0x33]);
  });

  it('should set D again when the guest cleans the PTE and runs SFENCE.VMA', () => {
    const { t, tables } = setUp([sw(A2, 0, A1), sw(A4, 0, A3), sfence_vma(), sw(A2, 4, A1)], RW);
    t.set(A2, 0x44).set(A4, pte(PAGE_A, Pte.V | Pte.R | Pte.W | Pte.A));
    t.run(4);
    expect(tables.leaf(VA) & Pte.D).toBe(Pte.D);
    expect(t.peek32(PAGE_A + 4)).toBe(0x44);
  });

  it('should raise a store page fault once W is removed and SFENCE.VMA has run, after stores that hit the TLB', () => {
    const { t } = setUp([sw(A2, 0, A1), sw(A2, 4, A1), sw(A4, 0, A3), sfence_vma(), sw(A5, 8, A1)], RW);
    t.set(A2, 0x55).set(A4, pte(PAGE_A, Pte.V | Pte.R | Pte.A | Pte.D)).set(A5, 0x66);
    expect(t.run(5)).toBe(5);
    expect(t.machineTrap).toEqual({ mcause: TrapCause.StorePageFault, mepc: RAM_BASE + 16, mtval: VA + 8 });
    expect(t.pc).toBe(M_TRAP_VECTOR);
    expect([t.peek32(PAGE_A + 4), t.peek32(PAGE_A + 8)]).toEqual([0x55, 0]);
    expect(t.hart.instret).toBe(4);
  });

  it('should fetch from the new mapping after the guest remaps a code page and runs SFENCE.VMA', () => {
    const { t } = setUp([jalr(RA, A1, 0), addi(A6, A0, 0), sw(A4, 0, A3), sfence_vma(), jalr(RA, A1, 0)], RX);
    t.load([addi(A0, ZERO, 1), jalr(ZERO, RA, 0)], PAGE_A);
    t.load([addi(A0, ZERO, 2), jalr(ZERO, RA, 0)], PAGE_B);
    t.set(A4, pte(PAGE_B, RX));
    expect(t.run(9)).toBe(9);
    expect([t.get(A6), t.get(A0), t.pc]).toEqual([1, 2, RAM_BASE + 20]);
  });

  it('should run code the guest rewrote through a writable alias of its code page', () => {
    // The first instruction runs, is overwritten with addi a0, zero, 7 through VA, and runs again.
    const { t, tables } = setUp([addi(A0, ZERO, 1), bne(A5, ZERO, 16), sw(A2, 0, A1), addi(A5, ZERO, 1), jal(ZERO, -16)], RW);
    tables.map(VA, RAM_BASE, RW);
    t.set(A2, addi(A0, ZERO, 7));
    expect(t.run(7)).toBe(7);
    expect([t.get(A0), t.pc]).toEqual([7, RAM_BASE + 20]);
  });

  it('should load and store through translation in M-mode with MPRV (physical fetches, translated data)', () => {
    const { t, tables } = setUp([lw(A0, 0, A1), sw(A2, 4, A1), lw(A5, 4, A1), lw(A6, 0, A4)], Pte.V | Pte.R | Pte.W | Pte.A);
    t.hart.priv = Privilege.Machine;
    t.hart.mstatus = MSTATUS_MPRV | (Privilege.Supervisor << MSTATUS_MPP_SHIFT);
    t.poke32(PAGE_A, 0x77);
    t.poke32(PAGE_B, 0x88);
    t.set(A2, 0x99).set(A4, VA + 0x1000);
    tables.map(VA + 0x1000, PAGE_B, Pte.V | Pte.R | Pte.A);
    expect(t.run(4)).toBe(4);
    expect([t.get(A0), t.get(A5), t.get(A6), t.peek32(PAGE_A + 4)]).toEqual([0x77, 0x99, 0x88, 0x99]);
    expect(tables.leaf(VA) & Pte.D).toBe(Pte.D);
  });

  it('should count a slice that traps from S-mode into M-mode and back as single steps do', () => {
    // S: a load through VA, then ecall; M (untranslated): a physical load, mepc += 4, mret.
    const build = (): TestHart => {
      const { t } = setUp([lw(A0, 0, A1), ecall(), addi(A0, A0, 1)], RW);
      t.load([lw(A2, 0, A4), csrrs(T0, Csr.Mepc, ZERO), addi(T0, T0, 4), csrrw(ZERO, Csr.Mepc, T0), mret()], M_TRAP_VECTOR);
      t.poke32(PAGE_A, 0x10);
      t.poke32(PAGE_B, 0x20);
      t.set(A4, PAGE_B);
      return t;
    };
    const sliced = build();
    const stepped = build();
    expect(sliced.run(100)).toBe(7); // mret ends the slice
    stepped.step(7);
    for (const t of [sliced, stepped]) {
      expect([t.get(A0), t.get(A2), t.pc, t.hart.priv]).toEqual([0x10, 0x20, RAM_BASE + 8, Privilege.Supervisor]);
    }
    expect([sliced.hart.instret, sliced.hart.cycles]).toEqual([stepped.hart.instret, stepped.hart.cycles]);
    expect(sliced.hart.instret).toBe(6);
    expect(sliced.run(1)).toBe(1);
    expect([sliced.get(A0), u32(sliced.hart.mepc)]).toEqual([0x11, RAM_BASE + 8]);
  });
});
