// A hart's address translation: Sv32 page walks with hardware A/D updates, PMP checks, the TLB, and the
// slow paths of loads, stores, atomics and fetches when translation or PMP applies. When neither does
// ("direct"), the hot loop in hart.ts uses physical addresses as before and none of this runs; when
// either does, the loop in hart-translated.ts hits the TLB inline and comes here on a miss.

import type { AccessSize } from '../memory/mmio-device.js';
import { PAGE_DECODED, PAGE_RESERVED } from '../memory/page-flags.js';
import { PAGE_SHIFT } from '../memory/memory-map.js';
import { isWide } from './decode.js';
import { HartAccess } from './hart-access.js';
import { MSTATUS_MPP, MSTATUS_MPP_SHIFT, MSTATUS_MPRV, MSTATUS_MXR, MSTATUS_SUM } from './mstatus.js';
import { Op } from './op.js';
import { PmpAccess } from './pmp.js';
import { Tlb, TLB_MASK } from './tlb.js';
import { Privilege, TrapCause } from './trap-cause.js';

const enum Pte { V = 1, R = 2, W = 4, X = 8, U = 16, A = 64, D = 128 }
const enum Kind { Fetch = 0, Load = 1, Store = 2 }
const PAGE_FAULT = [TrapCause.InstructionPageFault, TrapCause.LoadPageFault, TrapCause.StorePageFault];
const ACCESS_FAULT = [TrapCause.InstructionAccessFault, TrapCause.LoadAccessFault, TrapCause.StoreAccessFault];
const PMP_ACCESS = [PmpAccess.Execute, PmpAccess.Read, PmpAccess.Write];
const TWO_32 = 0x1_0000_0000;
/** Set in decodedVpn beside the 20-bit page number for code decoded under translation. */
export const TRANSLATED = 1 << 20;
const SATP_PPN = 0x3f_ffff;

/** A decoded page whose every slot takes the trap a failed fetch left pending. */
const PENDING_WORD = Op.PendingFault | (32 << 8) | (4 << 24);
export const FAULT_PAGE = new Int32Array(4096).fill(PENDING_WORD);

export abstract class HartMmu extends HartAccess {
  protected readonly tlb = new Tlb();
  /** Loads and stores use physical addresses with nothing to check: the hot loop's RAM fast path applies. */
  protected directData = true;
  /** Fetches likewise. */
  protected directFetch = true;
  private dataPriv: Privilege = Privilege.Machine;
  private fetchPriv: Privilege = Privilege.Machine;
  /** What the TLB's entries were proved for: privileges, SUM and MXR (-1: nothing yet). */
  private tlbKey = -1;
  /** RAM pages whose last slot holds a 32-bit instruction decoded across a translated page boundary. */
  private straddlers: number[] = [];
  private readonly ramBaseU: number;
  /** RAM offset of the page codePage() returned last. */
  protected codePageOff = 0;

  constructor(hartId: number, memory: ConstructorParameters<typeof HartAccess>[1]) {
    super(hartId, memory);
    this.ramBaseU = this.ramBase >>> 0;
  }

  /** Drops every cached translation (SFENCE.VMA, satp and PMP writes, a context switch). */
  flushTlb(): void {
    this.tlb.flush();
    this.dropStraddlers();
  }

  /** Recomputes what translation and PMP mean for the current privilege and mstatus (after traps, xRET, CSR writes). */
  protected updateTranslation(): void {
    const s = this.mstatus;
    const fetchPriv = this.priv;
    const dataPriv = fetchPriv === Privilege.Machine && (s & MSTATUS_MPRV) !== 0 ? (s & MSTATUS_MPP) >>> MSTATUS_MPP_SHIFT : fetchPriv;
    const paging = this.satp < 0; // MODE, the top bit, selects Sv32
    this.fetchPriv = fetchPriv;
    this.dataPriv = dataPriv;
    this.directFetch = (fetchPriv === Privilege.Machine || !paging) && !this.pmp.applies(fetchPriv);
    this.directData = (dataPriv === Privilege.Machine || !paging) && !this.pmp.applies(dataPriv);
    const key = dataPriv | (fetchPriv << 2) | (s & (MSTATUS_SUM | MSTATUS_MXR));
    if (key !== this.tlbKey) {
      this.tlbKey = key;
      this.flushTlb();
    }
  }

  /** A load the hot loop did not complete; with a trap pending, the value is meaningless. */
  protected load(addr: number, size: AccessSize, signed: boolean): number {
    if (this.directData) return this.loadSlow(addr, size, signed);
    const vpn = addr >>> PAGE_SHIFT;
    if (this.tlb.loadTag[vpn & TLB_MASK] === vpn && (addr & (size - 1)) === 0) {
      // A TLB hit (the translated loop inlines this check, so it comes here with misses only).
      const off = this.tlb.loadOff[vpn & TLB_MASK] | (addr & 4095);
      if (size === 4) return this.i32[off >>> 2];
      if (size === 2) return signed ? this.i16[off >>> 1] : this.u16[off >>> 1];
      return signed ? this.i8[off] : this.u8[off];
    }
    const split = this.splitAt(addr, size);
    if (split > 0) {
      const first = this.dataAddress(addr, split, Kind.Load);
      const second = first < 0 ? -1 : this.dataAddress((addr + split) | 0, size - split, Kind.Load);
      if (second < 0) return 0;
      let value = 0;
      for (let i = size - 1; i >= 0; i--) value = (value << 8) | this.physical(i < split ? first + i : second + i - split, addr, Kind.Load, (p) => this.loadSlow(p, 1, false));
      const shift = 32 - 8 * size;
      return signed ? (value << shift) >> shift : size === 4 ? value | 0 : value;
    }
    const pa = this.dataAddress(addr, size, Kind.Load);
    return pa < 0 ? 0 : this.physical(pa, addr, Kind.Load, (p) => this.loadSlow(p, size, signed));
  }

  /** A store the hot loop did not complete. */
  protected store(addr: number, size: AccessSize, value: number): void {
    if (this.directData) {
      this.storeSlow(addr, size, value);
      return;
    }
    const vpn = addr >>> PAGE_SHIFT;
    if (this.tlb.storeTag[vpn & TLB_MASK] === vpn && (addr & (size - 1)) === 0) {
      const off = this.tlb.storeOff[vpn & TLB_MASK] | (addr & 4095);
      if (this.flags[off >>> PAGE_SHIFT] === 0) this.writeRam(off, size, value);
      else this.storeRam(off, size, value);
      return;
    }
    const split = this.splitAt(addr, size);
    if (split > 0) {
      // Both pages are translated before a byte is written, so a fault leaves memory as it was.
      const first = this.dataAddress(addr, split, Kind.Store);
      const second = first < 0 ? -1 : this.dataAddress((addr + split) | 0, size - split, Kind.Store);
      for (let i = 0; second >= 0 && i < size && this.pendingCause < 0; i++) {
        this.physical(i < split ? first + i : second + i - split, addr, Kind.Store, (p) => { this.storeSlow(p, 1, value >>> (8 * i)); return 0; });
      }
      return;
    }
    const pa = this.dataAddress(addr, size, Kind.Store);
    if (pa >= 0) this.physical(pa, addr, Kind.Store, (p) => { this.storeSlow(p, size, value); return 0; });
  }

  /** LR/SC and AMOs: LR translates as a load, SC and AMOs as stores (store/AMO faults, D set), as the spec says. */
  protected atomicOp(op: number, addr: number, operand: number): number {
    if (this.directData) return this.atomic(op, addr, operand);
    const isLoad = op === Op.LrW;
    if ((addr & 3) !== 0) {
      this.fault(isLoad ? TrapCause.LoadMisaligned : TrapCause.StoreMisaligned, addr);
      return 0;
    }
    if (op === Op.ScW && this.reservedAddr === -1) return 1; // fails without touching memory
    const pa = this.dataAddress(addr, 4, isLoad ? Kind.Load : Kind.Store);
    return pa < 0 ? 0 : this.physical(pa, addr, isLoad ? Kind.Load : Kind.Store, (p) => this.atomic(op, p, operand));
  }

  /**
   * The decoded page for a translated (or PMP-checked) fetch at `pc`, or FAULT_PAGE with the fault pending.
   * Decoded code stays keyed by physical page; a page decoded for another virtual page is decoded afresh,
   * since pc-relative targets are folded in.
   */
  protected codePage(pc: number): Int32Array {
    const vpn = pc >>> PAGE_SHIFT;
    const slot = vpn & TLB_MASK;
    const tlb = this.tlb;
    let off: number;
    if (tlb.fetchTag[slot] === vpn) {
      off = tlb.fetchOff[slot];
    } else {
      off = this.fetchOffset(pc);
      if (off < 0) return FAULT_PAGE;
    }
    const index = off >>> PAGE_SHIFT;
    this.codePageOff = off;
    const page = this.pages[index] ?? this.newPage(off);
    // Marked as decoded under translation: its last slot's upper half came from the next virtual page.
    const key = vpn | TRANSLATED;
    return this.decodedVpn[index] === key ? page : this.redecode(index, key);
  }

  /** A decoded page whose pc-relative targets were folded in for another virtual page (or mode) starts over. */
  protected redecode(index: number, key: number): Int32Array {
    const page = this.pages[index] ?? this.newPage(index << PAGE_SHIFT);
    page.fill(0);
    this.decodedVpn[index] = key;
    return page;
  }

  /** Decodes as HartAccess does, but fetches the upper half of a page-straddling instruction through translation. */
  protected override decodeSlot(page: Int32Array, slot: number, off: number, pc: number): number {
    if (slot !== 4094 || this.directFetch || !isWide(this.u16[off >>> 1])) return super.decodeSlot(page, slot, off, pc);
    const upper = this.fetchOffset((pc + 2) | 0);
    if (upper < 0) {
      page[slot] = PENDING_WORD; // executed once: the PendingFault case clears the slot again
      return PENDING_WORD;
    }
    const index = upper >>> PAGE_SHIFT;
    if ((this.flags[index] & PAGE_DECODED) === 0) Atomics.or(this.flags, index, PAGE_DECODED);
    this.straddlers.push(off >>> PAGE_SHIFT);
    return this.decodeAt(page, slot, off, upper, pc);
  }

  protected override codeWritten(index: number): void {
    super.codeWritten(index);
    this.dropStraddlers();
  }

  private dropStraddlers(): void {
    for (const index of this.straddlers) {
      const page = this.pages[index];
      if (page) page[4094] = page[4095] = 0;
    }
    this.straddlers.length = 0;
  }

  /** RAM offset of the page holding the fetch at `pc` (filling the fetch TLB), or -1 with the fault pending. */
  private fetchOffset(pc: number): number {
    const pa = this.translate(pc, Kind.Fetch, this.fetchPriv);
    if (pa < 0) return -1;
    const off = pa - this.ramBaseU;
    // QEMU checks a fetch's PMP rights from the pc to the end of its page.
    if (off < 0 || off >= this.ramSize || !this.pmpAllows(pa, 4096 - (pa & 4095), Kind.Fetch, this.fetchPriv)) {
      this.fault(TrapCause.InstructionAccessFault, pc);
      return -1;
    }
    const pageOff = off - (off & 4095);
    if (this.pmpUniform(pa)) this.tlb.fill(this.tlb.fetchTag, this.tlb.fetchOff, pc >>> PAGE_SHIFT, pageOff);
    return pageOff;
  }

  /** Physical address of a data access (filling the TLB when the page is RAM), or -1 with the fault pending. */
  private dataAddress(addr: number, size: number, kind: Kind): number {
    const vpn = addr >>> PAGE_SHIFT;
    const slot = vpn & TLB_MASK;
    const tlb = this.tlb;
    const tags = kind === Kind.Store ? tlb.storeTag : tlb.loadTag;
    const offs = kind === Kind.Store ? tlb.storeOff : tlb.loadOff;
    if (tags[slot] === vpn) return this.ramBaseU + offs[slot] + (addr & 4095);
    const pa = this.translate(addr, kind, this.dataPriv);
    if (pa < 0) return -1;
    if (!this.pmpAllows(pa, size, kind, this.dataPriv)) {
      this.fault(ACCESS_FAULT[kind], addr);
      return -1;
    }
    const off = pa - this.ramBaseU;
    if (off >= 0 && off < this.ramSize && this.pmpUniform(pa)) this.tlb.fill(tags, offs, vpn, off - (off & 4095));
    return pa;
  }

  /** Runs a physical access for the virtual `addr`; a fault it raises names the virtual address. */
  private physical(pa: number, addr: number, kind: Kind, access: (pa: number) => number): number {
    if (pa >= TWO_32) {
      this.fault(ACCESS_FAULT[kind], addr);
      return 0;
    }
    const value = access(pa | 0);
    if (this.pendingCause >= 0) this.pendingTval = addr | 0;
    return value;
  }

  /** Bytes of a misaligned access that lie in its first page, or 0 when it stays within one page. */
  private splitAt(addr: number, size: number): number {
    const inPage = 4096 - (addr & 4095);
    return inPage < size ? inPage : 0;
  }

  private pmpAllows(pa: number, size: number, kind: Kind, priv: Privilege): boolean {
    return !this.pmp.applies(priv) || this.pmp.allows(pa, size, PMP_ACCESS[kind], priv);
  }

  private pmpUniform(pa: number): boolean {
    return !this.pmp.anyActive || this.pmp.uniformOver(pa - (pa % 4096));
  }

  /** The physical address of `va` for an access of `kind` at `priv` (Sv32 or Bare), or -1 with the page fault pending. */
  private translate(va: number, kind: Kind, priv: Privilege): number {
    if (priv === Privilege.Machine || this.satp >= 0) return va >>> 0;
    for (;;) {
      const pa = this.walk(va >>> 0, kind, priv);
      if (pa !== -2) return pa; // -2: the PTE changed under the A/D update; walk again
    }
  }

  /** One Sv32 walk (privileged spec 4.3.2, checks in QEMU 7.2's order). */
  private walk(va: number, kind: Kind, priv: Privilege): number {
    const s = this.mstatus;
    let base = (this.satp & SATP_PPN) * 4096;
    for (let level = 1; level >= 0; level--) {
      const pteAddr = base + (level === 1 ? va >>> 22 : (va >>> 12) & 0x3ff) * 4;
      const off = pteAddr - this.ramBaseU;
      // The walk reads the VM's own RAM only, and its reads obey PMP as S-mode loads.
      if (off < 0 || off >= this.ramSize || !this.pmpAllows(pteAddr, 4, Kind.Load, Privilege.Supervisor)) {
        this.fault(ACCESS_FAULT[kind], va);
        return -1;
      }
      const pte = Atomics.load(this.i32, off >>> 2);
      if ((pte & Pte.V) === 0 || (pte & (Pte.R | Pte.W)) === Pte.W) break;
      if ((pte & (Pte.R | Pte.X)) === 0) {
        base = (pte >>> 10) * 4096;
        continue;
      }
      if (!leafAllows(pte, kind, priv, s) || (level === 1 && (pte & 0xf_fc00) !== 0)) break;
      const next = pte | Pte.A | (kind === Kind.Store ? Pte.D : 0);
      if (next !== pte && !this.updatePte(off, pte, next)) return -2;
      const ppn = pte >>> 10;
      return level === 1 ? (ppn >>> 10) * 0x40_0000 + (va & 0x3f_ffff) : ppn * 4096 + (va & 4095);
    }
    this.fault(PAGE_FAULT[kind], va);
    return -1;
  }

  /** Sets A (and D) atomically against every other hart; false when the PTE changed since it was read. */
  private updatePte(off: number, old: number, next: number): boolean {
    const index = off >>> PAGE_SHIFT;
    const f = this.flags[index];
    let done: boolean;
    if (f & PAGE_RESERVED) {
      const table = this.memory.reservations;
      const bucket = table.bucketOf(this.memory.ramPhysOffset + off);
      table.lock(bucket);
      done = Atomics.compareExchange(this.i32, off >>> 2, old, next) === old;
      if (done) table.bump(bucket);
      table.unlock(bucket);
    } else {
      done = Atomics.compareExchange(this.i32, off >>> 2, old, next) === old;
    }
    if (done && (f & PAGE_DECODED)) this.codeWritten(index);
    return done;
  }
}

/** The leaf's U bit against the privilege (SUM lets S load and store, never fetch, U pages) and R/W/X (MXR). */
function leafAllows(pte: number, kind: Kind, priv: Privilege, mstatus: number): boolean {
  if (pte & Pte.U) {
    if (priv === Privilege.Supervisor && ((mstatus & MSTATUS_SUM) === 0 || kind === Kind.Fetch)) return false;
  } else if (priv === Privilege.User) {
    return false;
  }
  if (kind === Kind.Fetch) return (pte & Pte.X) !== 0;
  if (kind === Kind.Store) return (pte & Pte.W) !== 0;
  return (pte & Pte.R) !== 0 || ((pte & Pte.X) !== 0 && (mstatus & MSTATUS_MXR) !== 0);
}
