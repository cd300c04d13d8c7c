// A hart's TLB: direct-mapped tables from virtual page to RAM page, one each for fetches, loads and
// stores. An entry is filled only with the right its access proved (a store entry means W and D are
// set), so the hot loop's hit is one tag compare and every check stays in the slow path (Spike's scheme).

/** Entries per table (a power of two). */
const ENTRIES = 512;
export const TLB_MASK = ENTRIES - 1;

export class Tlb {
  /** Virtual page number (va >>> 12) held in each slot, or -1. */
  readonly fetchTag = new Int32Array(ENTRIES).fill(-1);
  readonly loadTag = new Int32Array(ENTRIES).fill(-1);
  readonly storeTag = new Int32Array(ENTRIES).fill(-1);
  /** Byte offset of the page in the hart's RAM window, beside each tag. */
  readonly fetchOff = new Int32Array(ENTRIES);
  readonly loadOff = new Int32Array(ENTRIES);
  readonly storeOff = new Int32Array(ENTRIES);
  /** Whether any slot is filled, so flushing an empty TLB costs nothing. */
  private filled = false;

  flush(): void {
    if (!this.filled) return;
    this.fetchTag.fill(-1);
    this.loadTag.fill(-1);
    this.storeTag.fill(-1);
    this.filled = false;
  }

  fill(tags: Int32Array, offs: Int32Array, vpn: number, ramOffset: number): void {
    const slot = vpn & TLB_MASK;
    tags[slot] = vpn;
    offs[slot] = ramOffset;
    this.filled = true;
  }
}
