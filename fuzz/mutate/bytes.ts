// Format-blind byte mutations (the AFL family): bit flips, interesting values, inserts, deletes,
// duplicated or spliced ranges, truncation. Every input format's target applies some of these.

import type { Rng } from '../prng.js';

/** Values at the edges of signed and unsigned ranges, where length and offset checks go wrong. */
const INTERESTING_8 = [0x00, 0x01, 0x7f, 0x80, 0xff, 0x10, 0x20, 0x40];
export const INTERESTING_32 = [
  0, 1, 2, 4, 0x7f, 0x80, 0xff, 0x100, 0xfff, 0x1000, 0xffff, 0x10000, 0x7fff_ffff, 0x8000_0000,
  0x8000_0001, 0xffff_ffff, 0xffff_fffe, 0xffff_f000, 0x7fff_f000, 0x8010_0000, 0x8fff_ffff, 0x4000_0000,
];

type Mutation = (rng: Rng, data: Uint8Array, donor: Uint8Array) => Uint8Array;

const MUTATIONS: readonly (readonly [number, Mutation])[] = [
  [6, flipBit],
  [4, setInterestingByte],
  [4, setInterestingWord],
  [3, addToWord],
  [3, randomBytes],
  [2, insertBytes],
  [2, deleteRange],
  [2, duplicateRange],
  [2, spliceFromDonor],
  [1, truncate],
  [1, appendJunk],
];

/** Applies `count` random mutations; `donor` is another seed input to splice from. */
export function mutateBytes(rng: Rng, input: Uint8Array, donor: Uint8Array, count = 1 + rng.size(3)): Uint8Array {
  let data = input;
  for (let i = 0; i < count; i++) data = rng.weighted(MUTATIONS)(rng, data, donor);
  return data;
}

function offsetIn(rng: Rng, data: Uint8Array): number {
  return data.length === 0 ? 0 : rng.below(data.length);
}

function copy(data: Uint8Array): Uint8Array {
  return data.slice();
}

function flipBit(rng: Rng, data: Uint8Array): Uint8Array {
  if (data.length === 0) return data;
  const out = copy(data);
  out[offsetIn(rng, out)] ^= 1 << rng.below(8);
  return out;
}

function setInterestingByte(rng: Rng, data: Uint8Array): Uint8Array {
  if (data.length === 0) return data;
  const out = copy(data);
  out[offsetIn(rng, out)] = rng.pick(INTERESTING_8);
  return out;
}

export function writeU32(data: Uint8Array, at: number, value: number): void {
  for (let k = 0; k < 4 && at + k < data.length; k++) data[at + k] = (value >>> (8 * k)) & 0xff;
}

export function readU32(data: Uint8Array, at: number): number {
  let value = 0;
  for (let k = 3; k >= 0; k--) value = (value * 256) + (at + k < data.length ? data[at + k] : 0);
  return value >>> 0;
}

function setInterestingWord(rng: Rng, data: Uint8Array): Uint8Array {
  if (data.length === 0) return data;
  const out = copy(data);
  const at = rng.chance(0.5) ? offsetIn(rng, out) & ~3 : offsetIn(rng, out);
  writeU32(out, at, rng.chance(0.8) ? rng.pick(INTERESTING_32) : rng.u32());
  return out;
}

function addToWord(rng: Rng, data: Uint8Array): Uint8Array {
  if (data.length === 0) return data;
  const out = copy(data);
  const at = offsetIn(rng, out) & ~3;
  writeU32(out, at, readU32(out, at) + rng.between(-64, 64));
  return out;
}

function randomBytes(rng: Rng, data: Uint8Array): Uint8Array {
  if (data.length === 0) return rng.bytes(rng.size(6));
  const out = copy(data);
  const at = offsetIn(rng, out);
  out.set(rng.bytes(Math.min(out.length - at, 1 + rng.size(5))), at);
  return out;
}

function insertBytes(rng: Rng, data: Uint8Array): Uint8Array {
  const at = rng.below(data.length + 1);
  const piece = rng.chance(0.5) ? rng.bytes(1 + rng.size(6)) : new Uint8Array(1 + rng.size(6)).fill(rng.pick(INTERESTING_8));
  return concat(data.subarray(0, at), piece, data.subarray(at));
}

function deleteRange(rng: Rng, data: Uint8Array): Uint8Array {
  if (data.length === 0) return data;
  const at = offsetIn(rng, data);
  const length = Math.min(data.length - at, 1 + rng.size(8));
  return concat(data.subarray(0, at), data.subarray(at + length));
}

function duplicateRange(rng: Rng, data: Uint8Array): Uint8Array {
  if (data.length === 0) return data;
  const from = offsetIn(rng, data);
  const piece = data.subarray(from, from + 1 + rng.size(8));
  const at = rng.below(data.length + 1);
  return concat(data.subarray(0, at), piece, data.subarray(at));
}

function spliceFromDonor(rng: Rng, data: Uint8Array, donor: Uint8Array): Uint8Array {
  if (donor.length === 0 || data.length === 0) return data;
  const from = offsetIn(rng, donor);
  const piece = donor.subarray(from, from + 1 + rng.size(9));
  const out = copy(data);
  const at = offsetIn(rng, out);
  out.set(piece.subarray(0, out.length - at), at);
  return out;
}

function truncate(rng: Rng, data: Uint8Array): Uint8Array {
  return data.slice(0, rng.below(data.length + 1));
}

function appendJunk(rng: Rng, data: Uint8Array): Uint8Array {
  return concat(data, rng.bytes(1 + rng.size(10)));
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
