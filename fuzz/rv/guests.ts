// The hand-made guests of the instruction-stream target: the neighbour, whose every write is
// known (one counter word and its console), and the stub the fuzzed VM serves from between streams.

import { Asm } from './asm.js';
import { buildElf } from './elf-writer.js';
import { add, addi, andi, csrrw, CSR, lw, Op, rType, sb, sltu, sub, sw, WFI, wordsToBytes } from './encode.js';
import { Rng } from '../prng.js';

export const RAM_BASE = 0x8000_0000;
const UART = 0x1000_0000;
const MTIME = 0x0200_bff8;
const MTIMECMP = 0x0200_4000;
const HV_READY = 0x0400_0028;

/** The neighbour's only RAM writes: its tick count here, and the low word of mtime at its latest wake-up after it. */
export const NEIGHBOUR_COUNTER = RAM_BASE + 0x1000;
/** Every this many ticks the neighbour prints `n XXXXXXXX` (the count in hex). */
export const NEIGHBOUR_PRINT_EVERY = 64;
/** mtime ticks (10 MHz) between the neighbour's wake-ups: 100 µs. */
export const NEIGHBOUR_PERIOD_TICKS = 1000;
/** The channel window, as both VMs see it: the fuzzed VM may only read it, the neighbour never writes it. */
export const WINDOW = 0x9000_0000;
export const WINDOW_BYTES = 0x1000;
/** Pseudo-random bytes the neighbour never writes: a stray store into its partition shows there. */
const PATTERN_BASE = RAM_BASE + 0x2000;
const PATTERN_BYTES = 0x40000;

const [t0, t1, t2, s0, s1, a0, s2, s3, s4, s5, s6, t3, t4, t5, t6] = [5, 6, 7, 8, 9, 10, 18, 19, 20, 21, 22, 28, 29, 30, 31];

/**
 * A timer-driven loop with interrupts masked (mstatus.MIE = 0, mie.MTIE = 1: WFI wakes on the
 * timer without a trap): every 100 µs it counts a tick into NEIGHBOUR_COUNTER (and the time it woke
 * into the word after), and every 64 ticks
 * prints `n COUNT LATE` (hex: the tick count, and the latest it woke after a deadline in those 64
 * ticks, in mtime ticks), followed by ` !` if the channel window (which nobody may write) is not
 * all zero. Registers only, no stack: those two words are all it writes.
 */
export function neighbourElf(): Uint8Array {
  const a = new Asm(RAM_BASE);
  const printHex = (register: number, label: string) => {
    a.li(t6, 28);
    a.label(label).emit(rType(Op.Op, t0, 5, register, t6, 0), andi(t0, t0, 15)).li(t1, 10).branch(6, t0, t1, `${label}-digit`).emit(addi(t0, t0, 39));
    a.label(`${label}-digit`).emit(addi(t0, t0, 48), sb(t0, s1, 0), addi(t6, t6, -4)).branch(5, t6, 0, label);
  };
  a.branch(1, a0, 0, 'park');
  a.li(s0, NEIGHBOUR_COUNTER).li(s1, UART).li(s2, MTIME).li(s3, MTIMECMP).li(s5, NEIGHBOUR_PERIOD_TICKS).li(s4, 0).li(s6, 0);
  a.li(t0, 0x80).emit(csrrw(0, CSR.mie, t0));
  a.label('loop');
  a.label('time').emit(lw(t1, s2, 4), lw(t0, s2, 0), lw(t2, s2, 4)).branch(1, t1, t2, 'time');
  a.emit(add(t3, t0, s5), sltu(t4, t3, t0), add(t1, t1, t4));
  a.li(t5, -1).emit(sw(t5, s3, 0), sw(t1, s3, 4), sw(t3, s3, 0));
  // Woken: how late (mtime now - the deadline; a wake-up before it is not late), the latest kept in s6.
  a.emit(WFI, lw(t0, s2, 0), sw(t0, s0, 4), sub(t0, t0, t3)).branch(4, t0, 0, 'counted').branch(6, t0, s6, 'counted').emit(addi(s6, t0, 0));
  a.label('counted').emit(addi(s4, s4, 1), sw(s4, s0, 0), andi(t0, s4, NEIGHBOUR_PRINT_EVERY - 1)).branch(1, t0, 0, 'loop');
  a.li(t0, 0x6e).emit(sb(t0, s1, 0)).li(t0, 0x20).emit(sb(t0, s1, 0));
  printHex(s4, 'count');
  a.li(t0, 0x20).emit(sb(t0, s1, 0));
  printHex(s6, 'late');
  a.li(s6, 0);
  a.li(t1, WINDOW).li(t2, WINDOW + WINDOW_BYTES).li(t3, 0);
  a.label('window').emit(lw(t0, t1, 0), rType(Op.Op, t3, 6, t3, t0, 0), addi(t1, t1, 4)).branch(1, t1, t2, 'window');
  a.branch(0, t3, 0, 'eol').li(t0, 0x20).emit(sb(t0, s1, 0)).li(t0, 0x21).emit(sb(t0, s1, 0));
  a.label('eol').li(t0, 10).emit(sb(t0, s1, 0)).jump(0, 'loop');
  a.label('park').emit(WFI).jump(0, 'park');
  const pattern = new Rng(1, 2, 3, 4).bytes(PATTERN_BYTES);
  return buildElf(RAM_BASE, [{ paddr: RAM_BASE, data: wordsToBytes(a.assemble()), flags: 5 }, { paddr: PATTERN_BASE, data: pattern, flags: 6 }]);
}

/** The fuzzed VM between streams: reports ready, then waits for an interrupt that never comes. */
export function stubElf(): Uint8Array {
  const a = new Asm(RAM_BASE);
  a.li(t0, HV_READY).emit(sw(0, t0, 0), csrrw(0, CSR.mie, 0));
  a.label('park').emit(WFI).jump(0, 'park');
  return buildElf(RAM_BASE, [{ paddr: RAM_BASE, data: wordsToBytes(a.assemble()), flags: 5 }]);
}

/** A neighbour console line: the tick count (up by NEIGHBOUR_PRINT_EVERY a line), its latest wake-up, the window flag. */
export const NEIGHBOUR_LINE = /^n ([0-9a-f]{8}) ([0-9a-f]{8})( !)?$/;
