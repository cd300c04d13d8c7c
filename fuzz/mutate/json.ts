// JSON-aware mutations: the text is parsed into a tree that can also hold what JSON.parse would
// lose (duplicate keys, number spellings, raw fragments), mutated node by node, and written back.

import type { Rng } from '../prng.js';

/** A JSON value; objects keep their entries in order (duplicates allowed), `raw` is written as is. */
export type JsonNode = null | boolean | number | string | JsonNode[] | { entries: [string, JsonNode][] } | { raw: string };

export function toTree(value: unknown): JsonNode {
  if (value === null || typeof value === 'boolean' || typeof value === 'number' || typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(toTree);
  return { entries: Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, toTree(v)]) };
}

/** Written iteratively, so a tree nested a million levels deep does not exhaust the stack. */
export function writeTree(root: JsonNode): string {
  const out: string[] = [];
  const stack: (JsonNode | { close: string } | { key: string })[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node !== null && typeof node === 'object' && 'close' in node) { out.push(node.close); continue; }
    if (node !== null && typeof node === 'object' && 'key' in node) { out.push(node.key); continue; }
    if (node === null || typeof node === 'boolean' || typeof node === 'number') { out.push(String(node)); continue; }
    if (typeof node === 'string') { out.push(JSON.stringify(node)); continue; }
    if ('raw' in node) { out.push(node.raw); continue; }
    if (Array.isArray(node)) {
      out.push('[');
      stack.push({ close: ']' });
      for (let i = node.length - 1; i >= 0; i--) {
        stack.push(node[i]);
        if (i > 0) stack.push({ key: ',' });
      }
      continue;
    }
    out.push('{');
    stack.push({ close: '}' });
    for (let i = node.entries.length - 1; i >= 0; i--) {
      stack.push(node.entries[i][1]);
      stack.push({ key: `${JSON.stringify(node.entries[i][0])}:` });
      if (i > 0) stack.push({ key: ',' });
    }
  }
  return out.join('');
}

type ObjectNode = { entries: [string, JsonNode][] };

function isObjectNode(node: JsonNode): node is ObjectNode {
  return node !== null && typeof node === 'object' && !Array.isArray(node) && 'entries' in node;
}

/** A place in the tree: read, replace or remove the child there. */
interface Slot {
  get(): JsonNode;
  set(value: JsonNode): void;
  remove(): void;
}

function slots(root: JsonNode, limit = 5000): Slot[] {
  const found: Slot[] = [];
  const visit: JsonNode[] = [root];
  while (visit.length > 0 && found.length < limit) {
    const node = visit.pop()!;
    if (Array.isArray(node)) {
      node.forEach((child, i) => {
        found.push({ get: () => node[i], set: (v) => { node[i] = v; }, remove: () => { node.splice(i, 1); } });
        visit.push(child);
      });
    } else if (isObjectNode(node)) {
      node.entries.forEach((entry) => {
        found.push({ get: () => entry[1], set: (v) => { entry[1] = v; }, remove: () => { const i = node.entries.indexOf(entry); if (i >= 0) node.entries.splice(i, 1); } });
        visit.push(entry[1]);
      });
    }
  }
  return found;
}

/** Numbers at and around the scenario format's limits and the arithmetic's. */
const NUMBERS = [
  '0', '-0', '1', '-1', '2', '7', '8', '9', '63', '64', '65', '99', '100', '255', '256', '1000', '4095', '4096', '4097', '8191',
  '65536', '1048576', '2147483647', '2147483648', '4294967295', '4294967296', '2147479552', '2147483648', '9007199254740991', '9007199254740992',
  '9007199254740993', '1e21', '1e308', '1e999', '-1e999', '1.5', '0.1', '1e-400', '-4096', '10000000000', '10000000001', '99999999999999999999999',
  '0.0', '1E3', '4096.0', '3e3',
];

const STRINGS = [
  '', ' ', '0', '-1', '1M', '4K', '64M', '1G', '2G', '3G', '4G', '0x1000', '0x0', '0xffffffff', '0x80000000', '0x90000000', '0x7ffff000',
  '4095', '4096', ' 4K ', '1MiB', '1 MB', '1.5M', '0x1000K', '9999999999999G', 'halt', 'restart', 'partitioned', 'fixed-priority',
  'time-partitioned', 'virtual', 'realtime', 'deterministic', 'rw', 'ro', 'rich', 'pin', 'baseband', 'a', 'A', '-', 'a-', 'x'.repeat(32),
  'x'.repeat(33), '../guests/bin/hello.elf', '../guests/bin/pin-v2.elf', '../guests/bin', '../guests/bin/', '..', '/', '/dev/null',
  '../scenarios/phone.json', './phone.json', '\u0000', 'a\nb', '\ud800', '\u{1f600}', '__proto__', 'constructor', 'toString',
];

const KEYS = [
  'name', 'guest', 'ram', 'vcpus', 'priority', 'budget', 'period', 'affinity', 'onFault', 'watchdog', 'autostart', 'updatable',
  'physicalBase', 'cores', 'memory', 'timing', 'scheduler', 'vms', 'channels', 'policy', 'windows', 'majorFrame', 'switchCost',
  'preemptionBound', 'quantum', 'frequency', 'mode', 'limit', 'endpoints', 'vm', 'address', 'access', 'irq', 'size', 'ring', 'core',
  'offset', 'duration', '$schema', 'description', '__proto__', 'constructor', 'hasOwnProperty', 'toJSON', 'Name', 'name ', '',
  'id', 'method', 'params', 'command', 'elf', 'path', 'elfPath', 'format', 'kind', 'a\nb', '\r', '\u0000', '\u2028', 'k'.repeat(5000),
];

type Mutation = (rng: Rng, root: JsonNode, all: Slot[]) => JsonNode;

const MUTATIONS: readonly (readonly [number, Mutation])[] = [
  [5, (rng, root, all) => edit(rng, root, all, (s) => s.remove())],
  [5, (rng, root, all) => edit(rng, root, all, (s) => s.set(randomScalar(rng)))],
  [6, (rng, root, all) => edit(rng, root, all, (s) => s.set({ raw: rng.pick(NUMBERS) }))],
  [4, (rng, root, all) => edit(rng, root, all, (s) => s.set(rng.pick(STRINGS)))],
  [3, (rng, root, all) => edit(rng, root, all, (s) => s.set(retype(rng, s.get())))],
  [3, duplicateEntry],
  [3, addField],
  [2, copySubtree],
  [1, hugeStringAt],
  [1, hugeArrayAt],
  [1, deepNestAt],
  [1, (rng) => randomScalar(rng)],
];

function hugeStringAt(rng: Rng, root: JsonNode, all: Slot[]): JsonNode {
  return edit(rng, root, all, (s) => s.set(hugeString(rng)));
}

function hugeArrayAt(rng: Rng, root: JsonNode, all: Slot[]): JsonNode {
  return edit(rng, root, all, (s) => s.set(hugeArray(rng, s.get())));
}

function deepNestAt(rng: Rng, root: JsonNode, all: Slot[]): JsonNode {
  return all.length === 0 || rng.chance(0.3) ? deepNest(rng, root) : edit(rng, root, all, (s) => s.set(deepNest(rng, s.get())));
}

/** Mutations that make a tree large: one per input, or copies of copies would outgrow any string. */
const GROWING: ReadonlySet<Mutation> = new Set([copySubtree, hugeStringAt, hugeArrayAt, deepNestAt]);

/** 1 to 4 mutations of the tree; returns the (possibly new) root. */
export function mutateTree(rng: Rng, root: JsonNode, count = 1 + rng.size(2)): JsonNode {
  let grown = false;
  for (let i = 0; i < count; i++) {
    const mutation = rng.weighted(MUTATIONS);
    if (GROWING.has(mutation)) {
      if (grown) continue;
      grown = true;
    }
    root = mutation(rng, root, slots(root));
  }
  return root;
}

function edit(rng: Rng, root: JsonNode, all: Slot[], change: (slot: Slot) => void): JsonNode {
  if (all.length > 0) change(rng.pick(all));
  return root;
}

function randomScalar(rng: Rng): JsonNode {
  return rng.pick<() => JsonNode>([
    () => null, () => true, () => false, () => rng.u32() - 2 ** 31, () => rng.pick(STRINGS), () => [], () => ({ entries: [] }),
    () => ({ raw: rng.pick(NUMBERS) }),
  ])();
}

function retype(rng: Rng, node: JsonNode): JsonNode {
  if (typeof node === 'number') return rng.pick<JsonNode>([String(node), [node], { entries: [['value', node]] }, node > 0, null]);
  if (typeof node === 'string') return rng.pick<JsonNode>([Number(node) || 0, [node], { entries: [[node, node]] }, node.length > 0]);
  if (Array.isArray(node)) return rng.pick<JsonNode>([{ entries: node.map((v, i) => [String(i), v] as [string, JsonNode]) }, node.length, node[0] ?? null]);
  if (isObjectNode(node)) return rng.pick<JsonNode>([node.entries.map(([, v]) => v), node.entries[0]?.[1] ?? null, 'object']);
  return randomScalar(rng);
}

/** The same key twice in one object: JSON.parse keeps the last, a careless reader may keep the first. */
function duplicateEntry(rng: Rng, root: JsonNode, all: Slot[]): JsonNode {
  const objects = [root, ...all.map((s) => s.get())].filter((n): n is ObjectNode => isObjectNode(n) && n.entries.length > 0);
  if (objects.length === 0) return root;
  const target = rng.pick(objects);
  const [key] = rng.pick(target.entries);
  target.entries.splice(rng.below(target.entries.length + 1), 0, [key, randomScalar(rng)]);
  return root;
}

function addField(rng: Rng, root: JsonNode, all: Slot[]): JsonNode {
  const objects = [root, ...all.map((s) => s.get())].filter(isObjectNode);
  if (objects.length === 0) return root;
  rng.pick(objects).entries.push([rng.pick(KEYS), rng.chance(0.5) ? randomScalar(rng) : structuredClone(rng.pick(all.length > 0 ? all : [{ get: () => null } as Slot]).get())]);
  return root;
}

function copySubtree(rng: Rng, root: JsonNode, all: Slot[]): JsonNode {
  if (all.length < 2) return root;
  const from = rng.pick(all).get();
  rng.pick(all).set(structuredClone(from));
  return root;
}

function hugeString(rng: Rng): string {
  const length = rng.chance(0.9) ? rng.pick([256, 4096]) : rng.pick([65536, 1 << 20]);
  return rng.pick(['a', '0', '\u00e9', '\\', '"', '\n', '\ud83d\ude00']).repeat(length);
}

function hugeArray(rng: Rng, node: JsonNode): JsonNode {
  const item = Array.isArray(node) && node.length > 0 ? node[0] : node;
  const length = rng.chance(0.9) ? rng.pick([9, 65, 100, 1025]) : rng.pick([10_000, 50_000]);
  return Array.from({ length }, () => structuredClone(item));
}

function deepNest(rng: Rng, node: JsonNode): JsonNode {
  const depth = rng.chance(0.9) ? rng.pick([100, 511, 512, 513, 1000]) : rng.pick([10_000, 100_000]);
  const open = rng.chance(0.5) ? '['.repeat(depth) : '{"a":'.repeat(depth);
  const close = open.startsWith('[') ? ']'.repeat(depth) : '}'.repeat(depth);
  return { raw: `${open}${writeTree(node)}${close}` };
}
