// Sv32 permissions: R/W/X per access, the U bit against S and U, SUM, MXR, and MPRV with MPP for M-mode data.

import { describe, expect, it } from 'vitest';
import { MSTATUS_MPP_SHIFT, MSTATUS_MPRV, MSTATUS_MXR, MSTATUS_SUM } from '../../../engine/cores/mstatus.js';
import { Privilege, TrapCause } from '../../../engine/cores/trap-cause.js';
import { A0, A1, A2, jalr, lw, sw, ZERO } from './rv-asm.js';
import { pagedHart, Pte } from './sv32-bench.js';
import { RAM_BASE, TestHart } from './test-hart.js';

const DATA = RAM_BASE + 0x4000;
const VA = 0x4000_0000;
const AD = Pte.V | Pte.A | Pte.D;
const enum Access { Load = 'load', Store = 'store', Fetch = 'fetch' }
const FAULT = { load: TrapCause.LoadPageFault, store: TrapCause.StorePageFault, fetch: TrapCause.InstructionPageFault };

/** Makes one access to VA (mapped with `flags`) in `priv` with `mstatus`; returns the trap cause or 'ok'. */
function attempt(access: Access, priv: Privilege, flags: number, mstatus = 0): number | 'ok' {
  const program = access === Access.Load ? [lw(A0, 0, A1)] : access === Access.Store ? [sw(A2, 0, A1)] : [jalr(ZERO, A1, 0)];
  const t = new TestHart(program);
  const tables = pagedHart(t, priv);
  tables.map(VA, DATA, flags);
  t.poke32(DATA, 0x13); // addi x0, x0, 0: something to fetch
  t.hart.mstatus = mstatus;
  t.set(A1, VA);
  t.step(access === Access.Fetch ? 2 : 1);
  return t.hart.mcause === 0 ? 'ok' : t.hart.mcause;
}

describe('Sv32 permissions', () => {
  it.each([
    [Access.Load, Pte.R, 'ok'], [Access.Load, Pte.X, FAULT.load], [Access.Load, Pte.R | Pte.W, 'ok'],
    [Access.Store, Pte.R, FAULT.store], [Access.Store, Pte.R | Pte.W, 'ok'], [Access.Store, Pte.R | Pte.X, FAULT.store],
    [Access.Fetch, Pte.R, FAULT.fetch], [Access.Fetch, Pte.X, 'ok'], [Access.Fetch, Pte.R | Pte.W | Pte.X, 'ok'],
  ])('should give an S-mode %s of a page with flags %i: %s', (access, flags, expected) => {
    expect(attempt(access, Privilege.Supervisor, AD | flags)).toBe(expected);
  });

  it('should fault U-mode accesses to pages without U, and allow those with it', () => {
    expect(attempt(Access.Load, Privilege.User, AD | Pte.R)).toBe(FAULT.load);
    expect(attempt(Access.Load, Privilege.User, AD | Pte.R | Pte.U)).toBe('ok');
    expect(attempt(Access.Fetch, Privilege.User, AD | Pte.X | Pte.U)).toBe('ok');
  });

  it('should fault S-mode loads and stores to U pages unless SUM is set', () => {
    expect(attempt(Access.Load, Privilege.Supervisor, AD | Pte.R | Pte.U)).toBe(FAULT.load);
    expect(attempt(Access.Load, Privilege.Supervisor, AD | Pte.R | Pte.U, MSTATUS_SUM)).toBe('ok');
    expect(attempt(Access.Store, Privilege.Supervisor, AD | Pte.R | Pte.W | Pte.U, MSTATUS_SUM)).toBe('ok');
  });

  it('should never let S-mode execute a U page, SUM or not', () => {
    expect(attempt(Access.Fetch, Privilege.Supervisor, AD | Pte.X | Pte.U, MSTATUS_SUM)).toBe(FAULT.fetch);
  });

  it('should let loads read execute-only pages when MXR is set', () => {
    expect(attempt(Access.Load, Privilege.Supervisor, AD | Pte.X, MSTATUS_MXR)).toBe('ok');
    expect(attempt(Access.Store, Privilege.Supervisor, AD | Pte.X, MSTATUS_MXR)).toBe(FAULT.store);
  });

  it('should translate M-mode loads and stores with MPP\'s privilege when MPRV is set, but not fetches', () => {
    const t = new TestHart([lw(A0, 0, A1), lw(A2, 0, A1)]);
    const tables = pagedHart(t, Privilege.Machine);
    tables.map(VA, DATA, AD | Pte.R | Pte.U);
    t.poke32(DATA, 0xabcd);
    t.hart.mstatus = MSTATUS_MPRV | (Privilege.User << MSTATUS_MPP_SHIFT);
    t.set(A1, VA);
    t.step();
    expect(t.getU(A0)).toBe(0xabcd);
    t.hart.mstatus = MSTATUS_MPRV | (Privilege.Supervisor << MSTATUS_MPP_SHIFT); // S may not touch a U page without SUM
    t.step();
    expect(t.hart.mcause).toBe(TrapCause.LoadPageFault);
  });

  it('should use physical addresses in M-mode with MPRV clear, whatever satp says', () => {
    const t = new TestHart([lw(A0, 0, A1)]);
    pagedHart(t, Privilege.Machine);
    t.poke32(DATA, 0x77);
    t.set(A1, DATA);
    t.step();
    expect(t.getU(A0)).toBe(0x77);
  });
});
