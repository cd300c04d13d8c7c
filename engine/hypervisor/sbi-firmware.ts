// Tessera's built-in SBI (v2.0): the M-mode services an S-mode kernel calls, served per vCPU by the
// emulator the way a hypervisor (KVM, Bao) serves its guests, so a Linux Image boots with no
// firmware image. Hand-written: it is the machine's firmware, whose behaviour the SBI specification
// defines call by call; guests/firmware is the same in C for --bios and QEMU.
//
// It reaches the devices through the vCPU's own bus (CLINT, test device, UART), so every side effect
// (waking another core, ending the run) takes the path a store by the guest would. Requests to other
// harts (IPI, fences, hart_start) are bits in their shared words plus their CLINT msip, served when
// they next take their machine software interrupt.

import { MENVCFGH_STCE } from '../cores/csr.js';
import type { HartState, MachineFirmware } from '../cores/hart-state.js';
import { MIP_MSIP, MIP_MTIP, MIP_SSIP, MIP_STIP, Privilege } from '../cores/trap-cause.js';
import type { Bus } from '../memory/bus.js';
import { CLINT_BASE, RAM_BASE, TEST_DEVICE_BASE, UART_BASE } from '../memory/memory-map.js';
import {
  VCPU_SBI_EVENTS, VCPU_SBI_FENCING, VCPU_SBI_HSM, VCPU_SBI_OPAQUE, VCPU_SBI_START_ADDR, type SystemTables,
} from './system-tables.js';
import {
  Eid, HsmState, SBI_IMPL_ID, SBI_IMPL_VERSION, SBI_SPEC_VERSION, SbiError, SUPPORTED_EXTENSIONS,
} from './sbi-calls.js';

/** What another hart asked of this one (VCPU_SBI_EVENTS bits). */
const enum Request {
  Ipi = 1,
  FenceI = 2,
  SfenceVma = 4,
  Start = 8,
}

/** Virtual cycles a call that waits for other harts spends before it looks again. */
const FENCE_POLL_CYCLES = 100;

const MSIP = (hart: number) => CLINT_BASE + 4 * hart;
const MTIMECMP = (hart: number) => CLINT_BASE + 0x4000 + 8 * hart;
const UART_LSR = UART_BASE + 5;
const LSR_DATA_READY = 0x01;

export class SbiFirmware implements MachineFirmware {
  private readonly firstVcpu: number;
  private readonly harts: number;

  constructor(
    private readonly tables: SystemTables,
    vm: number,
    private readonly bus: Bus,
    /** The VM's RAM, guest-physical RAM_BASE at offset 0. */
    private readonly ram: Uint8Array,
  ) {
    this.firstVcpu = tables.layout.vms[vm].firstVcpu;
    this.harts = tables.layout.vms[vm].vcpus;
  }

  stopped(hart: HartState): boolean {
    return this.tables.vcpuInt(this.firstVcpu + hart.hartId, VCPU_SBI_HSM) !== HsmState.Started;
  }

  interrupt(hart: HartState, pending: number): void {
    if (pending & MIP_MTIP) {
      // The S timer fires: until the next set_timer, STIP stays up and M no longer listens.
      hart.mie &= ~MIP_MTIP;
      hart.mipSoft |= MIP_STIP;
    }
    if (pending & MIP_MSIP) {
      this.bus.store(MSIP(hart.hartId), 4, 0);
      hart.mipLines &= ~MIP_MSIP;
      this.serveRequests(hart);
    }
  }

  ecall(hart: HartState, pc: number): number {
    const x = hart.x;
    const eid = x[17] >>> 0;
    const fid = x[16] >>> 0;
    if (eid < 0x10) return this.legacy(hart, eid, pc);
    const result = this.call(hart, eid, fid);
    if (result === undefined) return pc; // waits for other harts: the ecall runs again
    x[10] = result[0];
    x[11] = result[1];
    return (pc + 4) | 0;
  }

  /** [error, value], or undefined while the call waits for other harts. */
  private call(hart: HartState, eid: number, fid: number): [number, number] | undefined {
    const x = hart.x;
    const ok = (value = 0): [number, number] => [SbiError.Success, value | 0];
    const fail = (error: SbiError): [number, number] => [error, 0];
    switch (eid) {
      case Eid.Base:
        switch (fid) {
          case 0: return ok(SBI_SPEC_VERSION);
          case 1: return ok(SBI_IMPL_ID);
          case 2: return ok(SBI_IMPL_VERSION);
          case 3: return ok(SUPPORTED_EXTENSIONS.has(x[10] >>> 0) ? 1 : 0);
          case 4: case 5: case 6: return ok(0); // mvendorid, marchid, mimpid
        }
        break;
      case Eid.Time:
        if (fid === 0) {
          this.setTimer(hart, x[10], x[11]);
          return ok();
        }
        break;
      case Eid.Ipi:
        if (fid === 0) {
          const targets = this.targets(x[10], x[11]);
          if (targets === undefined) return fail(SbiError.InvalidParam);
          for (const target of targets) this.request(target, Request.Ipi);
          return ok();
        }
        break;
      case Eid.Rfence:
        if (fid <= 2) return this.fence(hart, fid === 0 ? Request.FenceI : Request.SfenceVma);
        break;
      case Eid.Hsm:
        return this.hsm(hart, fid);
      case Eid.Srst:
        if (fid === 0) return this.reset(hart, x[10] >>> 0, x[11] >>> 0);
        break;
      case Eid.Dbcn:
        return this.console(hart, fid);
    }
    return fail(SbiError.NotSupported);
  }

  /** The legacy extensions (v0.1) Linux may still use: the result is in a0 alone. */
  private legacy(hart: HartState, eid: number, pc: number): number {
    const x = hart.x;
    switch (eid) {
      case Eid.LegacySetTimer: this.setTimer(hart, x[10], x[11]); x[10] = 0; break;
      case Eid.LegacyPutchar: this.bus.store(UART_BASE, 1, x[10] & 0xff); x[10] = 0; break;
      case Eid.LegacyGetchar: x[10] = this.readByte() ?? -1; break;
      case Eid.LegacyShutdown: this.testDevice(hart, 0x5555); break;
      default: x[10] = SbiError.NotSupported;
    }
    return (pc + 4) | 0;
  }

  private setTimer(hart: HartState, low: number, high: number): void {
    if ((hart.menvcfgh & MENVCFGH_STCE) !== 0) {
      // Sstc on: STIP follows stimecmp alone, so the call programs it (as OpenSBI does on such harts).
      if (hart.setStimecmp(low, high)) hart.requestSliceEnd(); // due within this slice: the core cuts the next at it
      return;
    }
    // High word first, out of reach, so no intermediate value fires the timer.
    this.bus.store(MTIMECMP(hart.hartId) + 4, 4, -1);
    this.bus.store(MTIMECMP(hart.hartId), 4, low);
    this.bus.store(MTIMECMP(hart.hartId) + 4, 4, high);
    hart.mipSoft &= ~MIP_STIP;
    hart.mie |= MIP_MTIP;
    hart.requestSliceEnd(); // the slice was cut at the old deadline
  }

  /** The harts a (hart_mask, hart_mask_base) pair names; base -1 is every hart. Undefined if one does not exist. */
  private targets(mask: number, base: number): number[] | undefined {
    if (base === -1) return Array.from({ length: this.harts }, (_, h) => h);
    const out: number[] = [];
    for (let bit = 0; bit < 32; bit++) {
      if (((mask >>> bit) & 1) === 0) continue;
      const hart = (base >>> 0) + bit;
      if (hart >= this.harts) return undefined;
      out.push(hart);
    }
    return out;
  }

  private request(target: number, what: Request): void {
    this.tables.orVcpuInt(this.firstVcpu + target, VCPU_SBI_EVENTS, what);
    this.bus.store(MSIP(target), 4, 1);
  }

  /** Runs on this hart what other harts asked of it. */
  private serveRequests(hart: HartState): void {
    const vcpu = this.firstVcpu + hart.hartId;
    const asked = this.tables.takeVcpuInt(vcpu, VCPU_SBI_EVENTS);
    if (asked & Request.FenceI) hart.flushDecodeCache();
    if (asked & Request.SfenceVma) hart.flushTlb();
    if (asked & Request.Ipi) hart.mipSoft |= MIP_SSIP;
    if ((asked & Request.Start) && this.tables.vcpuInt(vcpu, VCPU_SBI_HSM) === HsmState.StartPending) this.start(hart);
  }

  /**
   * remote_fence_i, remote_sfence_vma(_asid): this hart fences at once; the others when they take
   * the request, and the call returns only once every one has (the ecall runs again meanwhile).
   */
  private fence(hart: HartState, what: Request): [number, number] | undefined {
    const x = hart.x;
    const vcpu = this.firstVcpu + hart.hartId;
    const targets = this.targets(x[10], x[11]);
    if (targets === undefined) return [SbiError.InvalidParam, 0];
    const others = targets.filter((h) => h !== hart.hartId && this.tables.vcpuInt(this.firstVcpu + h, VCPU_SBI_HSM) === HsmState.Started);
    if (this.tables.vcpuInt(vcpu, VCPU_SBI_FENCING) === 0) {
      if (what === Request.FenceI) hart.flushDecodeCache();
      else hart.flushTlb();
      for (const target of others) this.request(target, what);
      this.tables.setVcpuInt(vcpu, VCPU_SBI_FENCING, 1);
    }
    const waiting = others.some((h) => (this.tables.vcpuInt(this.firstVcpu + h, VCPU_SBI_EVENTS) & what) !== 0);
    if (waiting) {
      hart.idle(FENCE_POLL_CYCLES);
      hart.requestSliceEnd();
      return undefined;
    }
    this.tables.setVcpuInt(vcpu, VCPU_SBI_FENCING, 0);
    return [SbiError.Success, 0];
  }

  private hsm(hart: HartState, fid: number): [number, number] {
    const x = hart.x;
    const t = this.tables;
    const stateOf = (h: number) => t.vcpuInt(this.firstVcpu + h, VCPU_SBI_HSM);
    switch (fid) {
      case 0: { // hart_start(hartid, start_addr, opaque)
        const target = x[10] >>> 0;
        if (target >= this.harts) return [SbiError.InvalidParam, 0];
        const start = x[11] >>> 0;
        if (start < RAM_BASE || start >= RAM_BASE + this.ram.length) return [SbiError.InvalidAddress, 0];
        const vcpu = this.firstVcpu + target;
        if (t.compareExchangeVcpuInt(vcpu, VCPU_SBI_HSM, HsmState.Stopped, HsmState.StartPending) !== HsmState.Stopped) {
          return [SbiError.AlreadyAvailable, 0];
        }
        t.setVcpuInt(vcpu, VCPU_SBI_START_ADDR, start | 0);
        t.setVcpuInt(vcpu, VCPU_SBI_OPAQUE, x[12]);
        this.request(target, Request.Start);
        return [SbiError.Success, 0];
      }
      case 1: // hart_stop(): does not return
        t.setVcpuInt(this.firstVcpu + hart.hartId, VCPU_SBI_HSM, HsmState.Stopped);
        hart.priv = Privilege.Machine;
        hart.mie = MIP_MSIP;
        hart.mipSoft = 0;
        hart.waiting = true;
        hart.requestSliceEnd();
        return [SbiError.Success, 0];
      case 2: { // hart_get_status(hartid)
        const target = x[10] >>> 0;
        return target >= this.harts ? [SbiError.InvalidParam, 0] : [SbiError.Success, stateOf(target)];
      }
    }
    return [SbiError.NotSupported, 0];
  }

  /** A stopped hart that hart_start named begins in S-mode at its start address. */
  private start(hart: HartState): void {
    const vcpu = this.firstVcpu + hart.hartId;
    hart.x.fill(0);
    hart.x[10] = hart.hartId;
    hart.x[11] = this.tables.vcpuInt(vcpu, VCPU_SBI_OPAQUE);
    hart.pc = this.tables.vcpuInt(vcpu, VCPU_SBI_START_ADDR);
    hart.priv = Privilege.Supervisor;
    hart.mstatus = 0;
    hart.satp = 0;
    hart.mie = MIP_MSIP;
    hart.mipSoft = 0;
    hart.waiting = false;
    hart.flushTlb();
    hart.flushDecodeCache();
    this.tables.setVcpuInt(vcpu, VCPU_SBI_HSM, HsmState.Started);
  }

  private reset(hart: HartState, type: number, reason: number): [number, number] {
    if (type > 2 || (reason > 1 && reason < 0xf000_0000)) return [SbiError.InvalidParam, 0];
    if (type === 0) this.testDevice(hart, reason === 1 ? (1 << 16) | 0x3333 : 0x5555);
    else this.testDevice(hart, 0x7777);
    return [SbiError.Success, 0];
  }

  private testDevice(hart: HartState, value: number): void {
    this.bus.store(TEST_DEVICE_BASE, 4, value);
    hart.requestSliceEnd();
  }

  /** DBCN: console_write, console_read (physical addresses in the hart's RAM), console_write_byte. */
  private console(hart: HartState, fid: number): [number, number] {
    const x = hart.x;
    if (fid === 2) {
      this.bus.store(UART_BASE, 1, x[10] & 0xff);
      return [SbiError.Success, 0];
    }
    if (fid > 1) return [SbiError.NotSupported, 0];
    const count = x[10] >>> 0;
    const at = (x[11] >>> 0) - RAM_BASE;
    if (x[12] !== 0 || at < 0 || at + count > this.ram.length) return [SbiError.InvalidParam, 0];
    if (fid === 0) {
      for (let i = 0; i < count; i++) this.bus.store(UART_BASE, 1, this.ram[at + i]);
      return [SbiError.Success, count];
    }
    let read = 0;
    for (let byte = this.readByte(); byte !== undefined && read < count; byte = read < count ? this.readByte() : undefined) this.ram[at + read++] = byte;
    return [SbiError.Success, read];
  }

  private readByte(): number | undefined {
    const status = this.bus.read(UART_LSR, 1) ?? 0;
    return (status & LSR_DATA_READY) !== 0 ? (this.bus.read(UART_BASE, 1) ?? 0) & 0xff : undefined;
  }
}
