// The PLIC of QEMU's virt board (a SiFive PLIC): 95 level-triggered sources, two contexts per hart.

import type { AccessSize, MmioDevice } from '../memory/mmio-device.js';

/** Source ids 0..95; 0 is reserved ("no interrupt"), as on QEMU virt (`riscv,ndev = 96`). */
export const PLIC_SOURCES = 96;
/** Priorities and thresholds are 3 bits (0..7); 0 never interrupts. */
export const PLIC_MAX_PRIORITY = 7;
/** QEMU virt's UART is wired to source 10. */
export { UART_IRQ } from '../memory/memory-map.js';

const PRIORITY_OFFSET = 0x00_0000;
const PENDING_OFFSET = 0x00_1000;
const ENABLE_OFFSET = 0x00_2000;
const ENABLE_STRIDE = 0x80;
const CONTEXT_OFFSET = 0x20_0000;
const CONTEXT_STRIDE = 0x1000;
const CLAIM_REGISTER = 4;
/** QEMU virt maps 0x600000 bytes: room for (0x600000 - 0x200000) / 0x1000 contexts. */
const WINDOW_BYTES = 0x60_0000;
/** Two contexts (M and S) per hart. */
export const PLIC_MAX_HARTS = (WINDOW_BYTES - CONTEXT_OFFSET) / CONTEXT_STRIDE / 2;

/** 32 sources per bit-field word. */
const WORDS = PLIC_SOURCES / 32;

/*
 * Shared layout (Int32 slots): the hart count; one priority per source; three bit fields of
 * WORDS words each (the device lines, the pending bits, the claimed bits); then per context
 * WORDS enable words and the threshold.
 */
const HARTS_SLOT = 0;
const PRIORITY_SLOT = 4;
const LINE_SLOT = PRIORITY_SLOT + PLIC_SOURCES;
const PENDING_SLOT = LINE_SLOT + WORDS;
const CLAIMED_SLOT = PENDING_SLOT + WORDS;
const CONTEXT_SLOT = (CLAIMED_SLOT + WORDS + 3) & ~3;
const CONTEXT_SLOTS = WORDS + 1;
const THRESHOLD_INDEX = WORDS;

/**
 * PLIC state shared by every hart's device object, the devices that drive its lines and the host.
 *
 * Context 2*h is hart h's M-mode (it drives mip.MEIP), 2*h+1 its S-mode (mip.SEIP).
 *
 * Sources are level-triggered, with the gateway of the RISC-V PLIC spec: a source becomes
 * pending when its line is asserted while it is not in service; a claim clears the pending bit
 * and puts the source in service; a completion ends the service and, if the line is still high,
 * makes it pending again. A line that drops leaves a pending bit set (the spec's behaviour, and
 * QEMU 7.2's). Every bit field is updated with Atomics, so workers can claim concurrently and
 * never both get the same source.
 */
export class PlicState {
  readonly harts: number;
  readonly contexts: number;
  private readonly words: Int32Array;

  static create(harts: number): PlicState {
    if (!Number.isInteger(harts) || harts < 1 || harts > PLIC_MAX_HARTS) {
      throw new RangeError(`PLIC supports 1..${PLIC_MAX_HARTS} harts, got ${harts}`);
    }
    const sab = new SharedArrayBuffer(4 * (CONTEXT_SLOT + 2 * harts * CONTEXT_SLOTS));
    new Int32Array(sab)[HARTS_SLOT] = harts;
    return new PlicState(sab);
  }

  static attach(sab: SharedArrayBuffer): PlicState {
    return new PlicState(sab);
  }

  private constructor(sab: SharedArrayBuffer) {
    this.words = new Int32Array(sab);
    this.harts = this.words[HARTS_SLOT] ?? 0;
    this.contexts = 2 * this.harts;
    if (this.harts < 1 || this.words.length !== CONTEXT_SLOT + this.contexts * CONTEXT_SLOTS) {
      throw new RangeError('SharedArrayBuffer does not hold a PLIC state');
    }
  }

  get buffer(): SharedArrayBuffer {
    return this.words.buffer as SharedArrayBuffer;
  }

  /**
   * Everything back to its reset value, lines included (QEMU's sifive_plic_reset): the board
   * resets its devices and then drives their lines again.
   */
  reset(): void {
    for (let i = PRIORITY_SLOT; i < this.words.length; i++) Atomics.store(this.words, i, 0);
  }

  priority(source: number): number {
    return Atomics.load(this.words, PRIORITY_SLOT + this.source(source));
  }

  /** WARL, as on QEMU: the value modulo 8 (so 8 reads back 0). Source 0 stays 0. */
  setPriority(source: number, value: number): void {
    if (this.source(source) === 0) return;
    Atomics.store(this.words, PRIORITY_SLOT + source, value & PLIC_MAX_PRIORITY);
  }

  threshold(context: number): number {
    return Atomics.load(this.words, this.contextSlot(context) + THRESHOLD_INDEX);
  }

  /** WARL like the priorities: the value modulo 8. */
  setThreshold(context: number, value: number): void {
    Atomics.store(this.words, this.contextSlot(context) + THRESHOLD_INDEX, value & PLIC_MAX_PRIORITY);
  }

  /** Enable bits of sources 32*word .. 32*word+31 for a context. */
  enableWord(context: number, word: number): number {
    return Atomics.load(this.words, this.contextSlot(context) + this.word(word)) >>> 0;
  }

  /** Every bit is stored as written, as QEMU does (bit 0, source 0, can never be pending). */
  setEnableWord(context: number, word: number, value: number): void {
    Atomics.store(this.words, this.contextSlot(context) + this.word(word), value | 0);
  }

  enabled(context: number, source: number): boolean {
    return ((this.enableWord(context, this.source(source) >>> 5) >>> (source & 31)) & 1) !== 0;
  }

  /** Pending bits of sources 32*word .. 32*word+31. */
  pendingWord(word: number): number {
    return Atomics.load(this.words, PENDING_SLOT + this.word(word)) >>> 0;
  }

  pending(source: number): boolean {
    return this.bit(PENDING_SLOT, this.source(source));
  }

  /** True while a context has claimed the source and not completed it. */
  inService(source: number): boolean {
    return this.bit(CLAIMED_SLOT, this.source(source));
  }

  /** The level a device drives on the source's line. */
  line(source: number): boolean {
    return this.bit(LINE_SLOT, this.source(source));
  }

  /**
   * Drives a source's line. Returns true when this made the source pending (a context's
   * interrupt line may have risen: wake its hart). Source 0 is not connected.
   */
  setLine(source: number, level: boolean): boolean {
    if (this.source(source) === 0) return false;
    const w = source >>> 5;
    const bit = 1 << (source & 31);
    if (!level) {
      if (Atomics.load(this.words, LINE_SLOT + w) & bit) Atomics.and(this.words, LINE_SLOT + w, ~bit);
      return false;
    }
    if ((Atomics.load(this.words, LINE_SLOT + w) & bit) === 0) Atomics.or(this.words, LINE_SLOT + w, bit);
    // Line first, then the claimed bit: complete() clears claimed, then reads the line, so one
    // of the two always sees the other and a request is never lost.
    if (Atomics.load(this.words, CLAIMED_SLOT + w) & bit) return false;
    if (Atomics.load(this.words, PENDING_SLOT + w) & bit) return false;
    return (Atomics.or(this.words, PENDING_SLOT + w, bit) & bit) === 0;
  }

  /**
   * The claim register: the pending, enabled source of highest priority above the context's
   * threshold (ties: the lowest id), now in service and no longer pending; 0 if there is none.
   */
  claim(context: number): number {
    for (;;) {
      const source = this.best(context);
      if (source === 0) return 0;
      const w = source >>> 5;
      const bit = 1 << (source & 31);
      // Taking the claimed bit is the arbitration: of two contexts claiming at once, one wins.
      if (Atomics.or(this.words, CLAIMED_SLOT + w, bit) & bit) continue;
      if (Atomics.and(this.words, PENDING_SLOT + w, ~bit) & bit) return source;
      // Another context claimed and completed it between our look and our claim: give it back.
      this.release(source);
    }
  }

  /**
   * The completion register: ends the source's service and re-pends it if its line is still
   * high. Returns true when it became pending again. Like QEMU, any id below PLIC_SOURCES is
   * accepted, whichever context claimed it and whether or not it is enabled; others are ignored.
   */
  complete(context: number, id: number): boolean {
    this.contextSlot(context);
    if (!Number.isInteger(id) || id <= 0 || id >= PLIC_SOURCES) return false;
    return this.release(id);
  }

  /** True when the context has a pending, enabled source with priority above its threshold. */
  contextPending(context: number): boolean {
    const base = this.contextSlot(context);
    // Asked twice a slice for each context: nothing pending (the common case) costs one load a word.
    let threshold = -1;
    for (let w = 0; w < WORDS; w++) {
      const pending = Atomics.load(this.words, PENDING_SLOT + w);
      if (pending === 0) continue;
      let bits = pending & ~Atomics.load(this.words, CLAIMED_SLOT + w) & Atomics.load(this.words, base + w);
      if (bits !== 0 && threshold < 0) threshold = Atomics.load(this.words, base + THRESHOLD_INDEX);
      while (bits !== 0) {
        const low = bits & -bits;
        if (Atomics.load(this.words, PRIORITY_SLOT + 32 * w + 31 - Math.clz32(low)) > threshold) return true;
        bits ^= low;
      }
    }
    return false;
  }

  /** True when the source, once pending, would interrupt some context (enabled, priority above its threshold). */
  routed(source: number): boolean {
    const priority = this.priority(source);
    for (let context = 0; context < this.contexts; context++) {
      if (priority > this.threshold(context) && this.enabled(context, source)) return true;
    }
    return false;
  }

  private best(context: number): number {
    const base = this.contextSlot(context);
    let best = 0;
    let bestPriority = Atomics.load(this.words, base + THRESHOLD_INDEX);
    for (let w = 0; w < WORDS; w++) {
      let bits = Atomics.load(this.words, PENDING_SLOT + w) & ~Atomics.load(this.words, CLAIMED_SLOT + w) & Atomics.load(this.words, base + w);
      while (bits !== 0) {
        const low = bits & -bits;
        const source = 32 * w + 31 - Math.clz32(low);
        const priority = Atomics.load(this.words, PRIORITY_SLOT + source);
        // Strictly greater: of equal priorities the lowest id (seen first) wins.
        if (priority > bestPriority) {
          best = source;
          bestPriority = priority;
        }
        bits ^= low;
      }
    }
    return best;
  }

  private release(source: number): boolean {
    const w = source >>> 5;
    const bit = 1 << (source & 31);
    Atomics.and(this.words, CLAIMED_SLOT + w, ~bit);
    if ((Atomics.load(this.words, LINE_SLOT + w) & bit) === 0) return false;
    return (Atomics.or(this.words, PENDING_SLOT + w, bit) & bit) === 0;
  }

  private bit(slot: number, source: number): boolean {
    return ((Atomics.load(this.words, slot + (source >>> 5)) >>> (source & 31)) & 1) !== 0;
  }

  private source(source: number): number {
    if (!Number.isInteger(source) || source < 0 || source >= PLIC_SOURCES) {
      throw new RangeError(`PLIC source ${source} does not exist (0..${PLIC_SOURCES - 1})`);
    }
    return source;
  }

  private word(word: number): number {
    if (!Number.isInteger(word) || word < 0 || word >= WORDS) {
      throw new RangeError(`PLIC bit-field word ${word} does not exist (0..${WORDS - 1})`);
    }
    return word;
  }

  private contextSlot(context: number): number {
    if (!Number.isInteger(context) || context < 0 || context >= this.contexts) {
      throw new RangeError(`PLIC context ${context} does not exist (0..${this.contexts - 1})`);
    }
    return CONTEXT_SLOT + context * CONTEXT_SLOTS;
  }
}

/**
 * The MMIO face of the PLIC, one per hart (and one for the host, to drive lines) over the same
 * PlicState. `onWake(hart)` runs after a change that may raise one of that hart's two context
 * lines (a source became pending, or a priority, threshold or enable write), for every hart
 * whose context now has an interrupt, so that a hart parked in WFI wakes up.
 *
 * Register map (QEMU virt, SiFive PLIC): priority of source s at 4*s; pending bits at 0x1000
 * (read-only; writes ignored); enables of context c at 0x2000 + 0x80*c; threshold of context c
 * at 0x200000 + 0x1000*c and its claim/complete register at +4. Only naturally aligned 4-byte
 * accesses are decoded, as QEMU requires (min = max access size 4); anything else is an access
 * fault. Like QEMU, the rest of the window reads as zero and ignores writes: source 0's priority,
 * pending and enable words past source 95, registers of contexts the board does not have.
 */
export class Plic implements MmioDevice {
  readonly name = 'plic';

  constructor(
    readonly state: PlicState,
    private readonly onWake: (hart: number) => void,
  ) {}

  /** Drives a source's line (a device's interrupt output) and wakes the harts it may interrupt. */
  setLine(source: number, level: boolean): void {
    if (this.state.setLine(source, level)) this.wakeInterrupted();
  }

  read(offset: number, size: AccessSize): number | undefined {
    if (!decodes(offset, size)) return undefined;
    const state = this.state;
    if (offset < PENDING_OFFSET) {
      const source = (offset - PRIORITY_OFFSET) >>> 2;
      return source < PLIC_SOURCES ? state.priority(source) : 0;
    }
    if (offset < ENABLE_OFFSET) {
      const word = (offset - PENDING_OFFSET) >>> 2;
      return word < WORDS ? state.pendingWord(word) : 0;
    }
    if (offset < CONTEXT_OFFSET) {
      const context = Math.floor((offset - ENABLE_OFFSET) / ENABLE_STRIDE);
      const word = ((offset - ENABLE_OFFSET) % ENABLE_STRIDE) >>> 2;
      return context < state.contexts && word < WORDS ? state.enableWord(context, word) : 0;
    }
    const context = Math.floor((offset - CONTEXT_OFFSET) / CONTEXT_STRIDE);
    if (context >= state.contexts) return 0;
    switch ((offset - CONTEXT_OFFSET) % CONTEXT_STRIDE) {
      case 0:
        return state.threshold(context);
      case CLAIM_REGISTER:
        return state.claim(context);
      default:
        return 0;
    }
  }

  write(offset: number, size: AccessSize, value: number): boolean {
    if (!decodes(offset, size)) return false;
    const state = this.state;
    if (offset < PENDING_OFFSET) {
      const source = (offset - PRIORITY_OFFSET) >>> 2;
      if (source > 0 && source < PLIC_SOURCES) {
        state.setPriority(source, value);
        this.wakeInterrupted();
      }
      return true;
    }
    if (offset < ENABLE_OFFSET) return true; // pending bits are read-only
    if (offset < CONTEXT_OFFSET) {
      const context = Math.floor((offset - ENABLE_OFFSET) / ENABLE_STRIDE);
      const word = ((offset - ENABLE_OFFSET) % ENABLE_STRIDE) >>> 2;
      if (context < state.contexts && word < WORDS) {
        state.setEnableWord(context, word, value);
        this.wakeInterrupted();
      }
      return true;
    }
    const context = Math.floor((offset - CONTEXT_OFFSET) / CONTEXT_STRIDE);
    if (context >= state.contexts) return true;
    switch ((offset - CONTEXT_OFFSET) % CONTEXT_STRIDE) {
      case 0:
        state.setThreshold(context, value);
        this.wakeInterrupted();
        break;
      case CLAIM_REGISTER:
        if (state.complete(context, value >>> 0)) this.wakeInterrupted();
        break;
      default:
        break;
    }
    return true;
  }

  /** Wakes every hart with an interrupt now pending on one of its contexts. */
  private wakeInterrupted(): void {
    const state = this.state;
    for (let hart = 0; hart < state.harts; hart++) {
      if (state.contextPending(2 * hart) || state.contextPending(2 * hart + 1)) this.onWake(hart);
    }
  }
}

function decodes(offset: number, size: AccessSize): boolean {
  return size === 4 && (offset & 3) === 0 && offset >= 0 && offset < WINDOW_BYTES;
}
