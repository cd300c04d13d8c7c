// One RV32IMAC hart (Zicsr, Zifencei; M, S and U modes): the batch-step loop that executes decoded
// instructions in direct mode, and the slice around it and hart-translated.ts's translated loop. Its
// state, traps and counters are hart-state.ts; memory and decoding hart-access.ts; translation hart-mmu.ts.

import { PAGE_SHIFT } from '../memory/memory-map.js';
import { CSR_ILLEGAL, readCsr, writeCsr } from './csr.js';
import { FAULT_PAGE } from './hart-mmu.js';
import { EMPTY_PAGE, HartTranslated, NO_PAGE } from './hart-translated.js';
import { mulhSigned, mulhSignedUnsigned, mulhUnsigned } from './mul-high.js';
import { Op } from './op.js';
import { MSTATUS_MPP, MSTATUS_TSR, MSTATUS_TVM, MSTATUS_TW } from './mstatus.js';
import { INTERRUPT_BIT, MIP_SEIP, Privilege, TrapCause } from './trap-cause.js';

export type { TrapLoop } from './hart-state.js';

const EMPTY_FLAGS = new Uint8Array(1);
const MIP_CSR = 0x344;

export class Hart extends HartTranslated {
  /**
   * Executes up to `budget` instructions, taking interrupts first. Returns the number of cycles used.
   * A slice ends early on WFI, on a write that may unmask an interrupt, on a trap loop, or when a
   * device asks for it.
   */
  run(budget: number): number {
    if (this.trapLoop !== undefined) return 0;
    if (this.firmware !== undefined && this.serveFirmware(this.firmware)) return 0;
    const irq = this.pendingInterrupt();
    this.lastInterrupt = irq;
    if (irq >= 0) {
      this.waiting = false;
      this.pc = this.enterTrap((irq | INTERRUPT_BIT) | 0, 0, this.pc);
    } else if (this.waiting) {
      if ((this.mip() & this.mie) === 0) return 0;
      this.waiting = false;
    }
    this.updateTranslation();
    this.endSlice = false;
    this.runPc = this.pc | 0;
    this.runLeft = budget;
    this.sliceEnd = this.cycles + budget;
    this.runTrapped = 0;
    // Each loop runs until the slice ends or a trap switches the mode to the other loop's.
    for (;;) {
      const ended = this.directData && this.directFetch ? this.runDirect(budget) : this.runTranslated(budget);
      if (ended || this.runLeft <= 0) break;
    }
    this.pc = this.runPc;
    const executed = budget - this.runLeft;
    this.cycles += executed;
    const retired = executed - this.runTrapped;
    this.instret += retired;
    return executed;
  }

  /**
   * The loop for direct mode (no translation, no PMP): loads, stores and fetches use physical addresses.
   * Returns true when the slice ends, false when a trap turned translation or PMP on (runTranslated goes on).
   */
  private runDirect(budget: number): boolean {
    const x = this.x;
    const pages = this.pages;
    const flags = this.flags;
    const u8 = this.u8, i8 = this.i8, u16 = this.u16, i16 = this.i16, i32 = this.i32;
    const ramBase = this.ramBase;
    const ramSize = this.ramSize;
    let pc = this.runPc;
    let n = this.runLeft;
    let trapped = this.runTrapped;
    let done = true;
    // The first shared window (an inter-VM channel) gets a fast path too, on the RAM path's miss side.
    const win = this.windows[0];
    const winBase = win === undefined ? 0 : win.base | 0;
    const dataSize = ramSize;
    const winSize = win === undefined ? 0 : win.size;
    const winI32 = win === undefined ? EMPTY_PAGE : win.i32;
    const winStorable = win !== undefined && win.writable;
    const winFlags = win === undefined ? EMPTY_FLAGS : this.memory.pageFlags.subarray(win.physOffset >>> PAGE_SHIFT);
    // The decoded page the pc is in and its virtual page number (pc >> 12; NO_PAGE: none).
    let page: Int32Array = EMPTY_PAGE;
    let pageVpn = NO_PAGE;

    loop: while (n > 0) {
      n--;
      if ((pc >> 12) !== pageVpn) { // a signed shift: compared as int32, where pc >>> 12 cost Bare code 5 %
        const off = ((pc - ramBase) | 0) >>> 0;
        if (off < ramSize) {
          const index = off >>> PAGE_SHIFT;
          page = pages[index] ?? this.newPage(off);
          if (this.decodedVpn[index] !== pc >>> PAGE_SHIFT) page = this.redecode(index, pc >>> PAGE_SHIFT);
          this.codePageOff = off & ~4095;
          pageVpn = pc >> 12;
        } else {
          this.fault(TrapCause.InstructionAccessFault, pc);
          page = FAULT_PAGE;
          pageVpn = NO_PAGE;
        }
      }
      const slot = pc & 4094;
      let w = page[slot];
      if (w === 0) w = this.decodeSlot(page, slot, this.codePageOff + slot, pc);
      const imm = page[slot + 1];
      const npc = (pc + (w >>> 24)) | 0;
      switch (w & 0xff) {
        case Op.Li:
          x[(w >>> 8) & 63] = imm;
          pc = npc;
          continue;
        case Op.Jal:
          x[(w >>> 8) & 63] = npc;
          pc = imm;
          continue;
        case Op.Jalr: {
          const target = (x[(w >>> 14) & 31] + imm) & ~1;
          x[(w >>> 8) & 63] = npc;
          pc = target;
          continue;
        }
        case Op.Beq: pc = x[(w >>> 14) & 31] === x[(w >>> 19) & 31] ? imm : npc; continue;
        case Op.Bne: pc = x[(w >>> 14) & 31] !== x[(w >>> 19) & 31] ? imm : npc; continue;
        case Op.Blt: pc = x[(w >>> 14) & 31] < x[(w >>> 19) & 31] ? imm : npc; continue;
        case Op.Bge: pc = x[(w >>> 14) & 31] >= x[(w >>> 19) & 31] ? imm : npc; continue;
        case Op.Bltu: pc = (x[(w >>> 14) & 31] >>> 0) < (x[(w >>> 19) & 31] >>> 0) ? imm : npc; continue;
        case Op.Bgeu: pc = (x[(w >>> 14) & 31] >>> 0) >= (x[(w >>> 19) & 31] >>> 0) ? imm : npc; continue;

        case Op.Lw: {
          const addr = (x[(w >>> 14) & 31] + imm) | 0;
          const a = (addr - ramBase | 0) >>> 0;
          if (a < dataSize && (a & 3) === 0) {
            x[(w >>> 8) & 63] = i32[a >>> 2];
          } else if (((addr - winBase | 0) >>> 0) < winSize && (addr & 3) === 0) {
            // Atomics, so a guest spinning on a word the peer writes always sees the new value.
            x[(w >>> 8) & 63] = Atomics.load(winI32, ((addr - winBase | 0) >>> 0) >>> 2);
          } else {
            this.sliceCycles = budget - n - 1;
            const v = this.load(addr, 4, true);
            this.sliceCycles = 0;
            if (this.pendingCause >= 0) { pc = this.trapPending(pc, budget - n - 1, trapped++); break; }
            x[(w >>> 8) & 63] = v;
            if (this.endSlice) { pc = npc; break loop; }
          }
          pc = npc;
          continue;
        }
        case Op.Lh: case Op.Lhu: {
          const addr = (x[(w >>> 14) & 31] + imm) | 0;
          const a = (addr - ramBase | 0) >>> 0;
          const signed = (w & 0xff) === Op.Lh;
          if (a < dataSize && (a & 1) === 0) {
            x[(w >>> 8) & 63] = signed ? i16[a >>> 1] : u16[a >>> 1];
          } else {
            this.sliceCycles = budget - n - 1;
            const v = this.load(addr, 2, signed);
            this.sliceCycles = 0;
            if (this.pendingCause >= 0) { pc = this.trapPending(pc, budget - n - 1, trapped++); break; }
            x[(w >>> 8) & 63] = v;
            if (this.endSlice) { pc = npc; break loop; }
          }
          pc = npc;
          continue;
        }
        case Op.Lb: case Op.Lbu: {
          const addr = (x[(w >>> 14) & 31] + imm) | 0;
          const a = (addr - ramBase | 0) >>> 0;
          const signed = (w & 0xff) === Op.Lb;
          if (a < dataSize) {
            x[(w >>> 8) & 63] = signed ? i8[a] : u8[a];
          } else {
            this.sliceCycles = budget - n - 1;
            const v = this.load(addr, 1, signed);
            this.sliceCycles = 0;
            if (this.pendingCause >= 0) { pc = this.trapPending(pc, budget - n - 1, trapped++); break; }
            x[(w >>> 8) & 63] = v;
            if (this.endSlice) { pc = npc; break loop; }
          }
          pc = npc;
          continue;
        }
        case Op.Sw: {
          const addr = (x[(w >>> 14) & 31] + imm) | 0;
          const a = (addr - ramBase | 0) >>> 0;
          if (a < dataSize && (a & 3) === 0 && flags[a >>> PAGE_SHIFT] === 0) {
            i32[a >>> 2] = x[(w >>> 19) & 31];
          } else if (winStorable && ((addr - winBase | 0) >>> 0) < winSize && (addr & 3) === 0 && winFlags[((addr - winBase | 0) >>> 0) >>> PAGE_SHIFT] === 0) {
            Atomics.store(winI32, ((addr - winBase | 0) >>> 0) >>> 2, x[(w >>> 19) & 31]);
          } else {
            this.sliceCycles = budget - n - 1;
            this.store(addr, 4, x[(w >>> 19) & 31]);
            this.sliceCycles = 0;
            pageVpn = NO_PAGE; // the store may have invalidated decoded code
            if (this.pendingCause >= 0) { pc = this.trapPending(pc, budget - n - 1, trapped++); break; }
            if (this.endSlice) { pc = npc; break loop; }
          }
          pc = npc;
          continue;
        }
        case Op.Sh: {
          const addr = (x[(w >>> 14) & 31] + imm) | 0;
          const a = (addr - ramBase | 0) >>> 0;
          if (a < dataSize && (a & 1) === 0 && flags[a >>> PAGE_SHIFT] === 0) {
            u16[a >>> 1] = x[(w >>> 19) & 31];
          } else {
            this.sliceCycles = budget - n - 1;
            this.store(addr, 2, x[(w >>> 19) & 31]);
            this.sliceCycles = 0;
            pageVpn = NO_PAGE;
            if (this.pendingCause >= 0) { pc = this.trapPending(pc, budget - n - 1, trapped++); break; }
            if (this.endSlice) { pc = npc; break loop; }
          }
          pc = npc;
          continue;
        }
        case Op.Sb: {
          const addr = (x[(w >>> 14) & 31] + imm) | 0;
          const a = (addr - ramBase | 0) >>> 0;
          if (a < dataSize && flags[a >>> PAGE_SHIFT] === 0) {
            u8[a] = x[(w >>> 19) & 31];
          } else {
            this.sliceCycles = budget - n - 1;
            this.store(addr, 1, x[(w >>> 19) & 31]);
            this.sliceCycles = 0;
            pageVpn = NO_PAGE;
            if (this.pendingCause >= 0) { pc = this.trapPending(pc, budget - n - 1, trapped++); break; }
            if (this.endSlice) { pc = npc; break loop; }
          }
          pc = npc;
          continue;
        }

        case Op.Addi: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] + imm; pc = npc; continue;
        case Op.Slti: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] < imm ? 1 : 0; pc = npc; continue;
        case Op.Sltiu: x[(w >>> 8) & 63] = (x[(w >>> 14) & 31] >>> 0) < (imm >>> 0) ? 1 : 0; pc = npc; continue;
        case Op.Xori: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] ^ imm; pc = npc; continue;
        case Op.Ori: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] | imm; pc = npc; continue;
        case Op.Andi: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] & imm; pc = npc; continue;
        case Op.Slli: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] << imm; pc = npc; continue;
        case Op.Srli: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] >>> imm; pc = npc; continue;
        case Op.Srai: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] >> imm; pc = npc; continue;

        case Op.Add: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] + x[(w >>> 19) & 31]; pc = npc; continue;
        case Op.Sub: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] - x[(w >>> 19) & 31]; pc = npc; continue;
        case Op.Sll: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] << (x[(w >>> 19) & 31] & 31); pc = npc; continue;
        case Op.Slt: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] < x[(w >>> 19) & 31] ? 1 : 0; pc = npc; continue;
        case Op.Sltu: x[(w >>> 8) & 63] = (x[(w >>> 14) & 31] >>> 0) < (x[(w >>> 19) & 31] >>> 0) ? 1 : 0; pc = npc; continue;
        case Op.Xor: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] ^ x[(w >>> 19) & 31]; pc = npc; continue;
        case Op.Srl: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] >>> (x[(w >>> 19) & 31] & 31); pc = npc; continue;
        case Op.Sra: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] >> (x[(w >>> 19) & 31] & 31); pc = npc; continue;
        case Op.Or: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] | x[(w >>> 19) & 31]; pc = npc; continue;
        case Op.And: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] & x[(w >>> 19) & 31]; pc = npc; continue;

        case Op.Mul: x[(w >>> 8) & 63] = Math.imul(x[(w >>> 14) & 31], x[(w >>> 19) & 31]); pc = npc; continue;
        case Op.Mulh: x[(w >>> 8) & 63] = mulhSigned(x[(w >>> 14) & 31], x[(w >>> 19) & 31]); pc = npc; continue;
        case Op.Mulhsu: x[(w >>> 8) & 63] = mulhSignedUnsigned(x[(w >>> 14) & 31], x[(w >>> 19) & 31]); pc = npc; continue;
        case Op.Mulhu: x[(w >>> 8) & 63] = mulhUnsigned(x[(w >>> 14) & 31], x[(w >>> 19) & 31]); pc = npc; continue;
        case Op.Div: {
          const a = x[(w >>> 14) & 31], b = x[(w >>> 19) & 31];
          // Division by zero gives -1; the one overflow (-2^31 / -1) gives -2^31 (the |0 wraps it).
          x[(w >>> 8) & 63] = b === 0 ? -1 : (a / b) | 0;
          pc = npc;
          continue;
        }
        case Op.Divu: {
          const a = x[(w >>> 14) & 31] >>> 0, b = x[(w >>> 19) & 31] >>> 0;
          x[(w >>> 8) & 63] = b === 0 ? -1 : (a / b) >>> 0;
          pc = npc;
          continue;
        }
        case Op.Rem: {
          const a = x[(w >>> 14) & 31], b = x[(w >>> 19) & 31];
          x[(w >>> 8) & 63] = b === 0 ? a : b === -1 ? 0 : a % b;
          pc = npc;
          continue;
        }
        case Op.Remu: {
          const a = x[(w >>> 14) & 31] >>> 0, b = x[(w >>> 19) & 31] >>> 0;
          x[(w >>> 8) & 63] = b === 0 ? a : a % b;
          pc = npc;
          continue;
        }

        case Op.Fence:
          pc = npc;
          continue;
        case Op.FenceI:
          this.flushDecodeCache();
          this.codeEpoch = (this.codeEpoch + 1) | 0;
          pc = npc;
          break loop;

        case Op.Csrrw: case Op.Csrrs: case Op.Csrrc: case Op.Csrrwi: case Op.Csrrsi: case Op.Csrrci: {
          this.sliceCycles = budget - n - 1;
          this.sliceRetired = this.sliceCycles - trapped;
          const unmask = this.csrInstruction(w, imm);
          this.sliceCycles = this.sliceRetired = 0;
          if (this.pendingCause >= 0) { pc = this.trapPending(pc, budget - n - 1, trapped++); break; }
          pc = npc;
          if (unmask) break loop;
          continue;
        }

        case Op.Ecall:
          pc = this.trapAt(TrapCause.EcallFromU + this.priv, 0, pc, budget - n - 1, trapped++);
          if (this.endSlice) break loop; // a firmware call that changed what may run
          break;
        case Op.Ebreak:
          pc = this.trapAt(TrapCause.Breakpoint, pc, pc, budget - n - 1, trapped++);
          break;
        case Op.Mret:
          // QEMU 7.2 refuses an mret to S or U while no PMP entry is on (they could reach no memory).
          if (this.priv !== Privilege.Machine || ((this.mstatus & MSTATUS_MPP) !== MSTATUS_MPP && !this.pmp.anyActive)) {
            pc = this.trapAt(TrapCause.IllegalInstruction, 0x30200073, pc, budget - n - 1, trapped++);
            break;
          }
          pc = this.mret();
          break loop;
        case Op.Sret:
          if (this.priv === Privilege.User || (this.priv === Privilege.Supervisor && (this.mstatus & MSTATUS_TSR) !== 0)) {
            pc = this.trapAt(TrapCause.IllegalInstruction, 0x10200073, pc, budget - n - 1, trapped++);
            break;
          }
          pc = this.sret();
          break loop;
        case Op.Wfi:
          if (this.priv === Privilege.User || (this.priv === Privilege.Supervisor && (this.mstatus & MSTATUS_TW) !== 0)) {
            pc = this.trapAt(TrapCause.IllegalInstruction, 0x10500073, pc, budget - n - 1, trapped++);
            break;
          }
          pc = npc;
          this.waiting = (this.mip() & this.mie) === 0;
          break loop;
        case Op.SfenceVma:
          if (this.priv === Privilege.User || (this.priv === Privilege.Supervisor && (this.mstatus & MSTATUS_TVM) !== 0)) {
            const bits = 0x12000073 | (((w >>> 14) & 31) << 15) | (((w >>> 19) & 31) << 20);
            pc = this.trapAt(TrapCause.IllegalInstruction, bits, pc, budget - n - 1, trapped++);
            break;
          }
          // By address, by ASID or both: the TLB keeps neither apart, so every form flushes it all.
          this.flushTlb();
          pageVpn = NO_PAGE;
          pc = npc;
          continue;

        case Op.LrW: case Op.ScW: case Op.AmoSwap: case Op.AmoAdd: case Op.AmoXor: case Op.AmoAnd:
        case Op.AmoOr: case Op.AmoMin: case Op.AmoMax: case Op.AmoMinu: case Op.AmoMaxu: {
          const v = this.atomicOp(w & 0xff, x[(w >>> 14) & 31], x[(w >>> 19) & 31]);
          pageVpn = NO_PAGE;
          if (this.pendingCause >= 0) { pc = this.trapPending(pc, budget - n - 1, trapped++); break; }
          x[(w >>> 8) & 63] = v;
          pc = npc;
          if (this.endSlice) break loop;
          continue;
        }

        case Op.FetchFault:
          pc = this.trapAt(TrapCause.InstructionAccessFault, imm, pc, budget - n - 1, trapped++);
          break;
        case Op.PendingFault:
          if (page !== FAULT_PAGE) page[slot] = 0; // a straddling fetch that faulted: try again next time
          pc = this.trapPending(pc, budget - n - 1, trapped++);
          break;
        default: // Op.Illegal
          pc = this.trapAt(TrapCause.IllegalInstruction, imm, pc, budget - n - 1, trapped++);
          break;
      }
      // Only traps leave the switch: they change privilege, so what translation means may change too.
      if (this.trapLoop !== undefined) break;
      this.updateTranslation();
      if (!(this.directData && this.directFetch)) { done = false; break; }
      pageVpn = NO_PAGE;
    }
    this.runPc = pc;
    this.runLeft = n;
    this.runTrapped = trapped;
    return done;
  }

  /** Executes a CSR instruction; returns true when interrupts may have become deliverable. */
  protected csrInstruction(w: number, csr: number): boolean {
    const op = w & 0xff;
    const rdField = (w >>> 8) & 63;
    const rs1 = (w >>> 14) & 31;
    const immediate = op >= Op.Csrrwi;
    const operand = immediate ? rs1 : this.x[rs1];
    const kind = immediate ? op - Op.Csrrwi : op - Op.Csrrw; // 0 write, 1 set, 2 clear
    const writes = kind === 0 || rs1 !== 0;
    const reads = kind !== 0 || rdField !== 32;
    const old = readCsr(this, csr, writes);
    if (old === CSR_ILLEGAL) {
      const rd = rdField === 32 ? 0 : rdField;
      const f3 = (immediate ? 5 : 1) + kind;
      this.fault(TrapCause.IllegalInstruction, (csr << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | 0x73);
      return false;
    }
    let unmask = false;
    if (writes) {
      // Only the software-writable SEIP bit takes part in a read-modify-write of mip, not the line.
      const base = csr === MIP_CSR ? (old & ~MIP_SEIP) | (this.mipSoft & MIP_SEIP) : old;
      const value = kind === 0 ? operand : kind === 1 ? base | operand : base & ~operand;
      unmask = writeCsr(this, csr, value);
    }
    if (reads) this.x[rdField] = old;
    return unmask;
  }}
