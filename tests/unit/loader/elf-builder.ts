// Assembles small ELF32 little-endian RISC-V executables in memory, for loader tests to parse and corrupt.

export interface SegmentSpec {
  paddr: number;
  /** Defaults to paddr. */
  vaddr?: number;
  data: number[];
  /** Defaults to data.length. */
  memSize?: number;
  /** Defaults to R+X (5). */
  flags?: number;
  /** Defaults to PT_LOAD (1). */
  type?: number;
}

export interface SymbolSpec {
  name: string;
  value: number;
  size?: number;
  bind?: 'local' | 'global' | 'weak';
  type?: 'notype' | 'object' | 'func' | 'section' | 'file';
  /** An undefined (imported) symbol: section index 0. */
  undefinedSymbol?: boolean;
}

/** Byte offsets of the fields tests corrupt. */
export const EHDR = { class: 4, data: 5, type: 16, machine: 18, entry: 24, phoff: 28, shoff: 32, phentsize: 42, phnum: 44 };
export const PHDR = { base: 52, size: 32, type: 0, offset: 4, vaddr: 8, paddr: 12, filesz: 16, memsz: 20, flags: 24 };

const BINDS = { local: 0, global: 1, weak: 2 };
const TYPES = { notype: 0, object: 1, func: 2, section: 3, file: 4 };
const NOP = [0x13, 0x00, 0x00, 0x00];

/**
 * Layout: ELF header, program headers, each segment's bytes (4-byte aligned), then, when there
 * are symbols, .strtab, .symtab and three section headers (null, .symtab, .strtab).
 */
export function buildElf(
  opts: { entry?: number; segments?: SegmentSpec[]; symbols?: SymbolSpec[] } = {},
): Uint8Array {
  const segments = opts.segments ?? [{ paddr: 0x8000_0000, data: [...NOP, ...NOP] }];
  const out: number[] = new Array(52 + 32 * segments.length).fill(0);
  const align4 = (): void => {
    while (out.length % 4 !== 0) out.push(0);
  };

  const dataOffsets = segments.map((segment) => {
    align4();
    const at = out.length;
    out.push(...segment.data);
    return at;
  });

  let shoff = 0;
  let shnum = 0;
  // Headers of sections 1.. (section 0 is the null section), written once the bytes exist.
  const sectionHeaders: { type: number; offset: number; size: number; link: number; entsize: number }[] = [];
  if (opts.symbols) {
    const names: number[] = [0];
    const nameOffsets = opts.symbols.map((symbol) => {
      const at = names.length;
      names.push(...new TextEncoder().encode(symbol.name), 0);
      return at;
    });
    align4();
    const strtabOffset = out.length;
    out.push(...names);
    align4();
    const symtabOffset = out.length;
    out.push(...new Array(16).fill(0)); // the null symbol
    opts.symbols.forEach((symbol, i) => {
      const entry = new Uint8Array(16);
      const view = new DataView(entry.buffer);
      view.setUint32(0, nameOffsets[i], true);
      view.setUint32(4, symbol.value >>> 0, true);
      view.setUint32(8, symbol.size ?? 0, true);
      view.setUint8(12, (BINDS[symbol.bind ?? 'global'] << 4) | TYPES[symbol.type ?? 'notype']);
      view.setUint16(14, symbol.undefinedSymbol ? 0 : 1, true);
      out.push(...entry);
    });
    align4();
    shoff = out.length;
    shnum = 3;
    out.push(...new Array(40 * shnum).fill(0));
    sectionHeaders.push(
      { type: 2 /* SHT_SYMTAB */, offset: symtabOffset, size: shoff - symtabOffset, link: 2, entsize: 16 },
      { type: 3 /* SHT_STRTAB */, offset: strtabOffset, size: names.length, link: 0, entsize: 0 },
    );
  }

  const bytes = new Uint8Array(out);
  const view = new DataView(bytes.buffer);
  bytes.set([0x7f, 0x45, 0x4c, 0x46, 1 /* ELFCLASS32 */, 1 /* LSB */, 1 /* EV_CURRENT */]);
  view.setUint16(EHDR.type, 2 /* ET_EXEC */, true);
  view.setUint16(EHDR.machine, 243 /* EM_RISCV */, true);
  view.setUint32(20, 1, true); // e_version
  view.setUint32(EHDR.entry, (opts.entry ?? segments[0]?.paddr ?? 0) >>> 0, true);
  view.setUint32(EHDR.phoff, segments.length > 0 ? 52 : 0, true);
  view.setUint32(EHDR.shoff, shoff, true);
  view.setUint16(40, 52, true); // e_ehsize
  view.setUint16(EHDR.phentsize, 32, true);
  view.setUint16(EHDR.phnum, segments.length, true);
  view.setUint16(46, 40, true); // e_shentsize
  view.setUint16(48, shnum, true);

  sectionHeaders.forEach((header, i) => {
    const at = shoff + 40 * (i + 1);
    view.setUint32(at + 4, header.type, true);
    view.setUint32(at + 16, header.offset, true);
    view.setUint32(at + 20, header.size, true);
    view.setUint32(at + 24, header.link, true);
    view.setUint32(at + 36, header.entsize, true);
  });
  segments.forEach((segment, i) => {
    const at = PHDR.base + PHDR.size * i;
    view.setUint32(at + PHDR.type, segment.type ?? 1, true);
    view.setUint32(at + PHDR.offset, dataOffsets[i], true);
    view.setUint32(at + PHDR.vaddr, (segment.vaddr ?? segment.paddr) >>> 0, true);
    view.setUint32(at + PHDR.paddr, segment.paddr >>> 0, true);
    view.setUint32(at + PHDR.filesz, segment.data.length, true);
    view.setUint32(at + PHDR.memsz, segment.memSize ?? segment.data.length, true);
    view.setUint32(at + PHDR.flags, segment.flags ?? 5, true);
    view.setUint32(at + 28, 4, true); // p_align
  });
  return bytes;
}

/** Little-endian field writers for corrupting a built file in place. */
export function set16(bytes: Uint8Array, offset: number, value: number): Uint8Array {
  new DataView(bytes.buffer, bytes.byteOffset).setUint16(offset, value, true);
  return bytes;
}

export function set32(bytes: Uint8Array, offset: number, value: number): Uint8Array {
  new DataView(bytes.buffer, bytes.byteOffset).setUint32(offset, value >>> 0, true);
  return bytes;
}
