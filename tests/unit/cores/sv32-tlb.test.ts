// The TLB and the decode cache under Sv32: what SFENCE.VMA, satp writes and a migration flush, and decoded
// code kept per physical page staying right when virtual mappings change.

import { describe, expect, it } from 'vitest';
import { Csr } from '../../../engine/cores/csr.js';
import { CONTEXT_NUMBERS, CONTEXT_WORDS } from '../../../engine/cores/hart-context.js';
import { Privilege } from '../../../engine/cores/trap-cause.js';
import { A0, A1, A2, A3, addi, csrw, jal, jalr, lw, sfence_vma, ZERO } from './rv-asm.js';
import { pagedHart, Pte, satpSv32 } from './sv32-bench.js';
import { RAM_BASE, TestHart, u32 } from './test-hart.js';

const VA = 0x4000_0000;
const PAGE_A = RAM_BASE + 0x4000;
const PAGE_B = RAM_BASE + 0x5000;
const PAGE_C = RAM_BASE + 0x7000;
const RW = Pte.V | Pte.R | Pte.W | Pte.A | Pte.D;
const RX = Pte.V | Pte.R | Pte.X | Pte.A;

/** An S-mode hart whose program loads VA twice with `between` in the middle; VA maps PAGE_A, then PAGE_B. */
function remapped(between: number[]): { first: number; second: number } {
  const t = new TestHart([lw(A0, 0, A1), ...between, lw(A2, 0, A1)]);
  const tables = pagedHart(t, Privilege.Supervisor);
  tables.map(VA, PAGE_A, RW);
  t.poke32(PAGE_A, 0xa);
  t.poke32(PAGE_B, 0xb);
  t.set(A1, VA).set(A3, satpSv32());
  t.step();
  tables.map(VA, PAGE_B, RW);
  t.step(between.length + 1);
  return { first: t.get(A0), second: t.get(A2) };
}

describe('Sv32 TLB', () => {
  it('should keep using a cached translation until SFENCE.VMA (the spec requires the fence)', () => {
    expect(remapped([addi(ZERO, ZERO, 0)])).toEqual({ first: 0xa, second: 0xa });
  });

  it.each([
    ['sfence.vma', [sfence_vma()]],
    ['sfence.vma by address', [sfence_vma(A1, ZERO)]],
    ['sfence.vma by ASID', [addi(A0, ZERO, 0), sfence_vma(ZERO, A0)]],
    ['a satp write (of the same value)', [csrw(Csr.Satp, A3)]],
  ])('should see the new mapping after %s', (_name, between) => {
    expect(remapped(between).second).toBe(0xb);
  });

  it('should drop the TLB when a vCPU\'s context is loaded (another core may have changed its mappings)', () => {
    const t = new TestHart([lw(A0, 0, A1), lw(A2, 0, A1)]);
    const tables = pagedHart(t, Privilege.Supervisor);
    tables.map(VA, PAGE_A, RW);
    t.poke32(PAGE_A, 0xa);
    t.poke32(PAGE_B, 0xb);
    t.set(A1, VA);
    t.step();
    tables.map(VA, PAGE_B, RW); // and the hart ran SFENCE.VMA on another core
    const words = new Int32Array(CONTEXT_WORDS);
    const numbers = new Float64Array(CONTEXT_NUMBERS);
    t.hart.saveContext(words, numbers);
    t.hart.loadContext(words, numbers);
    t.step();
    expect(t.get(A2)).toBe(0xb);
  });

  it('should carry satp in the saved context', () => {
    const t = new TestHart();
    t.hart.satp = satpSv32(5);
    const words = new Int32Array(CONTEXT_WORDS);
    t.hart.saveContext(words, new Float64Array(CONTEXT_NUMBERS));
    const copy = new TestHart();
    copy.hart.loadContext(words, new Float64Array(CONTEXT_NUMBERS));
    expect(u32(copy.hart.satp)).toBe(u32(satpSv32(5)));
  });
});

describe('decoded code under Sv32', () => {
  it('should run the code of the newly mapped page after SFENCE.VMA, not the decoded old one', () => {
    const t = new TestHart([jalr(ZERO, A1, 0)]);
    const tables = pagedHart(t, Privilege.Supervisor);
    t.load([addi(A0, ZERO, 1), jal(ZERO, 0)], PAGE_A);
    t.load([addi(A0, ZERO, 2), jal(ZERO, 0)], PAGE_B);
    tables.map(VA, PAGE_A, RX);
    t.set(A1, VA);
    t.step(3);
    expect(t.get(A0)).toBe(1);
    tables.map(VA, PAGE_B, RX);
    t.load([sfence_vma(), jalr(ZERO, A1, 0)], RAM_BASE);
    t.hart.pc = RAM_BASE;
    t.step(3);
    expect(t.get(A0)).toBe(2);
  });

  it('should fold pc-relative targets for the virtual page it runs at, when one physical page is mapped twice', () => {
    // `jal a2, 8` at VA and at VA + 0x1000 (the same physical page): the link and target differ.
    const t = new TestHart([jalr(ZERO, A1, 0)]);
    const tables = pagedHart(t, Privilege.Supervisor);
    t.load([jal(A2, 8)], PAGE_A);
    tables.map(VA, PAGE_A, RX).map(VA + 0x1000, PAGE_A, RX);
    t.set(A1, VA);
    t.step(2);
    expect([t.pc, u32(t.get(A2))]).toEqual([VA + 8, VA + 4]);
    t.hart.pc = VA + 0x1000;
    t.step();
    expect([t.pc, u32(t.get(A2))]).toEqual([VA + 0x1008, VA + 0x1004]);
  });

  it('should fetch the upper half of an instruction that straddles two virtual pages from the second mapping', () => {
    const t = new TestHart([jalr(ZERO, A1, 0)]);
    const tables = pagedHart(t, Privilege.Supervisor);
    const insn = addi(A0, ZERO, 0x123);
    t.poke16(PAGE_A + 0xffe, insn & 0xffff);
    t.poke16(PAGE_C, insn >>> 16); // the next virtual page is PAGE_C, not the next physical one
    tables.map(VA, PAGE_A, RX).map(VA + 0x1000, PAGE_C, RX);
    t.hart.flushDecodeCache();
    t.set(A1, VA + 0xffe);
    t.step(2);
    expect(t.get(A0)).toBe(0x123);
  });
});
