// ELF32-aware mutations: set the fields of the ELF header, the program headers and the section
// headers to edge values (huge counts and offsets, addresses at and across RAM's edges), splice
// headers between files, and cut files at header boundaries.

import type { Rng } from '../prng.js';
import { concat, INTERESTING_32, readU32, writeU32 } from './bytes.js';

const EHDR = 52;
const PHDR = 32;
const SHDR = 40;
const RAM_BASE = 0x8000_0000;

/** [offset, bytes] of each ELF header field worth changing. */
const EHDR_FIELDS: readonly (readonly [number, 1 | 2 | 4])[] = [
  [4, 1], [5, 1], [6, 1], [16, 2], [18, 2], [20, 4], [24, 4], [28, 4], [32, 4], [36, 4], [40, 2], [42, 2], [44, 2], [46, 2], [48, 2], [50, 2],
];
/** Offsets within a program header: type, offset, vaddr, paddr, filesz, memsz, flags, align. */
const PHDR_FIELDS = [0, 4, 8, 12, 16, 20, 24, 28];
/** Offsets within a section header: type, offset, size, link, entsize. */
const SHDR_FIELDS = [4, 16, 20, 24, 36];

type Mutation = (rng: Rng, data: Uint8Array, donor: Uint8Array) => Uint8Array;

const MUTATIONS: readonly (readonly [number, Mutation])[] = [
  [4, ehdrField],
  [8, phdrField],
  [2, shdrField],
  [2, phdrCount],
  [1, spliceProgramHeader],
  [1, truncateAtHeader],
  [1, spliceEhdr],
];

export function mutateElf(rng: Rng, input: Uint8Array, donor: Uint8Array, count = 1 + rng.size(2)): Uint8Array {
  let data = input.length < EHDR ? concat(input, new Uint8Array(EHDR - input.length)) : input.slice();
  for (let i = 0; i < count; i++) data = rng.weighted(MUTATIONS)(rng, data, donor);
  return data;
}

function u16(data: Uint8Array, at: number): number {
  return (data[at] ?? 0) | ((data[at + 1] ?? 0) << 8);
}

function setField(data: Uint8Array, at: number, size: 1 | 2 | 4, value: number): void {
  for (let k = 0; k < size && at + k < data.length; k++) data[at + k] = (value >>> (8 * k)) & 0xff;
}

/** An edge value for a field whose current value is `current`, in a file of `length` bytes. */
function edgeValue(rng: Rng, current: number, length: number, size: 1 | 2 | 4): number {
  const limit = size === 4 ? 2 ** 32 : 2 ** (8 * size);
  const candidates = [
    () => rng.pick(INTERESTING_32),
    () => current + rng.between(-16, 16),
    () => current ^ (1 << rng.below(8 * size)),
    () => length + rng.between(-64, 64),
    () => RAM_BASE + rng.pick([0, 4, 0x1000, 0x10_0000, 0x20_0000, 0x40_0000, 0x7fff_f000, 0x7fff_fffc]) + rng.between(-8, 8),
    () => RAM_BASE - rng.between(1, 0x1000),
    () => 2 ** 32 - rng.between(1, 0x2000),
    () => limit - 1,
    () => rng.u32(),
  ];
  const value = rng.pick(candidates)();
  return ((value % limit) + limit) % limit;
}

function ehdrField(rng: Rng, data: Uint8Array): Uint8Array {
  const [at, size] = rng.pick(EHDR_FIELDS);
  const current = size === 4 ? readU32(data, at) : size === 2 ? u16(data, at) : data[at];
  setField(data, at, size, edgeValue(rng, current, data.length, size));
  return data;
}

function phdrField(rng: Rng, data: Uint8Array): Uint8Array {
  const phoff = readU32(data, 28);
  const phnum = Math.max(1, Math.min(u16(data, 44), 16));
  const at = phoff + rng.below(phnum) * PHDR + rng.pick(PHDR_FIELDS);
  if (at + 4 > data.length) return data;
  const current = readU32(data, at);
  // p_type mostly stays PT_LOAD or becomes one, so the interesting checks behind it run.
  const value = at % PHDR === phoff % PHDR && rng.chance(0.5) ? 1 : edgeValue(rng, current, data.length, 4);
  writeU32(data, at, value);
  return data;
}

function shdrField(rng: Rng, data: Uint8Array): Uint8Array {
  const shoff = readU32(data, 32);
  const shnum = Math.max(1, Math.min(u16(data, 48), 64));
  const at = shoff + rng.below(shnum) * SHDR + rng.pick(SHDR_FIELDS);
  if (at + 4 > data.length) return data;
  writeU32(data, at, edgeValue(rng, readU32(data, at), data.length, 4));
  return data;
}

function phdrCount(rng: Rng, data: Uint8Array): Uint8Array {
  const field = rng.pick([44, 48]);
  setField(data, field, 2, rng.pick([0, 1, 2, 0xff, 0x100, 0x7fff, 0xffff, u16(data, field) + 1, u16(data, field) * 2]));
  return data;
}

/** Copies a program header of the donor over one of this file's (addresses and sizes that belong elsewhere). */
function spliceProgramHeader(rng: Rng, data: Uint8Array, donor: Uint8Array): Uint8Array {
  const from = readU32(donor, 28) + rng.below(Math.max(1, u16(donor, 44))) * PHDR;
  const to = readU32(data, 28) + rng.below(Math.max(1, u16(data, 44))) * PHDR;
  if (from + PHDR > donor.length || to + PHDR > data.length) return data;
  data.set(donor.subarray(from, from + PHDR), to);
  return data;
}

function truncateAtHeader(rng: Rng, data: Uint8Array): Uint8Array {
  const phoff = readU32(data, 28);
  const cuts = [EHDR - 1, EHDR, phoff + rng.below(PHDR * 3), readU32(data, 32) + rng.below(SHDR * 4), rng.below(data.length + 1)];
  return data.slice(0, Math.min(data.length, rng.pick(cuts)));
}

function spliceEhdr(rng: Rng, data: Uint8Array, donor: Uint8Array): Uint8Array {
  const at = rng.below(EHDR);
  if (at >= data.length) return data;
  const length = 1 + rng.below(EHDR - at);
  data.set(donor.subarray(at, Math.min(donor.length, at + length)).subarray(0, data.length - at), at);
  return data;
}
