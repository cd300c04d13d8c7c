// Page tables for hart tests: an Sv32 root and second-level tables in the bench RAM, and satp to use them.

import { Privilege } from '../../../engine/cores/trap-cause.js';
import { RAM_BASE, type TestHart } from './test-hart.js';

export const enum Pte { V = 1, R = 2, W = 4, X = 8, U = 16, A = 64, D = 128 }
/** The root table's page; second-level tables follow it. */
export const ROOT = RAM_BASE + 0xa000;
const TABLES_END = RAM_BASE + 0x10000;

export class PageTables {
  private next = ROOT + 0x1000;
  private readonly tables = new Map<number, number>();

  constructor(private readonly t: TestHart) {
    for (let i = 0; i < 1024; i++) t.poke32(ROOT + 4 * i, 0);
  }

  /** Maps the 4 KiB page at `va` to `pa` with `flags` (a leaf PTE). */
  map(va: number, pa: number, flags: number): this {
    this.t.poke32(this.leafAddress(va), (((pa >>> 12) << 10) | flags) >>> 0);
    return this;
  }

  /** Maps the 4 MiB superpage at `va` to `pa` with `flags` (a leaf PTE in the root). */
  mapMega(va: number, pa: number, flags: number): this {
    this.t.poke32(ROOT + 4 * (va >>> 22), (((pa >>> 12) << 10) | flags) >>> 0);
    return this;
  }

  /** Writes a raw PTE for `va`'s 4 KiB page. */
  setLeaf(va: number, pte: number): this {
    this.t.poke32(this.leafAddress(va), pte >>> 0);
    return this;
  }

  /** The second-level PTE of `va`'s page. */
  leaf(va: number): number {
    return this.t.peek32(this.leafAddress(va));
  }

  /** Physical address of `va`'s second-level PTE (allocating the table). */
  leafAddress(va: number): number {
    const index = va >>> 22;
    let table = this.tables.get(index);
    if (table === undefined) {
      if (this.next >= TABLES_END) throw new RangeError('page tables: the bench RAM is full');
      table = this.next;
      this.next += 0x1000;
      for (let i = 0; i < 1024; i++) this.t.poke32(table + 4 * i, 0);
      this.tables.set(index, table);
      this.t.poke32(ROOT + 4 * index, ((table >>> 12) << 10) | Pte.V);
    }
    return table + 4 * ((va >>> 12) & 0x3ff);
  }
}

/** satp selecting Sv32 with these tables (and `asid`). */
export const satpSv32 = (asid = 0): number => (0x8000_0000 | (asid << 22) | (ROOT >>> 12)) | 0;

/**
 * A hart running its program (at RAM_BASE) in `priv` under Sv32, with the code page mapped to itself
 * (R X A, U when `priv` is U). Returns the tables to map more.
 */
export function pagedHart(t: TestHart, priv: Privilege): PageTables {
  const tables = new PageTables(t);
  tables.map(RAM_BASE, RAM_BASE, Pte.V | Pte.R | Pte.X | Pte.A | (priv === Privilege.User ? Pte.U : 0));
  t.hart.satp = satpSv32();
  t.hart.priv = priv;
  return tables;
}
