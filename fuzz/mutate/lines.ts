// Mutations of one-message-per-line protocols (the control socket, the monitor's WebSocket): start
// from a valid message, mutate it as JSON or as bytes, or send something else entirely.

import type { Rng } from '../prng.js';
import { mutateBytes } from './bytes.js';
import { mutateTree, toTree, writeTree } from './json.js';

const encoder = new TextEncoder();

/** Not a message at all: empty, junk, invalid UTF-8, JSON of the wrong shape, nesting, oversize. */
function oddity(rng: Rng): Uint8Array {
  return rng.pick<() => Uint8Array>([
    () => new Uint8Array(0),
    () => rng.bytes(1 + rng.size(8)),
    () => new Uint8Array([0xff, 0xfe, 0x00, 0xc3, 0x28, 0xed, 0xa0, 0x80]),
    () => encoder.encode(rng.pick(['{}', '[]', 'null', '0', '"x"', 'true', '{"id":1}', '{"command":"wipe"}', '{"vm":""}', '[{"command":"wipe","vm":"neighbour"}]'])),
    () => encoder.encode('['.repeat(rng.pick([1000, 100_000])) + ']'.repeat(10)),
    () => encoder.encode(`{"x":"${'a'.repeat(rng.pick([8191, 8192, 8193, 65_536, 70_000]))}"}`),
    () => encoder.encode('{"command":"wipe","vm":"neighbour","command":"pause"}'),
    () => encoder.encode('{"__proto__":{"command":"wipe"},"vm":"fuzz"}'),
  ])();
}

export function mutateMessage(rng: Rng, seeds: readonly string[]): Uint8Array {
  const seed = rng.pick(seeds);
  return rng.weighted<() => Uint8Array>([
    [5, () => encoder.encode(writeTree(mutateTree(rng, toTree(JSON.parse(seed)))))],
    [2, () => mutateBytes(rng, encoder.encode(seed), encoder.encode(rng.pick(seeds)))],
    [1, () => encoder.encode(seed)],
    [1, () => oddity(rng)],
  ])();
}
