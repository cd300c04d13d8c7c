// ELF32 RISC-V executables: validate, list the loadable segments and symbols, copy them into RAM.

/** What is wrong with an ELF file, in one line. */
export class ElfError extends Error {
  override readonly name = 'ElfError';
}

export interface ElfSegment {
  /** Guest-physical load address (p_paddr: QEMU loads by it, not by p_vaddr). */
  paddr: number;
  vaddr: number;
  /** The bytes stored in the file (p_filesz of them); the rest up to memSize is zero. */
  data: Uint8Array;
  memSize: number;
  /** p_flags: PF_X 1, PF_W 2, PF_R 4. */
  flags: number;
}

export interface ElfImage {
  entry: number;
  /** PT_LOAD segments in program-header order; "segment N" in messages indexes this list. */
  segments: ElfSegment[];
  /** Defined symbols from .symtab (empty when stripped); a global wins over a same-named local. */
  symbols: Map<string, { value: number; size: number }>;
}

const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46];
const ELFCLASS32 = 1;
const ELFCLASS64 = 2;
const ELFDATA2LSB = 1;
const ELFDATA2MSB = 2;
const ET_EXEC = 2;
const EM_RISCV = 243;
const PT_LOAD = 1;
const SHT_SYMTAB = 2;
const STT_SECTION = 3;
const STT_FILE = 4;
const STB_LOCAL = 0;
const SHN_UNDEF = 0;

const EHDR_BYTES = 52;
const PHDR_BYTES = 32;
const SHDR_BYTES = 40;
const SYM_BYTES = 16;

const TYPE_NAMES: Record<number, string> = {
  0: 'ET_NONE',
  1: 'ET_REL, a relocatable object',
  3: 'ET_DYN, a shared object or PIE',
  4: 'ET_CORE, a core dump',
};

const MACHINE_NAMES: Record<number, string> = {
  3: 'x86',
  8: 'MIPS',
  40: 'ARM',
  62: 'x86-64',
  183: 'AArch64',
};

export function parseElf(bytes: Uint8Array): ElfImage {
  checkIdent(bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number): number => view.getUint16(at, true);
  const u32 = (at: number): number => view.getUint32(at, true);

  const machine = u16(18);
  if (machine !== EM_RISCV) {
    throw new ElfError(
      `not a RISC-V ELF: e_machine is ${named(machine, MACHINE_NAMES)}, expected ${EM_RISCV} (EM_RISCV)`,
    );
  }
  const type = u16(16);
  if (type !== ET_EXEC) {
    throw new ElfError(`not an executable ELF: e_type is ${named(type, TYPE_NAMES)}, expected ${ET_EXEC} (ET_EXEC)`);
  }

  const phoff = u32(28);
  const phentsize = u16(42);
  const phnum = u16(44);
  if (phnum === 0) throw new ElfError('no loadable segments: the file has no program headers');
  if (phentsize !== PHDR_BYTES) {
    throw new ElfError(`program header entries are ${phentsize} bytes, expected ${PHDR_BYTES}`);
  }
  if (phoff + phnum * PHDR_BYTES > bytes.length) {
    throw new ElfError(
      `program headers out of bounds: the table at offset ${hex(phoff)} (${phnum} x ${PHDR_BYTES} bytes) ` +
        `ends past the end of the file (${hex(bytes.length)} bytes)`,
    );
  }

  const segments: ElfSegment[] = [];
  for (let i = 0; i < phnum; i++) {
    const ph = phoff + i * PHDR_BYTES;
    if (u32(ph) !== PT_LOAD) continue;
    const index = segments.length;
    const offset = u32(ph + 4);
    const vaddr = u32(ph + 8);
    const paddr = u32(ph + 12);
    const fileSize = u32(ph + 16);
    const memSize = u32(ph + 20);
    if (fileSize > memSize) {
      throw new ElfError(
        `segment ${index} at ${hex(paddr)} has p_filesz ${hex(fileSize)} larger than p_memsz ${hex(memSize)}`,
      );
    }
    if (offset + fileSize > bytes.length) {
      throw new ElfError(
        `truncated ELF: segment ${index} at ${hex(paddr)} needs ${hex(fileSize)} file bytes from offset ` +
          `${hex(offset)}, but the file is ${hex(bytes.length)} bytes`,
      );
    }
    segments.push({
      paddr,
      vaddr,
      data: bytes.slice(offset, offset + fileSize),
      memSize,
      flags: u32(ph + 24),
    });
  }
  if (segments.length === 0) throw new ElfError('no loadable segments: no PT_LOAD program header');
  checkNoOverlap(segments);

  return { entry: u32(24), segments, symbols: readSymbols(bytes, view) };
}

/**
 * Copies every segment to its p_paddr in `ram` (whose byte 0 is guest-physical `ramBase`) and
 * zero-fills its bss tail. Checks every segment before writing any, so a bad image leaves RAM as
 * it was.
 */
export function loadElf(image: ElfImage, ram: Uint8Array, ramBase: number): void {
  const ramEnd = ramBase + ram.length;
  // An empty segment occupies no memory, so it is neither checked nor copied, wherever it claims to be.
  const occupied = image.segments.filter((segment) => segment.memSize > 0);
  image.segments.forEach((segment, index) => {
    if (segment.memSize === 0) return;
    if (segment.paddr < ramBase || segment.paddr + segment.memSize > ramEnd) {
      throw new ElfError(
        `segment ${index} at ${hex(segment.paddr)} (size ${hex(segment.memSize)}) lies outside ` +
          `RAM ${hex(ramBase)}..${hex(ramEnd - 1)}`,
      );
    }
  });
  for (const segment of occupied) {
    const at = segment.paddr - ramBase;
    ram.set(segment.data, at);
    ram.fill(0, at + segment.data.length, at + segment.memSize);
  }
}

/**
 * Two segments loaded into the same bytes leave the image depending on load order, and the guest
 * then runs code it was never linked with (QEMU refuses such an image too). Compares the
 * guest-physical ranges the loader fills, p_paddr .. p_paddr + p_memsz; an empty segment occupies
 * nothing. Sorting first keeps this O(n log n) in the 65,535 headers a file may have.
 */
function checkNoOverlap(segments: readonly ElfSegment[]): void {
  const order = segments
    .map((segment, index) => ({ index, start: segment.paddr, end: segment.paddr + segment.memSize }))
    .filter((range) => range.end > range.start)
    .sort((a, b) => a.start - b.start || a.index - b.index);
  // The range reaching furthest so far: the first range starting before its end overlaps it, at
  // the lowest address where any two segments overlap.
  let reach: (typeof order)[number] | undefined;
  for (const range of order) {
    if (reach !== undefined && range.start < reach.end) {
      const [first, second] = [Math.min(reach.index, range.index), Math.max(reach.index, range.index)];
      throw new ElfError(`segments ${first} and ${second} overlap at ${hex(range.start)}`);
    }
    if (reach === undefined || range.end > reach.end) reach = range;
  }
}

function checkIdent(bytes: Uint8Array): void {
  if (bytes.length < ELF_MAGIC.length || ELF_MAGIC.some((b, i) => bytes[i] !== b)) {
    const head = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new ElfError(
      head ? `not an ELF file: it starts with ${head}, expected 7f 45 4c 46` : 'not an ELF file: it is empty',
    );
  }
  const elfClass = bytes[4];
  if (elfClass === ELFCLASS64) {
    throw new ElfError('64-bit ELF (ELFCLASS64): only 32-bit RISC-V executables run here');
  }
  if (elfClass !== undefined && elfClass !== ELFCLASS32) {
    throw new ElfError(`invalid ELF class ${elfClass}, expected 1 (ELFCLASS32)`);
  }
  const encoding = bytes[5];
  if (encoding === ELFDATA2MSB) {
    throw new ElfError('big-endian ELF (ELFDATA2MSB): RISC-V executables are little-endian');
  }
  if (encoding !== undefined && encoding !== ELFDATA2LSB) {
    throw new ElfError(`invalid ELF data encoding ${encoding}, expected 1 (ELFDATA2LSB)`);
  }
  if (bytes.length < EHDR_BYTES) {
    throw new ElfError(
      `truncated ELF: the file is ${bytes.length} bytes, shorter than the ${EHDR_BYTES}-byte ELF header`,
    );
  }
}

/**
 * Symbols are a convenience (HTIF's tohost, test labels), not needed to run, so a damaged or
 * missing section table yields no symbols rather than an error.
 */
function readSymbols(bytes: Uint8Array, view: DataView): Map<string, { value: number; size: number }> {
  const symbols = new Map<string, { value: number; size: number }>();
  const shoff = view.getUint32(32, true);
  const shentsize = view.getUint16(46, true);
  const shnum = view.getUint16(48, true);
  if (shnum === 0 || shentsize !== SHDR_BYTES || shoff + shnum * SHDR_BYTES > bytes.length) return symbols;

  const section = (i: number) => {
    const at = shoff + i * SHDR_BYTES;
    return {
      type: view.getUint32(at + 4, true),
      offset: view.getUint32(at + 16, true),
      size: view.getUint32(at + 20, true),
      link: view.getUint32(at + 24, true),
    };
  };
  const decoder = new TextDecoder();
  const locals = new Set<string>();

  for (let i = 0; i < shnum; i++) {
    const symtab = section(i);
    if (symtab.type !== SHT_SYMTAB || symtab.link >= shnum) continue;
    const strtab = section(symtab.link);
    if (symtab.offset + symtab.size > bytes.length || strtab.offset + strtab.size > bytes.length) continue;
    const names = bytes.subarray(strtab.offset, strtab.offset + strtab.size);

    // Entry 0 is the reserved null symbol.
    for (let at = symtab.offset + SYM_BYTES; at + SYM_BYTES <= symtab.offset + symtab.size; at += SYM_BYTES) {
      const nameOffset = view.getUint32(at, true);
      const info = view.getUint8(at + 12);
      const type = info & 0xf;
      const isLocal = info >> 4 === STB_LOCAL;
      if (type === STT_SECTION || type === STT_FILE) continue;
      if (view.getUint16(at + 14, true) === SHN_UNDEF || nameOffset >= names.length) continue;
      const end = names.indexOf(0, nameOffset);
      const name = decoder.decode(names.subarray(nameOffset, end < 0 ? names.length : end));
      const replaces = !symbols.has(name) || (locals.has(name) && !isLocal);
      if (name === '' || !replaces) continue;
      symbols.set(name, { value: view.getUint32(at + 4, true), size: view.getUint32(at + 8, true) });
      if (isLocal) locals.add(name);
      else locals.delete(name);
    }
  }
  return symbols;
}

/** "62 (x86-64)" for a known value, "999" otherwise. */
function named(value: number, names: Record<number, string>): string {
  const name = names[value];
  return name === undefined ? `${value}` : `${value} (${name})`;
}

function hex(value: number): string {
  return `0x${value.toString(16)}`;
}
