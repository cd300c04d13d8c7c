// The ELF32 loader: what it reads from a RISC-V executable, what it rejects and how it says so.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ElfError, loadElf, parseElf } from '../../../engine/loader/elf.js';
import { buildElf, EHDR, PHDR, set16, set32 } from './elf-builder.js';

const RAM_BASE = 0x8000_0000;

function parseError(bytes: Uint8Array): ElfError {
  try {
    parseElf(bytes);
  } catch (error) {
    if (error instanceof ElfError) return error;
    throw error;
  }
  throw new Error('parseElf accepted the file');
}

describe('parseElf reads', () => {
  it('the entry point and each PT_LOAD segment with addresses at or above 2 GiB kept unsigned', () => {
    const image = parseElf(
      buildElf({
        entry: 0x8000_0004,
        segments: [
          { paddr: 0x8000_0000, data: [1, 2, 3, 4, 5, 6, 7, 8], flags: 5 },
          { paddr: 0x8000_1000, data: [9, 9], memSize: 0x100, flags: 6 },
        ],
      }),
    );
    expect(image.entry).toBe(0x8000_0004);
    expect(image.segments).toEqual([
      { paddr: 0x8000_0000, vaddr: 0x8000_0000, data: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]), memSize: 8, flags: 5 },
      { paddr: 0x8000_1000, vaddr: 0x8000_1000, data: new Uint8Array([9, 9]), memSize: 0x100, flags: 6 },
    ]);
  });

  it('both the physical and the virtual address, which may differ', () => {
    const image = parseElf(buildElf({ segments: [{ paddr: 0x8020_0000, vaddr: 0xc000_0000, data: [1] }] }));
    expect(image.segments[0]).toMatchObject({ paddr: 0x8020_0000, vaddr: 0xc000_0000 });
  });

  it('only PT_LOAD headers, skipping others such as RISCV_ATTRIBUTES', () => {
    const image = parseElf(
      buildElf({
        segments: [
          { paddr: 0, data: [0x41], type: 0x7000_0003 },
          { paddr: 0x8000_0000, data: [1, 2] },
        ],
      }),
    );
    expect(image.segments.map((s) => s.paddr)).toEqual([0x8000_0000]);
  });

  it('segment data as a copy, so the file buffer can be dropped or reused', () => {
    const bytes = buildElf();
    const image = parseElf(bytes);
    bytes.fill(0xee);
    expect([...image.segments[0].data]).toEqual([0x13, 0, 0, 0, 0x13, 0, 0, 0]);
  });

  it('defined symbols from .symtab, a global winning over a same-named local', () => {
    const image = parseElf(
      buildElf({
        symbols: [
          { name: 'counter', value: 0x8000_1000, size: 4, bind: 'local', type: 'object' },
          { name: 'counter', value: 0x8000_2000, size: 8, bind: 'global', type: 'object' },
          { name: 'tohost', value: 0x8000_3000, size: 8, bind: 'global', type: 'object' },
          { name: '_start', value: 0x8000_0000, type: 'func' },
          { name: '.text', value: 0x8000_0000, bind: 'local', type: 'section' },
          { name: 'start.S', value: 0, bind: 'local', type: 'file' },
          { name: 'printf', value: 0, undefinedSymbol: true },
        ],
      }),
    );
    expect(image.symbols).toEqual(
      new Map([
        ['counter', { value: 0x8000_2000, size: 8 }],
        ['tohost', { value: 0x8000_3000, size: 8 }],
        ['_start', { value: 0x8000_0000, size: 0 }],
      ]),
    );
  });

  it('no symbols from a stripped file', () => {
    expect(parseElf(buildElf()).symbols.size).toBe(0);
  });

  it('no symbols, and no error, when the section header table is out of bounds', () => {
    const bytes = buildElf({ symbols: [{ name: 'x', value: 1 }] });
    set32(bytes, EHDR.shoff, bytes.length);
    expect(parseElf(bytes).symbols.size).toBe(0);
  });
});

describe('parseElf rejects, with one line saying what is wrong,', () => {
  it('a file that is not ELF (bad magic)', () => {
    const bytes = buildElf();
    bytes[3] = 0;
    expect(parseError(bytes).message).toBe('not an ELF file: it starts with 7f 45 4c 00, expected 7f 45 4c 46');
  });

  it('an empty file', () => {
    expect(parseError(new Uint8Array(0)).message).toBe('not an ELF file: it is empty');
  });

  it('a 64-bit ELF', () => {
    const bytes = buildElf();
    bytes[EHDR.class] = 2;
    expect(parseError(bytes).message).toBe('64-bit ELF (ELFCLASS64): only 32-bit RISC-V executables run here');
  });

  it('a big-endian ELF', () => {
    const bytes = buildElf();
    bytes[EHDR.data] = 2;
    expect(parseError(bytes).message).toBe('big-endian ELF (ELFDATA2MSB): RISC-V executables are little-endian');
  });

  it('an ELF for another machine', () => {
    expect(parseError(set16(buildElf(), EHDR.machine, 62)).message).toBe(
      'not a RISC-V ELF: e_machine is 62 (x86-64), expected 243 (EM_RISCV)',
    );
    expect(parseError(set16(buildElf(), EHDR.machine, 999)).message).toBe(
      'not a RISC-V ELF: e_machine is 999, expected 243 (EM_RISCV)',
    );
  });

  it('an ELF that is not an executable', () => {
    expect(parseError(set16(buildElf(), EHDR.type, 3)).message).toBe(
      'not an executable ELF: e_type is 3 (ET_DYN, a shared object or PIE), expected 2 (ET_EXEC)',
    );
    expect(parseError(set16(buildElf(), EHDR.type, 1)).message).toBe(
      'not an executable ELF: e_type is 1 (ET_REL, a relocatable object), expected 2 (ET_EXEC)',
    );
  });

  it('a file cut inside the ELF header', () => {
    expect(parseError(buildElf().slice(0, 40)).message).toBe(
      'truncated ELF: the file is 40 bytes, shorter than the 52-byte ELF header',
    );
  });

  it('a file cut inside a segment\'s bytes', () => {
    // The default image: header 0x34, one program header, 8 segment bytes at 0x54..0x5b.
    expect(parseError(buildElf().slice(0, 0x58)).message).toBe(
      'truncated ELF: segment 0 at 0x80000000 needs 0x8 file bytes from offset 0x54, but the file is 0x58 bytes',
    );
  });

  it('a segment whose file offset lies far past the end', () => {
    const bytes = set32(buildElf(), PHDR.base + PHDR.offset, 0xffff_fff0);
    expect(parseError(bytes).message).toBe(
      'truncated ELF: segment 0 at 0x80000000 needs 0x8 file bytes from offset 0xfffffff0, but the file is 0x5c bytes',
    );
  });

  it('a segment with more file bytes than memory bytes', () => {
    const bytes = set32(buildElf(), PHDR.base + PHDR.memsz, 4);
    expect(parseError(bytes).message).toBe('segment 0 at 0x80000000 has p_filesz 0x8 larger than p_memsz 0x4');
  });

  it('program headers that run past the end of the file', () => {
    expect(parseError(set16(buildElf(), EHDR.phnum, 100)).message).toBe(
      'program headers out of bounds: the table at offset 0x34 (100 x 32 bytes) ends past the end of the file (0x5c bytes)',
    );
    expect(parseError(set32(buildElf(), EHDR.phoff, 0xffff_ff00)).message).toBe(
      'program headers out of bounds: the table at offset 0xffffff00 (1 x 32 bytes) ends past the end of the file (0x5c bytes)',
    );
  });

  it('program header entries of the wrong size', () => {
    expect(parseError(set16(buildElf(), EHDR.phentsize, 56)).message).toBe(
      'program header entries are 56 bytes, expected 32',
    );
  });

  it('a file with no program headers', () => {
    expect(parseError(set16(buildElf(), EHDR.phnum, 0)).message).toBe(
      'no loadable segments: the file has no program headers',
    );
  });

  it('a file whose program headers include no PT_LOAD', () => {
    expect(parseError(set32(buildElf(), PHDR.base + PHDR.type, 4)).message).toBe(
      'no loadable segments: no PT_LOAD program header',
    );
  });

  it('segments that overlap in guest-physical memory, naming the first overlap', () => {
    const overlapping = buildElf({
      segments: [
        { paddr: 0x8000_0000, data: [1, 2, 3, 4] },
        { paddr: 0x8000_0800, data: [5], memSize: 0x1000, flags: 6 },
        { paddr: 0x8000_1000, data: [6, 7] },
      ],
    });
    expect(parseError(overlapping).message).toBe('segments 1 and 2 overlap at 0x80001000');
  });

  it('overlapping segments listed out of address order, or only by their zero-filled tails', () => {
    const reversed = buildElf({
      segments: [
        { paddr: 0x8000_2000, data: [1] },
        { paddr: 0x8000_0000, data: [2, 3], memSize: 0x2001 },
      ],
    });
    expect(parseError(reversed).message).toBe('segments 0 and 1 overlap at 0x80002000');
  });

  it('segments that share a physical address even when their virtual addresses differ', () => {
    const aliased = buildElf({
      segments: [
        { paddr: 0x8000_0000, vaddr: 0x1000, data: [1, 2, 3, 4] },
        { paddr: 0x8000_0000, vaddr: 0x2000, data: [5, 6, 7, 8] },
      ],
    });
    expect(parseError(aliased).message).toBe('segments 0 and 1 overlap at 0x80000000');
  });

  it('every truncation of a valid file, without any other kind of exception', () => {
    const bytes = buildElf({ symbols: [{ name: 'tohost', value: 0x8000_0000, size: 8 }] });
    for (let length = 0; length < bytes.length; length++) {
      const cut = bytes.slice(0, length);
      try {
        parseElf(cut);
      } catch (error) {
        expect(error).toBeInstanceOf(ElfError);
        expect((error as Error).message).not.toContain('\n');
      }
    }
  });
});

describe('parseElf accepts segments that do not overlap', () => {
  it('segments that touch, and ones that share only a virtual address (p_paddr is where they load)', () => {
    const image = parseElf(
      buildElf({
        segments: [
          { paddr: 0x8000_0000, vaddr: 0x1000, data: [1, 2, 3, 4], memSize: 0x1000 },
          { paddr: 0x8000_1000, vaddr: 0x1000, data: [5, 6] },
        ],
      }),
    );
    expect(image.segments.map((s) => s.paddr)).toEqual([0x8000_0000, 0x8000_1000]);
  });

  it('a zero-size segment inside another (it occupies no memory)', () => {
    const image = parseElf(
      buildElf({ segments: [{ paddr: 0x8000_0000, data: [1, 2, 3, 4] }, { paddr: 0x8000_0002, data: [], memSize: 0 }] }),
    );
    expect(image.segments).toHaveLength(2);
  });

  it('a program header that is not PT_LOAD, wherever it points', () => {
    const image = parseElf(
      buildElf({ segments: [{ paddr: 0x8000_0000, data: [1, 2, 3, 4] }, { paddr: 0x8000_0000, data: [0x41], type: 0x7000_0003 }] }),
    );
    expect(image.segments).toHaveLength(1);
  });
});

describe('loadElf', () => {
  it('copies each segment to its physical address and zero-fills the bss tail', () => {
    const image = parseElf(
      buildElf({
        segments: [
          { paddr: RAM_BASE, vaddr: 0x1000, data: [1, 2, 3, 4] },
          { paddr: RAM_BASE + 0x100, data: [5, 6], memSize: 6 },
        ],
      }),
    );
    const ram = new Uint8Array(0x200).fill(0xaa);
    loadElf(image, ram, RAM_BASE);
    expect([...ram.subarray(0, 5)]).toEqual([1, 2, 3, 4, 0xaa]);
    expect([...ram.subarray(0x100, 0x107)]).toEqual([5, 6, 0, 0, 0, 0, 0xaa]);
  });

  it('loads a segment that ends exactly at the end of RAM', () => {
    const image = parseElf(buildElf({ segments: [{ paddr: RAM_BASE + 0xfc, data: [1, 2, 3, 4] }] }));
    const ram = new Uint8Array(0x100);
    loadElf(image, ram, RAM_BASE);
    expect([...ram.subarray(0xfc)]).toEqual([1, 2, 3, 4]);
  });

  it('rejects a segment outside RAM, naming it, and writes nothing', () => {
    const image = parseElf(
      buildElf({
        segments: [
          { paddr: RAM_BASE, data: [1] },
          { paddr: RAM_BASE + 0x10, data: [2] },
          { paddr: 0x9000_0000, data: [3], memSize: 0x10 },
        ],
      }),
    );
    const ram = new Uint8Array(0x1000_0000);
    expect(() => loadElf(image, ram, RAM_BASE)).toThrow(
      new ElfError('segment 2 at 0x90000000 (size 0x10) lies outside RAM 0x80000000..0x8fffffff'),
    );
    expect([ram[0], ram[0x10]]).toEqual([0, 0]);
  });

  it('ignores an empty segment, wherever it claims to be', () => {
    const image = parseElf(
      buildElf({ segments: [{ paddr: RAM_BASE, data: [7] }, { paddr: 0x1000, data: [], memSize: 0 }] }),
    );
    const ram = new Uint8Array(0x10);
    loadElf(image, ram, RAM_BASE);
    expect(ram[0]).toBe(7);
  });

  it('rejects a segment below RAM and one that runs over its end', () => {
    const ram = new Uint8Array(0x100);
    const below = parseElf(buildElf({ segments: [{ paddr: 0x7fff_fffc, data: [1, 2, 3, 4, 5, 6, 7, 8] }] }));
    expect(() => loadElf(below, ram, RAM_BASE)).toThrow(
      new ElfError('segment 0 at 0x7ffffffc (size 0x8) lies outside RAM 0x80000000..0x800000ff'),
    );
    const over = parseElf(buildElf({ segments: [{ paddr: RAM_BASE + 0xfc, data: [1], memSize: 8 }] }));
    expect(() => loadElf(over, ram, RAM_BASE)).toThrow(
      new ElfError('segment 0 at 0x800000fc (size 0x8) lies outside RAM 0x80000000..0x800000ff'),
    );
  });
});

const crossGcc = 'riscv64-unknown-elf-gcc';
const hasCrossGcc = (() => {
  try {
    execFileSync(crossGcc, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!hasCrossGcc)(`an executable from the real cross compiler (${crossGcc}; skipped when absent)`, () => {
  const source = `
    .section .text
    .globl _start
    _start:
      la t0, counter
      lw t1, 0(t0)
      j _start
    .section .data
    .align 3
    .globl tohost
    .type tohost, @object
    .size tohost, 8
    tohost: .dword 0
    .section .bss
    counter: .space 64
  `;
  const script = `
    ENTRY(_start)
    PHDRS { text PT_LOAD; data PT_LOAD; }
    SECTIONS {
      . = 0x80000000;
      .text : { *(.text) } :text
      . = ALIGN(4096);
      .data : { *(.data) } :data
      .bss : { *(.bss) } :data
    }
  `;

  function compile(withScript: boolean): { elf: Uint8Array; text: Uint8Array } {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-elf-'));
    try {
      writeFileSync(join(dir, 'guest.S'), source);
      writeFileSync(join(dir, 'guest.ld'), script);
      const flags = ['-march=rv32imac_zicsr_zifencei', '-mabi=ilp32', '-nostdlib', '-nostartfiles'];
      const layout = withScript ? ['-T', join(dir, 'guest.ld')] : ['-Wl,-Ttext=0x80000000'];
      execFileSync(crossGcc, [...flags, ...layout, '-o', join(dir, 'guest.elf'), join(dir, 'guest.S')]);
      execFileSync('riscv64-unknown-elf-objcopy', ['-O', 'binary', '-j', '.text', join(dir, 'guest.elf'), join(dir, 'text.bin')]);
      return { elf: readFileSync(join(dir, 'guest.elf')), text: readFileSync(join(dir, 'text.bin')) };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('parses and loads: entry at _start, tohost found, .text in place, .bss zeroed', () => {
    const { elf, text } = compile(true);
    const image = parseElf(elf);
    expect(image.entry).toBe(0x8000_0000);
    expect(image.symbols.get('_start')).toEqual({ value: 0x8000_0000, size: 0 });
    expect(image.symbols.get('tohost')).toEqual({ value: 0x8000_1000, size: 8 });
    expect(image.symbols.has('counter')).toBe(true);
    const data = image.segments.find((s) => s.paddr === 0x8000_1000)!;
    expect(data.memSize).toBeGreaterThan(data.data.length);

    const ram = new Uint8Array(0x10_0000).fill(0xaa);
    loadElf(image, ram, RAM_BASE);
    expect(ram.subarray(0, text.length)).toEqual(new Uint8Array(text));
    expect([...ram.subarray(0x1000, 0x1000 + data.memSize)].every((b) => b === 0)).toBe(true);
  });

  it('linked without a script, its first segment starts below RAM (it carries the ELF header)', () => {
    const image = parseElf(compile(false).elf);
    expect(() => loadElf(image, new Uint8Array(0x1000_0000), RAM_BASE)).toThrow(
      /^segment 0 at 0x7ffff000 \(size 0x[0-9a-f]+\) lies outside RAM 0x80000000\.\.0x8fffffff$/,
    );
  });
});
