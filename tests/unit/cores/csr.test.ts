// Zicsr and the CSR file: the six CSR instructions, access rules, WARL fields, views and counters.

import { describe, expect, it } from 'vitest';
import { Csr, MISA } from '../../../engine/cores/csr.js';
import { MSTATUS_MIE, MSTATUS_MPIE, MSTATUS_MPP, MSTATUS_MPRV, MSTATUS_MXR, MSTATUS_SIE, MSTATUS_SPIE, MSTATUS_SPP, MSTATUS_SUM, MSTATUS_TSR, MSTATUS_TVM, MSTATUS_TW } from '../../../engine/cores/mstatus.js';
import { MIP_MEIP, MIP_MSIP, MIP_MTIP, MIP_SEIP, MIP_SSIP, MIP_STIP, Privilege, TrapCause } from '../../../engine/cores/trap-cause.js';
import { A0, A1, A2, T0, ZERO, addi, csrc, csrr, csrrc, csrrci, csrrs, csrrsi, csrrw, csrrwi, csrw, csrwi, lw } from './rv-asm.js';
import { exec, expectIllegal, RAM_BASE, TestHart } from './test-hart.js';

const MSTATUS_MPP_S = 1 << 11;
const MSTATUS_MPP_M = 3 << 11;

describe('CSRRW, CSRRS, CSRRC', () => {
  it('should execute `csrrw a0, mscratch, a1`: a0 gets the old value, mscratch gets a1', () => {
    const t = exec([csrrw(A0, Csr.Mscratch, A1)], (t) => {
      t.hart.mscratch = 0x1111;
      t.set(A1, 0x2222);
    });
    expect([t.get(A0), t.hart.mscratch]).toEqual([0x1111, 0x2222]);
    expect(t.pc).toBe(RAM_BASE + 4);
  });

  it('should execute `csrrw a1, mscratch, a1` (rd == rs1) as a swap', () => {
    const t = exec([csrrw(A1, Csr.Mscratch, A1)], (t) => {
      t.hart.mscratch = 0x1111;
      t.set(A1, 0x2222);
    });
    expect([t.get(A1), t.hart.mscratch]).toEqual([0x1111, 0x2222]);
  });

  it('should execute `csrrs a0, mscratch, a1` setting the bits of a1', () => {
    const t = exec([csrrs(A0, Csr.Mscratch, A1)], (t) => {
      t.hart.mscratch = 0xf0;
      t.set(A1, 0x0f0f);
    });
    expect([t.get(A0), t.hart.mscratch]).toEqual([0xf0, 0x0fff]);
  });

  it('should execute `csrrc a0, mscratch, a1` clearing the bits of a1', () => {
    const t = exec([csrrc(A0, Csr.Mscratch, A1)], (t) => {
      t.hart.mscratch = 0xff;
      t.set(A1, 0x0f);
    });
    expect([t.get(A0), t.hart.mscratch]).toEqual([0xff, 0xf0]);
  });

  it('should execute `csrrw zero, mscratch, a1` writing without a destination', () => {
    const t = exec([csrrw(ZERO, Csr.Mscratch, A1)], (t) => t.set(A1, 7));
    expect(t.hart.mscratch).toBe(7);
    expect(t.get(ZERO)).toBe(0);
  });

  it('should execute `csrrw a0, mscratch, zero` writing zero', () => {
    const t = exec([csrrw(A0, Csr.Mscratch, ZERO)], (t) => {
      t.hart.mscratch = 5;
    });
    expect([t.get(A0), t.hart.mscratch]).toEqual([5, 0]);
  });
});

describe('CSRRWI, CSRRSI, CSRRCI', () => {
  it('should execute `csrrwi a0, mscratch, 31` with a zero-extended immediate (31, not -1)', () => {
    const t = exec([csrrwi(A0, Csr.Mscratch, 31)], (t) => {
      t.hart.mscratch = -1;
    });
    expect([t.get(A0), t.hart.mscratch]).toEqual([-1, 31]);
  });

  it('should execute `csrrsi a0, mscratch, 0x11` setting bits', () => {
    const t = exec([csrrsi(A0, Csr.Mscratch, 0x11)], (t) => {
      t.hart.mscratch = 0x100;
    });
    expect([t.get(A0), t.hart.mscratch]).toEqual([0x100, 0x111]);
  });

  it('should execute `csrrci a0, mscratch, 0x1f` clearing only the low five bits', () => {
    const t = exec([csrrci(A0, Csr.Mscratch, 0x1f)], (t) => {
      t.hart.mscratch = -1;
    });
    expect([t.get(A0), t.hart.mscratch >>> 0]).toEqual([-1, 0xffffffe0]);
  });
});

describe('read-only CSRs and the rs1 = x0 / zimm = 0 rules', () => {
  it.each([
    ['csrrs a0, mhartid, zero', csrrs(A0, Csr.Mhartid, ZERO)],
    ['csrrc a0, mhartid, zero', csrrc(A0, Csr.Mhartid, ZERO)],
    ['csrrsi a0, mhartid, 0', csrrsi(A0, Csr.Mhartid, 0)],
    ['csrrci a0, mhartid, 0', csrrci(A0, Csr.Mhartid, 0)],
  ])('should execute `%s` as a plain read of a read-only CSR (no write, no trap)', (_name, instruction) => {
    const t = new TestHart([instruction], { hartId: 5 });
    t.step();
    expect(t.get(A0)).toBe(5);
    expect(t.pc).toBe(RAM_BASE + 4);
  });

  it.each([
    ['csrrw zero, mhartid, zero (CSRRW always writes)', csrrw(ZERO, Csr.Mhartid, ZERO)],
    ['csrrs a0, mhartid, a1 with a1 = 0 (a register other than x0 writes even when it holds 0)', csrrs(A0, Csr.Mhartid, A1)],
    ['csrrc a0, mhartid, a1 with a1 = 0', csrrc(A0, Csr.Mhartid, A1)],
    ['csrrwi zero, mvendorid, 0', csrrwi(ZERO, Csr.Mvendorid, 0)],
    ['csrrsi a0, marchid, 1', csrrsi(A0, Csr.Marchid, 1)],
    ['csrrw zero, mimpid, a1', csrrw(ZERO, Csr.Mimpid, A1)],
    ['csrrw zero, cycle, a1 (the user counters are read-only shadows)', csrrw(ZERO, Csr.Cycle, A1)],
    ['csrrw zero, time, a1', csrrw(ZERO, Csr.Time, A1)],
    ['csrrsi a0, instret, 1', csrrsi(A0, Csr.Instret, 1)],
    ['csrrw zero, instreth, a1', csrrw(ZERO, Csr.Instreth, A1)],
  ])('should trap `%s` as an illegal instruction with mtval = the instruction bits', (_name, instruction) => {
    const t = exec([instruction], (t) => t.set(A0, 0x5a).set(A1, 0));
    expectIllegal(t, instruction);
    expect(t.get(A0)).toBe(0x5a);
  });

  it.each([
    ['fflags (no F extension)', 0x001],
    ['dcsr (debug mode only)', 0x7b0],
    ['an unallocated machine CSR 0x3c0', 0x3c0],
    ['an unallocated supervisor CSR 0x1ff', 0x1ff],
  ])('should trap a read of %s as an illegal instruction', (_name, csr) => {
    const instruction = csrr(A0, csr);
    const t = exec([instruction], (t) => t.set(A0, 0x5a));
    expectIllegal(t, instruction);
    expect(t.get(A0)).toBe(0x5a);
  });
});

describe('CSR privilege', () => {
  it.each([
    ['S-mode', Privilege.Supervisor, 'mstatus', Csr.Mstatus],
    ['S-mode', Privilege.Supervisor, 'mscratch', Csr.Mscratch],
    ['S-mode', Privilege.Supervisor, 'mhartid', Csr.Mhartid],
    ['S-mode', Privilege.Supervisor, 'mcycle', Csr.Mcycle],
    ['U-mode', Privilege.User, 'sstatus', Csr.Sstatus],
    ['U-mode', Privilege.User, 'sscratch', Csr.Sscratch],
    ['U-mode', Privilege.User, 'mstatus', Csr.Mstatus],
  ] as const)('should trap %s reading %s as an illegal instruction', (_mode, priv, _name, csr) => {
    const instruction = csrr(A0, csr);
    const t = exec([instruction], (t) => {
      t.hart.priv = priv;
    });
    expectIllegal(t, instruction);
    expect(t.hart.priv).toBe(Privilege.Machine);
    expect(t.hart.mstatus & MSTATUS_MPP).toBe(priv << 11);
  });

  it('should let S-mode read and write its own CSRs', () => {
    const t = exec([csrrw(A0, Csr.Sscratch, A1), csrr(A2, Csr.Sstatus)], (t) => {
      t.hart.priv = Privilege.Supervisor;
      t.hart.sscratch = 3;
      t.set(A1, 4);
    });
    expect([t.get(A0), t.hart.sscratch]).toEqual([3, 4]);
    expect(t.pc).toBe(RAM_BASE + 8);
  });
});

describe('machine information registers', () => {
  it('should read misa as RV32 (MXL = 1) with exactly A, C, I, M, S and U', () => {
    const t = exec([csrr(A0, Csr.Misa)]);
    const letters = 'ACIMSU'.split('').reduce((m, c) => m | (1 << (c.charCodeAt(0) - 65)), 0);
    expect(t.getU(A0)).toBe((0x4000_0000 | letters) >>> 0);
    expect(t.get(A0)).toBe(MISA);
  });

  it('should ignore writes to misa (WARL, the extensions are fixed) without trapping', () => {
    const t = exec([csrw(Csr.Misa, ZERO), csrr(A0, Csr.Misa)]);
    expect(t.get(A0)).toBe(MISA);
    expect(t.pc).toBe(RAM_BASE + 8);
  });

  it('should read mhartid as the hart id', () => {
    const t = new TestHart([csrr(A0, Csr.Mhartid)], { hartId: 3 });
    t.step();
    expect(t.get(A0)).toBe(3);
  });

  it.each([
    ['mvendorid', Csr.Mvendorid],
    ['marchid', Csr.Marchid],
    ['mimpid', Csr.Mimpid],
  ])('should read %s (0: not implemented / non-commercial) without trapping', (_name, csr) => {
    const t = exec([csrr(A0, csr)], (t) => t.set(A0, 0x5a));
    expect(t.get(A0)).toBe(0);
    expect(t.pc).toBe(RAM_BASE + 4);
  });
});

describe('mstatus and sstatus', () => {
  it('should keep the old MPP when 2 (reserved, no H) is written to mstatus.MPP', () => {
    const t = exec([csrw(Csr.Mstatus, A1)], (t) => {
      t.hart.mstatus = MSTATUS_MPP_S;
      t.set(A1, 2 << 11);
    });
    expect(t.hart.mstatus & MSTATUS_MPP).toBe(MSTATUS_MPP_S);
  });

  it.each([0, 1, 3])('should accept MPP = %i', (mpp) => {
    const t = exec([csrw(Csr.Mstatus, A1)], (t) => {
      t.hart.mstatus = mpp === 1 ? MSTATUS_MPP_M : MSTATUS_MPP_S;
      t.set(A1, mpp << 11);
    });
    expect((t.hart.mstatus & MSTATUS_MPP) >>> 11).toBe(mpp);
  });

  it('should keep FS, VS, XS and SD zero (no F, V or custom state) when all ones are written', () => {
    const t = exec([csrw(Csr.Mstatus, A1), csrr(A0, Csr.Mstatus)], (t) => t.set(A1, -1));
    const FS = 3 << 13, VS = 3 << 9, XS = 3 << 15, SD = 1 << 31;
    expect(t.get(A0) & (FS | VS | XS | SD)).toBe(0);
    const implemented = MSTATUS_SIE | MSTATUS_MIE | MSTATUS_SPIE | MSTATUS_MPIE | MSTATUS_SPP | MSTATUS_MPP |
      MSTATUS_MPRV | MSTATUS_SUM | MSTATUS_MXR | MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR;
    expect(t.get(A0) & implemented).toBe(implemented);
  });

  it('should read sstatus as a view of mstatus that hides the machine fields', () => {
    const t = exec([csrr(A0, Csr.Sstatus)], (t) => {
      t.hart.mstatus = MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP_M | MSTATUS_SIE | MSTATUS_SPP | MSTATUS_SUM | MSTATUS_TSR;
    });
    expect(t.get(A0)).toBe(MSTATUS_SIE | MSTATUS_SPP | MSTATUS_SUM);
  });

  it('should write through sstatus only the supervisor fields of mstatus', () => {
    const t = exec([csrw(Csr.Sstatus, A1)], (t) => {
      t.hart.mstatus = MSTATUS_MPP_S;
      t.set(A1, -1);
    });
    expect(t.hart.mstatus).toBe(MSTATUS_MPP_S | MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_SUM | MSTATUS_MXR);
  });

  it('should clear supervisor fields through sstatus without touching MIE', () => {
    const t = exec([csrc(Csr.Sstatus, A1)], (t) => {
      t.hart.mstatus = MSTATUS_MIE | MSTATUS_SIE | MSTATUS_SPIE;
      t.set(A1, -1);
    });
    expect(t.hart.mstatus).toBe(MSTATUS_MIE);
  });
});

describe('mie, mip, mideleg and their supervisor views', () => {
  it('should keep only the six standard interrupt-enable bits in mie', () => {
    const t = exec([csrw(Csr.Mie, A1)], (t) => t.set(A1, -1));
    expect(t.hart.mie).toBe(MIP_SSIP | MIP_MSIP | MIP_STIP | MIP_MTIP | MIP_SEIP | MIP_MEIP);
  });

  it('should let software write only SSIP, STIP and SEIP in mip; MSIP, MTIP and MEIP come from devices', () => {
    const t = exec([csrw(Csr.Mip, A1), csrr(A0, Csr.Mip)], (t) => t.set(A1, -1));
    expect(t.get(A0)).toBe(MIP_SSIP | MIP_STIP | MIP_SEIP);
  });

  it('should show the device lines in mip and ignore software attempts to clear them', () => {
    const t = exec([csrw(Csr.Mip, ZERO), csrr(A0, Csr.Mip)], (t) => {
      t.hart.mipLines = MIP_MTIP | MIP_MSIP | MIP_MEIP;
    });
    expect(t.get(A0)).toBe(MIP_MTIP | MIP_MSIP | MIP_MEIP);
  });

  it('should not latch the external SEIP line into the software SEIP bit on `csrrs mip` (only the software bit takes part in the read-modify-write)', () => {
    // Privileged spec, mip: "Only the software-writable SEIP bit participates in the read-modify-write
    // sequence of a CSRRS or CSRRC instruction."
    const t = exec([csrrsi(ZERO, Csr.Mip, MIP_SSIP)], (t) => {
      t.hart.mipLines = MIP_SEIP;
    });
    t.hart.mipLines = 0;
    expect(t.hart.mip() & MIP_SEIP).toBe(0);
  });

  it('should delegate only supervisor interrupts through mideleg', () => {
    const t = exec([csrw(Csr.Mideleg, A1)], (t) => t.set(A1, -1));
    expect(t.hart.mideleg).toBe(MIP_SSIP | MIP_STIP | MIP_SEIP);
  });

  it('should keep medeleg bit 11 (ecall from M) read-only zero while allowing ecall from U to be delegated', () => {
    const t = exec([csrw(Csr.Medeleg, A1)], (t) => t.set(A1, -1));
    expect(t.hart.medeleg & (1 << TrapCause.EcallFromM)).toBe(0);
    expect(t.hart.medeleg & (1 << TrapCause.EcallFromU)).not.toBe(0);
  });

  it('should read sie as mie masked by mideleg', () => {
    const t = exec([csrr(A0, Csr.Sie), csrw(Csr.Mideleg, A1), csrr(A2, Csr.Sie)], (t) => {
      t.hart.mie = 0xaaa;
      t.set(A1, MIP_STIP | MIP_SSIP);
    });
    expect([t.get(A0), t.get(A2)]).toEqual([0, MIP_STIP | MIP_SSIP]);
  });

  it('should write through sie only the delegated bits of mie', () => {
    const t = exec([csrw(Csr.Sie, A1)], (t) => {
      t.hart.mideleg = MIP_STIP;
      t.hart.mie = MIP_MTIP;
      t.set(A1, -1);
    });
    expect(t.hart.mie).toBe(MIP_MTIP | MIP_STIP);
  });

  it('should read sip as mip masked by mideleg', () => {
    const t = exec([csrr(A0, Csr.Sip)], (t) => {
      t.hart.mideleg = MIP_SEIP | MIP_SSIP;
      t.hart.mipLines = MIP_MTIP | MIP_SEIP;
      t.hart.mipSoft = MIP_STIP;
    });
    expect(t.get(A0)).toBe(MIP_SEIP);
  });

  it('should let S-mode set SSIP through sip only when SSIP is delegated', () => {
    const delegated = exec([csrwi(Csr.Sip, MIP_SSIP)], (t) => {
      t.hart.mideleg = MIP_SSIP;
      t.hart.priv = Privilege.Supervisor;
    });
    expect(delegated.hart.mip() & MIP_SSIP).toBe(MIP_SSIP);
    const notDelegated = exec([csrwi(Csr.Sip, MIP_SSIP)], (t) => {
      t.hart.priv = Privilege.Supervisor;
    });
    expect(notDelegated.hart.mip() & MIP_SSIP).toBe(0);
  });

  it('should not let software set STIP through sip (read-only there)', () => {
    const t = exec([csrw(Csr.Sip, A1)], (t) => {
      t.hart.mideleg = MIP_STIP | MIP_SSIP;
      t.set(A1, MIP_STIP);
    });
    expect(t.hart.mip() & MIP_STIP).toBe(0);
  });
});

describe('trap vector and exception PC registers', () => {
  it('should keep mtvec vectored mode (1) and direct mode (0) with their base', () => {
    const t = exec([csrw(Csr.Mtvec, A1), csrr(A0, Csr.Mtvec), csrw(Csr.Mtvec, A2), csrr(T0, Csr.Mtvec)], (t) => {
      t.set(A1, RAM_BASE + 0x101).set(A2, RAM_BASE + 0x200);
    });
    expect([t.getU(A0), t.getU(T0)]).toEqual([RAM_BASE + 0x101, RAM_BASE + 0x200]);
  });

  it.each([2, 3])('should turn the reserved mtvec mode %i into a legal mode, keeping the base', (mode) => {
    const t = exec([csrw(Csr.Mtvec, A1), csrr(A0, Csr.Mtvec)], (t) => t.set(A1, RAM_BASE + 0x100 + mode));
    expect(t.getU(A0) & 3).toBeLessThan(2);
    expect(t.getU(A0) & ~3).toBe((RAM_BASE + 0x100) | 0);
  });

  it('should apply the same legalisation to stvec', () => {
    const t = exec([csrw(Csr.Stvec, A1), csrr(A0, Csr.Stvec)], (t) => t.set(A1, RAM_BASE + 0x103));
    expect(t.getU(A0) & 3).toBeLessThan(2);
  });

  it.each([
    ['mepc', Csr.Mepc],
    ['sepc', Csr.Sepc],
  ])('should clear bit 0 of %s (IALIGN = 16 keeps bit 1)', (_name, csr) => {
    const t = exec([csrw(csr, A1), csrr(A0, csr)], (t) => t.set(A1, RAM_BASE + 0x103));
    expect(t.getU(A0)).toBe(RAM_BASE + 0x102);
  });

  it('should hold a legal cause written to mcause/scause and an address written to mtval/stval', () => {
    const t = exec([csrw(Csr.Mcause, A1), csrw(Csr.Mtval, A1), csrw(Csr.Scause, A1), csrw(Csr.Stval, A1)], (t) => t.set(A1, 0x8000_0005));
    expect([t.hart.mcause >>> 0, t.hart.mtval >>> 0, t.hart.scause >>> 0, t.hart.stval >>> 0]).toEqual(Array(4).fill(0x8000_0005));
  });
});

describe('satp', () => {
  it('should keep every bit written (RV32\'s one-bit MODE makes Bare and Sv32 both legal, as on QEMU)', () => {
    const t = exec([csrw(Csr.Satp, A1), csrr(A0, Csr.Satp)], (t) => t.set(A1, 0x8040_1234));
    expect(t.getU(A0)).toBe(0x8040_1234);
  });

  it('should trap an S-mode access to satp when mstatus.TVM = 1', () => {
    const instruction = csrr(A0, Csr.Satp);
    const t = exec([instruction], (t) => {
      t.hart.mstatus = MSTATUS_TVM;
      t.hart.priv = Privilege.Supervisor;
    });
    expectIllegal(t, instruction);
  });

  it('should let S-mode access satp when mstatus.TVM = 0', () => {
    const t = exec([csrr(A0, Csr.Satp)], (t) => {
      t.hart.priv = Privilege.Supervisor;
    });
    expect(t.pc).toBe(RAM_BASE + 4);
  });
});

describe('reset', () => {
  it('should put the hart in M-mode at the reset pc with a0 = the given hart id and a1 = the given pointer', () => {
    const t = exec([csrwi(Csr.Mstatus, 8), csrwi(Csr.Mie, 8), addi(A2, ZERO, 3)]);
    t.hart.priv = Privilege.User;
    t.hart.reset(RAM_BASE + 0x40, 7, 0x1234);
    expect([t.pc, t.hart.priv, t.get(A0), t.get(A1), t.get(A2)]).toEqual([RAM_BASE + 0x40, Privilege.Machine, 7, 0x1234, 0]);
    expect([t.hart.mstatus, t.hart.mie, t.hart.medeleg, t.hart.mideleg, t.hart.satp]).toEqual([0, 0, 0, 0, 0]);
    expect([t.hart.waiting, t.hart.trapLoop]).toEqual([false, undefined]);
  });

  it('should default a0 to the hart id', () => {
    const t = new TestHart([], { hartId: 2 });
    t.hart.reset(RAM_BASE);
    expect(t.get(A0)).toBe(2);
  });
});

describe('PMP registers', () => {
  const PMPCFG0 = 0x3a0, PMPADDR0 = 0x3b0;
  const L = 0x80, TOR = 0x08, NAPOT = 0x18, R = 1, W = 2, X = 4;

  it('should hold all 32 bits written to pmpaddr0 (the granularity probe of firmware)', () => {
    const t = exec([csrw(PMPADDR0, A1), csrr(A0, PMPADDR0)], (t) => t.set(A1, -1));
    expect(t.get(A0)).toBe(-1);
  });

  it('should read the reserved bits 5 and 6 of each pmpcfg byte as zero', () => {
    const t = exec([csrw(PMPCFG0, A1), csrr(A0, PMPCFG0)], (t) => t.set(A1, 0x7f7f7f7f));
    expect(t.getU(A0)).toBe(0x1f1f1f1f);
  });

  it('should never read back the reserved R = 0, W = 1 combination', () => {
    const t = exec([csrw(PMPCFG0, A1), csrr(A0, PMPCFG0)], (t) => t.set(A1, W | NAPOT));
    expect(t.get(A0) & (R | W)).not.toBe(W);
  });

  it('should ignore writes to a locked entry\'s pmpcfg and pmpaddr', () => {
    const t = exec([csrw(PMPADDR0, A1), csrw(PMPCFG0, A2), csrw(PMPCFG0, ZERO), csrw(PMPADDR0, ZERO), csrr(A0, PMPCFG0), csrr(T0, PMPADDR0)], (t) => {
      t.set(A1, 0x2000_0000).set(A2, L | NAPOT | R | X);
    });
    expect(t.getU(A0) & 0xff).toBe(L | NAPOT | R | X);
    expect(t.get(T0)).toBe(0x2000_0000);
  });

  it('should ignore writes to pmpaddr0 when entry 1 is locked in TOR mode (pmpaddr0 is its bottom)', () => {
    const t = exec([csrw(PMPADDR0, A1), csrw(PMPCFG0, A2), csrw(PMPADDR0, ZERO), csrr(T0, PMPADDR0)], (t) => {
      t.set(A1, 0x1000).set(A2, (L | TOR | R) << 8);
    });
    expect(t.get(T0)).toBe(0x1000);
  });

  it('should fail a U-mode load that matches no PMP entry, since PMP entries are implemented', () => {
    // Privileged spec, PMP: "If no PMP entry matches an S-mode or U-mode access, but at least one PMP
    // entry is implemented, the access fails." Entry 0 lets U run the code page and nothing else.
    const t = exec([lw(A0, 0, A1)], (t) => {
      t.hart.pmpaddr[0] = (RAM_BASE >>> 2) | 0x1ff;
      t.hart.pmpcfg[0] = 0x1c; // NAPOT over the first 4 KiB of RAM, X only
      t.hart.pmpChanged();
      t.hart.priv = Privilege.User;
      t.set(A1, RAM_BASE + 0x4000);
    });
    expect(t.machineTrap.mcause).toBe(TrapCause.LoadAccessFault);
  });
});

describe('trigger CSRs (Sdtrig with no triggers)', () => {
  it('should read tselect, tdata1-3 as 0 and tinfo as 1 (type 0 only) from M-mode, and ignore writes', () => {
    const t = exec([csrw(0x7a0, A1), csrr(A0, 0x7a0), csrw(0x7a1, A1), csrr(A2, 0x7a1), csrr(T0, 0x7a4)], (t) => t.set(A1, 0x2000_0044));
    expect([t.get(A0), t.get(A2), t.get(T0)]).toEqual([0, 0, 1]);
  });

  it('should make them illegal below M-mode', () => {
    const instruction = csrr(A0, 0x7a0);
    const t = exec([instruction], (t) => { t.hart.priv = Privilege.Supervisor; });
    expectIllegal(t, instruction);
  });
});
