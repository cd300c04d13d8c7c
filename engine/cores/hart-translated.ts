// The hart's loop for translated mode: the same instructions as the direct loop in hart.ts, with the
// TLB's hit inlined for loads, stores and fetches. A separate loop keeps every check of it out of the
// direct loop (Bare code pays nothing for Sv32); what a miss does stays in hart-mmu.ts.

import { PAGE_SHIFT } from '../memory/memory-map.js';
import { FAULT_PAGE, HartMmu, TRANSLATED } from './hart-mmu.js';
import { mulhSigned, mulhSignedUnsigned, mulhUnsigned } from './mul-high.js';
import { Op } from './op.js';
import { MSTATUS_MPP, MSTATUS_TSR, MSTATUS_TVM, MSTATUS_TW } from './mstatus.js';
import { TLB_MASK } from './tlb.js';
import { Privilege, TrapCause } from './trap-cause.js';

/** Placeholder for "no decoded page cached" that keeps the page variable monomorphic. */
export const EMPTY_PAGE = new Int32Array(4096);
/** No page: outside the range of pc >> 12. */
export const NO_PAGE = 0x10_0000;

export abstract class HartTranslated extends HartMmu {
  // The slice in progress, handed between the two loops: pc, instructions left, traps taken.
  protected runPc = 0;
  protected runLeft = 0;
  protected runTrapped = 0;

  /** Executes a CSR instruction; returns true when interrupts may have become deliverable. */
  protected abstract csrInstruction(w: number, csr: number): boolean;

  /**
   * The loop for translated mode (Sv32 or PMP on fetches or data). Returns true when the slice ends,
   * false when a trap made both direct (the direct loop goes on).
   */
  protected runTranslated(budget: number): boolean {
    const x = this.x;
    const pages = this.pages;
    const decodedVpn = this.decodedVpn;
    const flags = this.flags;
    const u8 = this.u8, i8 = this.i8, u16 = this.u16, i16 = this.i16, i32 = this.i32;
    const { fetchTag, fetchOff, loadTag, loadOff, storeTag, storeOff } = this.tlb;
    const ramBase = this.ramBase;
    const ramSize = this.ramSize;
    let pc = this.runPc;
    let n = this.runLeft;
    let trapped = this.runTrapped;
    let done = true;
    // The decoded page the pc is in and its virtual page number (pc >> 12; NO_PAGE: none).
    let page: Int32Array = EMPTY_PAGE;
    let pageVpn = NO_PAGE;

    loop: while (n > 0) {
      n--;
      if ((pc >> 12) !== pageVpn) {
        if (this.directFetch) {
          const off = ((pc - ramBase) | 0) >>> 0;
          if (off < ramSize) {
            const index = off >>> PAGE_SHIFT;
            page = pages[index] ?? this.newPage(off);
            if (decodedVpn[index] !== pc >>> PAGE_SHIFT) page = this.redecode(index, pc >>> PAGE_SHIFT);
            this.codePageOff = off & ~4095;
          } else {
            this.fault(TrapCause.InstructionAccessFault, pc);
            page = FAULT_PAGE;
          }
        } else {
          // A fetch TLB hit on a page decoded for this virtual page; anything else is codePage's.
          const vpn = pc >>> PAGE_SHIFT;
          const off = fetchOff[vpn & TLB_MASK];
          const cached = pages[off >>> PAGE_SHIFT];
          if (fetchTag[vpn & TLB_MASK] === vpn && cached != null && decodedVpn[off >>> PAGE_SHIFT] === (vpn | TRANSLATED)) {
            page = cached;
            this.codePageOff = off;
          } else {
            page = this.codePage(pc);
          }
        }
        pageVpn = page === FAULT_PAGE ? NO_PAGE : pc >> 12;
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
          const vpn = addr >>> PAGE_SHIFT;
          if (loadTag[vpn & TLB_MASK] === vpn && (addr & 3) === 0) {
            x[(w >>> 8) & 63] = i32[(loadOff[vpn & TLB_MASK] | (addr & 4095)) >>> 2];
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
          const vpn = addr >>> PAGE_SHIFT;
          const signed = (w & 0xff) === Op.Lh;
          if (loadTag[vpn & TLB_MASK] === vpn && (addr & 1) === 0) {
            const a = loadOff[vpn & TLB_MASK] | (addr & 4095);
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
          const vpn = addr >>> PAGE_SHIFT;
          const signed = (w & 0xff) === Op.Lb;
          if (loadTag[vpn & TLB_MASK] === vpn) {
            const a = loadOff[vpn & TLB_MASK] | (addr & 4095);
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
          const vpn = addr >>> PAGE_SHIFT;
          const a = storeOff[vpn & TLB_MASK] | (addr & 4095);
          if (storeTag[vpn & TLB_MASK] === vpn && (addr & 3) === 0 && flags[a >>> PAGE_SHIFT] === 0) {
            i32[a >>> 2] = x[(w >>> 19) & 31];
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
          const vpn = addr >>> PAGE_SHIFT;
          const a = storeOff[vpn & TLB_MASK] | (addr & 4095);
          if (storeTag[vpn & TLB_MASK] === vpn && (addr & 1) === 0 && flags[a >>> PAGE_SHIFT] === 0) {
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
          const vpn = addr >>> PAGE_SHIFT;
          const a = storeOff[vpn & TLB_MASK] | (addr & 4095);
          if (storeTag[vpn & TLB_MASK] === vpn && flags[a >>> PAGE_SHIFT] === 0) {
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
      if (this.directData && this.directFetch) { done = false; break; }
      pageVpn = NO_PAGE;
    }
    this.runPc = pc;
    this.runLeft = n;
    this.runTrapped = trapped;
    return done;
  }
}
