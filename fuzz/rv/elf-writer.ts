// Builds a minimal RV32 executable ELF in memory: an ELF header, one PT_LOAD program header per
// segment, no sections, the way the loader and the hypervisor take a guest.

export interface SegmentSpec {
  paddr: number;
  data: Uint8Array;
  /** At least data.length; the rest is zero-filled bss. */
  memSize?: number;
  /** PF_X 1, PF_W 2, PF_R 4. */
  flags?: number;
}

const EHDR = 52;
const PHDR = 32;

export function buildElf(entry: number, segments: readonly SegmentSpec[]): Uint8Array {
  const headers = EHDR + PHDR * segments.length;
  const size = headers + segments.reduce((n, s) => n + s.data.length, 0);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1], 0); // ELFCLASS32, little-endian, version 1
  view.setUint16(16, 2, true); // ET_EXEC
  view.setUint16(18, 243, true); // EM_RISCV
  view.setUint32(20, 1, true);
  view.setUint32(24, entry >>> 0, true);
  view.setUint32(28, EHDR, true);
  view.setUint16(40, EHDR, true);
  view.setUint16(42, PHDR, true);
  view.setUint16(44, segments.length, true);
  view.setUint16(46, 40, true);
  let offset = headers;
  segments.forEach((s, i) => {
    const ph = EHDR + i * PHDR;
    view.setUint32(ph, 1, true); // PT_LOAD
    view.setUint32(ph + 4, offset, true);
    view.setUint32(ph + 8, s.paddr >>> 0, true);
    view.setUint32(ph + 12, s.paddr >>> 0, true);
    view.setUint32(ph + 16, s.data.length, true);
    view.setUint32(ph + 20, Math.max(s.memSize ?? 0, s.data.length), true);
    view.setUint32(ph + 24, s.flags ?? 7, true);
    view.setUint32(ph + 28, 4, true);
    out.set(s.data, offset);
    offset += s.data.length;
  });
  return out;
}
