// The NS16550A UART of QEMU's virt board: registers in shared memory, bytes through two ByteRings.

import { ByteRing } from '../memory/byte-ring.js';
import type { AccessSize, MmioDevice } from '../memory/mmio-device.js';

/** Register offsets (regshift 0: one byte apart, as on QEMU virt). */
const RBR_THR_DLL = 0;
const IER_DLM = 1;
const IIR_FCR = 2;
const LCR = 3;
const MCR = 4;
const LSR = 5;
const MSR = 6;
const SCR = 7;
/** QEMU maps 8 bytes of registers; the rest of the 0x100 window is unassigned. */
const REGISTER_SPAN = 8;

const IER_RDI = 0x01;
const IER_THRI = 0x02;
const IIR_NO_INT = 0x01;
const IIR_THRI = 0x02;
const IIR_RDI = 0x04;
const IIR_FIFO_ENABLED = 0xc0;
const FCR_FIFO_ENABLE = 0x01;
/** The FCR bits that stick: enable, DMA mode, trigger level. */
const FCR_STICKY = 0xc9;
const LCR_DLAB = 0x80;
const MCR_LOOP = 0x10;
const MCR_WRITABLE = 0x1f;
const MCR_OUT2 = 0x08;
const LSR_DR = 0x01;
const LSR_THRE = 0x20;
const LSR_TEMT = 0x40;
/** No modem attached: carrier, data-set-ready and clear-to-send asserted, as QEMU reports. */
const MSR_IDLE_LINES = 0xb0;

/** Slots of the shared register file (Int32 each, so Atomics apply). */
const enum Slot {
  Ier,
  Lcr,
  Mcr,
  Scr,
  Dll,
  Dlm,
  Fcr,
  /** 1 while a THR-empty interrupt is latched: set when a byte has gone, cleared by IIR reporting it. */
  ThrPending,
  /** Output bytes dropped because the host did not drain the ring in time. */
  DroppedOutput,
  Count,
}

const DEFAULT_OUTPUT_BYTES = 64 * 1024;
const DEFAULT_INPUT_BYTES = 4 * 1024;

/** The UART's shared buffers, structured-clonable for handing to workers. */
export interface UartBuffers {
  registers: SharedArrayBuffer;
  output: SharedArrayBuffer;
  input: SharedArrayBuffer;
}

/** The UART's state shared by every hart's device object and by the host. */
export class UartState {
  /** Guest → host bytes (THR writes); the host drains it. */
  readonly output: ByteRing;
  /** Host → guest bytes (RBR reads); the host pushes into it. */
  readonly input: ByteRing;
  /** The register file, indexed by the private Slot layout; only Uart16550 interprets it. */
  readonly registers: Int32Array;

  static create(opts: { outputBytes?: number; inputBytes?: number } = {}): UartState {
    const state = new UartState({
      registers: new SharedArrayBuffer(Slot.Count * 4),
      output: ByteRing.create(opts.outputBytes ?? DEFAULT_OUTPUT_BYTES).buffer,
      input: ByteRing.create(opts.inputBytes ?? DEFAULT_INPUT_BYTES).buffer,
    });
    state.reset();
    return state;
  }

  static attach(buffers: UartBuffers): UartState {
    return new UartState(buffers);
  }

  private constructor(private readonly shared: UartBuffers) {
    if (shared.registers.byteLength !== Slot.Count * 4) {
      throw new RangeError('SharedArrayBuffer does not hold a UART register file');
    }
    this.registers = new Int32Array(shared.registers);
    this.output = new ByteRing(shared.output);
    this.input = new ByteRing(shared.input);
  }

  get buffers(): UartBuffers {
    return { ...this.shared };
  }

  /** Bytes the guest wrote that were dropped because the output ring stayed full. */
  get droppedOutput(): number {
    return Atomics.load(this.registers, Slot.DroppedOutput);
  }

  /** Register reset values as QEMU's serial_reset sets them (divisor 12: 9600 baud; OUT2). Rings are kept. */
  reset(): void {
    const resetValues: [Slot, number][] = [
      [Slot.Ier, 0],
      [Slot.Lcr, 0],
      [Slot.Mcr, MCR_OUT2],
      [Slot.Scr, 0],
      [Slot.Dll, 0x0c],
      [Slot.Dlm, 0],
      [Slot.Fcr, 0],
      [Slot.ThrPending, 0],
    ];
    for (const [slot, value] of resetValues) Atomics.store(this.registers, slot, value);
  }
}

/**
 * The MMIO face of the UART, one per hart over the same UartState.
 *
 * Access widths follow QEMU's serial_mm (regshift 0): 1-, 2- and 4-byte naturally aligned
 * accesses inside the 8 register bytes are decoded; a wider read returns the register at the
 * access offset zero-extended, a wider write stores the low byte to it. Offsets 8..0xff and
 * misaligned accesses are not decoded (access fault).
 */
export class Uart16550 implements MmioDevice {
  readonly name = 'uart';
  private readonly regs: Int32Array;
  private readonly txWaitMs: number;

  /**
   * `txWaitMs`: how long a THR write may block the hart while the host has not drained the
   * output ring; past that the byte is dropped and counted in `UartState.droppedOutput`.
   */
  constructor(
    private readonly state: UartState,
    opts: { txWaitMs?: number } = {},
  ) {
    this.regs = state.registers;
    this.txWaitMs = opts.txWaitMs ?? 1000;
  }

  read(offset: number, size: AccessSize): number | undefined {
    if (!this.decodes(offset, size)) return undefined;
    switch (offset) {
      case RBR_THR_DLL:
        if (this.dlab()) return this.get(Slot.Dll);
        return Math.max(this.state.input.pop(), 0);
      case IER_DLM:
        return this.dlab() ? this.get(Slot.Dlm) : this.get(Slot.Ier);
      case IIR_FCR: {
        const iir = this.iir();
        // Reading IIR acknowledges a THR-empty interrupt, as on the real part.
        if ((iir & 0x0f) === IIR_THRI) this.set(Slot.ThrPending, 0);
        return iir;
      }
      case LCR:
        return this.get(Slot.Lcr);
      case MCR:
        return this.get(Slot.Mcr);
      case LSR:
        return (this.state.input.size > 0 ? LSR_DR : 0) | LSR_THRE | LSR_TEMT;
      case MSR:
        return this.loopback() ? loopbackMsr(this.get(Slot.Mcr)) : MSR_IDLE_LINES;
      default:
        return this.get(Slot.Scr);
    }
  }

  write(offset: number, size: AccessSize, value: number): boolean {
    if (!this.decodes(offset, size)) return false;
    const byte = value & 0xff;
    switch (offset) {
      case RBR_THR_DLL:
        if (this.dlab()) this.set(Slot.Dll, byte);
        else this.transmit(byte);
        break;
      case IER_DLM:
        if (this.dlab()) this.set(Slot.Dlm, byte);
        else this.writeIer(byte & 0x0f);
        break;
      case IIR_FCR:
        this.writeFcr(byte);
        break;
      case LCR:
        this.set(Slot.Lcr, byte);
        break;
      case MCR:
        this.set(Slot.Mcr, byte & MCR_WRITABLE);
        break;
      case SCR:
        this.set(Slot.Scr, byte);
        break;
      default:
        // LSR and MSR are read-only; the write is decoded and ignored.
        break;
    }
    return true;
  }

  /** True while IIR reports an interrupt: the level a PLIC samples for source 10. */
  interruptPending(): boolean {
    return (this.iir() & IIR_NO_INT) === 0;
  }

  /** True when IER enables the received-data interrupt: a byte from the host would raise the line. */
  receiveInterruptEnabled(): boolean {
    return (this.get(Slot.Ier) & IER_RDI) !== 0;
  }

  private iir(): number {
    const ier = this.get(Slot.Ier);
    const fifoBits = this.get(Slot.Fcr) & FCR_FIFO_ENABLE ? IIR_FIFO_ENABLED : 0;
    if (ier & IER_RDI && this.state.input.size > 0) return fifoBits | IIR_RDI;
    if (ier & IER_THRI && this.get(Slot.ThrPending)) return fifoBits | IIR_THRI;
    return fifoBits | IIR_NO_INT;
  }

  private transmit(byte: number): void {
    if (this.loopback()) {
      // Loopback wires the transmitter to the receiver; nothing reaches the host.
      this.state.input.tryPush(byte);
    } else if (!this.state.output.push(byte, this.txWaitMs)) {
      Atomics.add(this.regs, Slot.DroppedOutput, 1);
    }
    // The byte leaves at once, so THR is empty again and its interrupt latches.
    this.set(Slot.ThrPending, 1);
  }

  private writeIer(ier: number): void {
    const enabledThri = ier & IER_THRI && !(this.get(Slot.Ier) & IER_THRI);
    this.set(Slot.Ier, ier);
    // Enabling THRI while THR is empty (always, here) raises the interrupt, as QEMU does;
    // drivers rely on this edge to start transmitting.
    if (enabledThri) this.set(Slot.ThrPending, 1);
  }

  private writeFcr(fcr: number): void {
    // The FIFO-clear bits discard nothing: the input ring stands for the host's line as well
    // as the 16-byte FIFO, and a driver's start-up clear must not eat what the user typed
    // ahead (QEMU, which holds input back in its chardev, loses at most one latched byte).
    this.set(Slot.Fcr, fcr & FCR_STICKY);
  }

  private get(slot: Slot): number {
    return Atomics.load(this.regs, slot);
  }

  private set(slot: Slot, value: number): void {
    Atomics.store(this.regs, slot, value);
  }

  private decodes(offset: number, size: AccessSize): boolean {
    return offset >= 0 && offset + size <= REGISTER_SPAN && (offset & (size - 1)) === 0;
  }

  private dlab(): boolean {
    return (this.get(Slot.Lcr) & LCR_DLAB) !== 0;
  }

  private loopback(): boolean {
    return (this.get(Slot.Mcr) & MCR_LOOP) !== 0;
  }
}

/** In loopback the modem outputs feed the inputs: RTS→CTS, DTR→DSR, OUT1→RI, OUT2→DCD. */
function loopbackMsr(mcr: number): number {
  return ((mcr & 0x0c) << 4) | ((mcr & 0x02) << 3) | ((mcr & 0x01) << 5);
}
