// The SiFive test finisher of QEMU's virt board: a guest write ends the run or resets the board.

import type { AccessSize, MmioDevice } from '../memory/mmio-device.js';

const FINISHER_FAIL = 0x3333;
const FINISHER_PASS = 0x5555;
const FINISHER_RESET = 0x7777;
/** QEMU maps a 4 KiB page for the device. */
const WINDOW_BYTES = 0x1000;

export interface SifiveTestHandlers {
  /** The guest asked to stop with this exit code (0 on pass). */
  onExit(code: number): void;
  /** The guest asked for a board reset. */
  onReset(): void;
}

/**
 * Writes at offset 0 act on their low 16 bits: 0x5555 pass (exit 0), 0x3333 fail with the
 * code in bits 31..16 (a code of 0 exits 0, as in QEMU), 0x7777 reset; other values and
 * offsets are ignored. Reads return 0. Like QEMU, only aligned 2- and 4-byte accesses are
 * decoded; a byte access is an access fault.
 */
export class SifiveTest implements MmioDevice {
  readonly name = 'sifive-test';

  constructor(private readonly handlers: SifiveTestHandlers) {}

  read(offset: number, size: AccessSize): number | undefined {
    return decodes(offset, size) ? 0 : undefined;
  }

  write(offset: number, size: AccessSize, value: number): boolean {
    if (!decodes(offset, size)) return false;
    if (offset !== 0) return true;
    const word = size === 2 ? value & 0xffff : value >>> 0;
    switch (word & 0xffff) {
      case FINISHER_PASS:
        this.handlers.onExit(0);
        break;
      case FINISHER_FAIL:
        this.handlers.onExit(word >>> 16);
        break;
      case FINISHER_RESET:
        this.handlers.onReset();
        break;
    }
    return true;
  }
}

function decodes(offset: number, size: AccessSize): boolean {
  return size !== 1 && offset >= 0 && offset + size <= WINDOW_BYTES && (offset & (size - 1)) === 0;
}
