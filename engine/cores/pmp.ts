// Physical memory protection: the 16 entries of pmpcfg0-3/pmpaddr0-15 decoded into address ranges, and
// the check of an access against them (privileged spec 3.7; what QEMU 7.2 does where the spec leaves room).

import { Privilege } from './trap-cause.js';

/** Access kinds as pmpcfg's permission bits. */
export const enum PmpAccess {
  Read = 1,
  Write = 2,
  Execute = 4,
}

const ENTRIES = 16;
const LOCK = 0x80;
const ADDRESS_MATCH_SHIFT = 3;
const enum Match { Off = 0, Tor = 1, Na4 = 2, Napot = 3 }

/** The decoded entries of a hart's PMP; `update` after every write to pmpcfg or pmpaddr. */
export class PmpRules {
  // Entry i covers physical bytes [lo[i], hi[i]) of the 34-bit space (hi <= lo: none), with perm[i].
  private readonly lo = new Float64Array(ENTRIES);
  private readonly hi = new Float64Array(ENTRIES);
  private readonly perm = new Uint8Array(ENTRIES);
  private readonly locked = new Uint8Array(ENTRIES);
  private readonly active: number[] = [];
  /** Some entry is on (A != OFF): S and U accesses are then checked. */
  anyActive = false;
  /** Some active entry is locked: M-mode accesses are then checked too. */
  anyLocked = false;

  update(pmpcfg: Int32Array, pmpaddr: Int32Array): void {
    this.active.length = 0;
    this.anyLocked = false;
    for (let i = 0; i < ENTRIES; i++) {
      const cfg = (pmpcfg[i >>> 2] >>> ((i & 3) * 8)) & 0xff;
      const match = (cfg >>> ADDRESS_MATCH_SHIFT) & 3;
      const addr = (pmpaddr[i] >>> 0) * 4;
      let lo = 0, hi = 0;
      if (match === Match.Tor) {
        lo = i === 0 ? 0 : (pmpaddr[i - 1] >>> 0) * 4;
        hi = addr;
      } else if (match === Match.Na4) {
        lo = addr;
        hi = addr + 4;
      } else if (match === Match.Napot) {
        // The trailing ones of pmpaddr give the size: t ones cover 2^(t+3) bytes.
        const ones = trailingOnes(pmpaddr[i] >>> 0);
        const size = 2 ** (ones + 3);
        lo = ones === 32 ? 0 : Math.floor(addr / size) * size;
        hi = lo + size;
      }
      if (hi <= lo) lo = hi = 0; // an empty TOR range matches nothing
      this.lo[i] = lo;
      this.hi[i] = hi;
      this.perm[i] = cfg & 7;
      this.locked[i] = (cfg & LOCK) !== 0 ? 1 : 0;
      if (match !== Match.Off) {
        this.active.push(i);
        if (this.locked[i]) this.anyLocked = true;
      }
    }
    this.anyActive = this.active.length > 0;
  }

  /** Whether accesses at this privilege are checked at all (otherwise every access is allowed). */
  applies(priv: Privilege): boolean {
    return priv === Privilege.Machine ? this.anyLocked : true;
  }

  /**
   * Whether `priv` may make an access of kind `access` to bytes [addr, addr + size). The lowest-numbered
   * entry that matches any byte decides; it must match them all. M-mode obeys locked entries only and
   * passes when none matches; S and U fail when none matches (also with no entry on, as QEMU 7.2 does).
   */
  allows(addr: number, size: number, access: PmpAccess, priv: Privilege): boolean {
    const end = addr + size;
    for (const i of this.active) {
      const lo = this.lo[i], hi = this.hi[i];
      if (end <= lo || addr >= hi) continue;
      if (addr < lo || end > hi) return false;
      if (priv === Privilege.Machine && !this.locked[i]) return true;
      return (this.perm[i] & access) !== 0;
    }
    return priv === Privilege.Machine;
  }

  /** Whether one answer of `allows` holds for every byte of the 4 KiB page at `page` (so a TLB may cache it). */
  uniformOver(page: number): boolean {
    const end = page + 4096;
    for (const i of this.active) {
      const lo = this.lo[i], hi = this.hi[i];
      if (end <= lo || page >= hi) continue;
      return lo <= page && hi >= end;
    }
    return true;
  }
}

function trailingOnes(value: number): number {
  return value === 0xffff_ffff ? 32 : 31 - Math.clz32(~value & (value + 1));
}
