// PMP enforced: TOR, NA4 and NAPOT ranges, priority, partial matches, the L bit binding M-mode, the
// defaults for M and for S/U, checks after translation and on the page walk's own reads.

import { describe, expect, it } from 'vitest';
import { Csr } from '../../../engine/cores/csr.js';
import { MSTATUS_MPP, MSTATUS_MPP_SHIFT, MSTATUS_MPRV } from '../../../engine/cores/mstatus.js';
import { Privilege, TrapCause } from '../../../engine/cores/trap-cause.js';
import { A0, A1, A2, csrw, lw, mret, sw } from './rv-asm.js';
import { pagedHart, Pte, ROOT } from './sv32-bench.js';
import { closePmp, RAM_BASE, TestHart } from './test-hart.js';

const R = 1, W = 2, X = 4, L = 0x80;
const TOR = 1 << 3, NA4 = 2 << 3, NAPOT = 3 << 3;
const DATA = RAM_BASE + 0x4000;
const CODE = (RAM_BASE >>> 2) | 0x1ff; // NAPOT over the code page

/** Sets the PMP entries (cfg byte, pmpaddr) from 0 up. */
function pmp(t: TestHart, entries: [number, number][]): void {
  closePmp(t.hart);
  entries.forEach(([cfg, addr], i) => {
    t.hart.pmpcfg[i >>> 2] |= cfg << ((i & 3) * 8);
    t.hart.pmpaddr[i] = addr;
  });
  t.hart.pmpChanged();
}

/** One load (or store) of `addr` in `priv`; the trap cause or 'ok'. */
function access(priv: Privilege, entries: [number, number][], addr: number, store = false): number | 'ok' {
  const t = new TestHart([store ? sw(A2, 0, A1) : lw(A0, 0, A1)]);
  pmp(t, entries);
  t.hart.priv = priv;
  t.set(A1, addr);
  t.step();
  return t.hart.mcause === 0 ? 'ok' : t.hart.mcause;
}

const codeEntry: [number, number] = [NAPOT | X, CODE];

describe('PMP', () => {
  it('should match TOR from the previous pmpaddr (or 0) up to, not including, its own', () => {
    const tor: [number, number][] = [codeEntry, [0, DATA >>> 2], [TOR | R, (DATA + 0x100) >>> 2]];
    expect(access(Privilege.User, tor, DATA)).toBe('ok');
    expect(access(Privilege.User, tor, DATA + 0xfc)).toBe('ok');
    expect(access(Privilege.User, tor, DATA + 0x100)).toBe(TrapCause.LoadAccessFault);
    expect(access(Privilege.User, tor, DATA - 4)).toBe(TrapCause.LoadAccessFault);
  });

  it('should match NA4 on four bytes and NAPOT on the power of two its trailing ones give', () => {
    expect(access(Privilege.User, [codeEntry, [NA4 | R, (DATA + 8) >>> 2]], DATA + 8)).toBe('ok');
    expect(access(Privilege.User, [codeEntry, [NA4 | R, (DATA + 8) >>> 2]], DATA + 12)).toBe(TrapCause.LoadAccessFault);
    const napot64: [number, number] = [NAPOT | R, (DATA >>> 2) | 0b111]; // 2^(3+3) = 64 bytes
    expect(access(Privilege.User, [codeEntry, napot64], DATA + 60)).toBe('ok');
    expect(access(Privilege.User, [codeEntry, napot64], DATA + 64)).toBe(TrapCause.LoadAccessFault);
  });

  it('should let the lowest-numbered matching entry decide', () => {
    const denyFirst: [number, number][] = [codeEntry, [NA4, DATA >>> 2], [NAPOT | R | W, (DATA >>> 2) | 0x1ff]];
    expect(access(Privilege.User, denyFirst, DATA)).toBe(TrapCause.LoadAccessFault);
    expect(access(Privilege.User, denyFirst, DATA + 4)).toBe('ok');
    expect(access(Privilege.User, denyFirst, DATA + 4, true)).toBe('ok');
  });

  it('should fail an access that an entry matches only in part', () => {
    // A word at DATA + 2 straddles the NA4 entry at DATA: the entry matches two of its bytes.
    const t = new TestHart([lw(A0, 2, A1)]);
    pmp(t, [codeEntry, [NA4 | R, DATA >>> 2], [NAPOT | R, (DATA >>> 2) | 0x1ff]]);
    t.hart.priv = Privilege.User;
    t.set(A1, DATA);
    t.step();
    expect(t.machineTrap).toMatchObject({ mcause: TrapCause.LoadAccessFault, mtval: DATA + 2 });
  });

  it('should check stores against W', () => {
    expect(access(Privilege.Supervisor, [codeEntry, [NAPOT | R, (DATA >>> 2) | 0x1ff]], DATA, true)).toBe(TrapCause.StoreAccessFault);
  });

  it('should deny S and U what no entry matches, and M nothing unless an entry is locked', () => {
    expect(access(Privilege.Supervisor, [codeEntry], DATA)).toBe(TrapCause.LoadAccessFault);
    expect(access(Privilege.Machine, [[NAPOT, (DATA >>> 2) | 0x1ff]], DATA)).toBe('ok');
    expect(access(Privilege.Machine, [[NAPOT | L, (DATA >>> 2) | 0x1ff]], DATA)).toBe(TrapCause.LoadAccessFault);
    expect(access(Privilege.Machine, [[NAPOT | L | R, (DATA >>> 2) | 0x1ff]], DATA, true)).toBe(TrapCause.StoreAccessFault);
  });

  it('should fault an M-mode fetch from a locked entry without X', () => {
    const t = new TestHart([lw(A0, 0, A1)]);
    pmp(t, [[NAPOT | L | R, CODE]]);
    t.step();
    expect(t.machineTrap).toMatchObject({ mcause: TrapCause.InstructionAccessFault, mtval: RAM_BASE });
  });

  it('should refuse an mret to S or U while no entry is on, as QEMU 7.2 does', () => {
    const t = new TestHart([mret()]);
    closePmp(t.hart);
    t.hart.mstatus = 0; // MPP = U
    t.step();
    expect(t.machineTrap).toMatchObject({ mcause: TrapCause.IllegalInstruction, mtval: mret() });
    expect(t.hart.mstatus & MSTATUS_MPP).toBe(MSTATUS_MPP);
  });

  it('should take effect from the next instruction after a pmpcfg write', () => {
    const t = new TestHart([csrw(Csr.Pmpcfg0, A2), lw(A0, 0, A1)]);
    closePmp(t.hart);
    t.hart.pmpaddr[0] = (DATA >>> 2) | 0x1ff;
    t.set(A1, DATA).set(A2, NAPOT | L);
    t.step(2);
    expect(t.machineTrap.mcause).toBe(TrapCause.LoadAccessFault);
  });

  it('should check the physical address after translation, and the page walk\'s reads of the tables', () => {
    const VA = 0x4000_0000;
    const t = new TestHart([lw(A0, 0, A1)]);
    const tables = pagedHart(t, Privilege.Supervisor);
    tables.map(VA, DATA, Pte.V | Pte.R | Pte.A);
    t.set(A1, VA);
    pmp(t, [codeEntry, [NAPOT | R, (ROOT >>> 2) | 0x7ff]]); // the tables' 16 KiB but not DATA
    t.step();
    expect(t.machineTrap).toMatchObject({ mcause: TrapCause.LoadAccessFault, mtval: VA });

    // M-mode fetches untranslated; MPRV makes its load an S-mode one, whose walk may not read the tables.
    const walkDenied = new TestHart([lw(A0, 0, A1)]);
    pagedHart(walkDenied, Privilege.Machine).map(VA, DATA, Pte.V | Pte.R | Pte.A);
    walkDenied.hart.mstatus = MSTATUS_MPRV | (Privilege.Supervisor << MSTATUS_MPP_SHIFT);
    walkDenied.set(A1, VA);
    pmp(walkDenied, [[NAPOT | R, (DATA >>> 2) | 0x1ff]]); // DATA but not the tables
    walkDenied.step();
    expect(walkDenied.machineTrap).toMatchObject({ mcause: TrapCause.LoadAccessFault, mtval: VA });
  });
});
