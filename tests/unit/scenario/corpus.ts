// A corpus of scenario documents for checking the schema against the validator: every case of the
// validator's tests, the repository's scenario files, and systematic variants of both.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SCENARIO_LIMITS } from '../../../engine/scenario/scenario.js';
import { CHANNEL_ACCESS } from '../../../engine/scenario/channels.js';
import { FAULT_POLICIES, SCHEDULER_POLICIES, TIMING_MODES, type ScenarioSource } from '../../../engine/scenario/validate.js';
import { baseScenario, everyField, kernelScenario, SOURCE, timePartitioned, withChannel, type Json } from './fixtures.js';
import { schema } from './schema-check.js';
import { VALIDATOR_CASES } from './validator-cases.js';

export interface CorpusDocument {
  /** Where the document comes from and what was changed: "phone.json vms[1].ram := null". */
  name: string;
  json: unknown;
  /** Where the validator reads the guests the document names. */
  source: ScenarioSource;
}

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The repository's guests as the validator would read them from disk (each file read once). */
function diskSource(baseDir: string): ScenarioSource {
  return {
    baseDir,
    resolve: (base, relative) => resolve(base, relative),
    readFile: (path) => {
      let bytes = files.get(path);
      if (bytes === undefined) {
        bytes = new Uint8Array(readFileSync(path));
        files.set(path, bytes);
      }
      return bytes;
    },
  };
}
const files = new Map<string, Uint8Array>();

/** A scenario file of the repository, read and parsed. */
export interface RepoScenario {
  /** Relative to the repository root. */
  file: string;
  json: unknown;
  source: ScenarioSource;
}

/** Every scenario file in the repository: scenarios/*.json and the end-to-end fixtures. */
export const REPO_SCENARIOS: RepoScenario[] = ['scenarios', 'tests/e2e/fixtures'].flatMap((folder) =>
  readdirSync(ROOT + folder)
    .filter((name) => name.endsWith('.json') && name !== 'scenario.schema.json')
    .sort()
    .map((name) => ({
      file: `${folder}/${name}`,
      json: JSON.parse(readFileSync(`${ROOT}${folder}/${name}`, 'utf8')) as unknown,
      source: diskSource(ROOT + folder),
    })),
);

/**
 * The Linux Image a kernel scenario names is a build product (guests/linux/build.sh), not part of the
 * repository: where it is not built, the only problem such a scenario may have is that it is missing.
 */
export const LINUX_IMAGE_BUILT = existsSync(`${ROOT}guests/linux/out/Image`);
export const missingLinuxImage = (line: string): boolean => !LINUX_IMAGE_BUILT && /\.kernel: cannot read \.\.\/guests\/linux\/out\/Image: /.test(line);

/** The repository file that is invalid on purpose (the monitor's tests show its problems). */
export const INVALID_REPO_SCENARIO = 'tests/e2e/fixtures/invalid.json';

// ---- the documents the variants start from -------------------------------------------------

/** Two VMs with a core each, one of them pinned, under the partitioned policy. */
function partitionedScenario(): Json {
  const json = baseScenario();
  json.cores = 4;
  json.scheduler = { policy: 'partitioned', switchCost: 100 };
  json.vms[1].affinity = [3];
  json.vms[1].vcpus = 1;
  return json;
}

/** The small valid documents whose variants take every replacement. */
export const BASES: { name: string; json: () => Json }[] = [
  { name: 'base', json: baseScenario },
  { name: 'every field', json: everyField },
  { name: 'partitioned', json: partitionedScenario },
  { name: 'time-partitioned', json: timePartitioned },
  { name: 'channel', json: withChannel },
  { name: 'kernel', json: kernelScenario },
];

// ---- what a variant puts in a field --------------------------------------------------------

const PAGE = 4096;

/** Every subschema of the schema. */
function* subschemas(node: unknown): Generator<Record<string, unknown>> {
  if (typeof node !== 'object' || node === null) return;
  if (!Array.isArray(node)) yield node as Record<string, unknown>;
  for (const child of Object.values(node)) yield* subschemas(child);
}

/** Each bound of a number field, in the validator and in the schema: the bound, one past it, and a page past it. */
const BOUNDARY_NUMBERS = [
  ...Object.values(SCENARIO_LIMITS),
  ...[...subschemas(schema)].flatMap((node) => [node.minimum, node.maximum].filter((n) => typeof n === 'number').map((n) => ({ min: n, max: n }))),
].flatMap(({ min, max }) => [min - PAGE, min - 1, min, max, max + 1, max + PAGE]);

/** Every choice the validator offers and every value the schema names (enum, const). */
const CHOICES = [
  ...TIMING_MODES,
  ...SCHEDULER_POLICIES,
  ...FAULT_POLICIES,
  ...CHANNEL_ACCESS,
  ...[...subschemas(schema)].flatMap((node) => [...(Array.isArray(node.enum) ? node.enum : []), ...('const' in node ? [node.const] : [])]),
];

/** Values of every JSON type, numbers across every bound, and strings of every form a field takes. */
const REPLACEMENTS: readonly unknown[] = [
  ...new Set<unknown>([
    null,
    true,
    false,
    [],
    {},
    [0],
    { a: 1 },
    ...BOUNDARY_NUMBERS,
    -1,
    0,
    1,
    1.5,
    -0.5,
    2,
    5,
    10,
    95,
    96,
    255,
    256,
    999,
    1000,
    4095,
    8192,
    2 ** 31,
    2 ** 32,
    0x9000_0000,
    0x9000_0800,
    2 ** 53,
    1e21,
    JSON.parse('1e400') as number, // Infinity: what JSON.parse makes of a number too large for a double
    // sizes and addresses, as strings
    '',
    'x',
    '1M',
    '1.5M',
    '4K',
    '6K',
    ' 4K ',
    '4 KiB',
    '8kb',
    '4T',
    '-4K',
    '1e3',
    '4096',
    '4097',
    '2G',
    '4G',
    '0x',
    '0x1000',
    '0x1001',
    '0X9000A000',
    '0x90000000',
    '0x90000800',
    '0xfffff000',
    '0x100000000',
    '0x9000_0000',
    '\t0x2000\n',
    '\u00a04K\u2028',
    '4K\u0085',
    '\uff14K',
    // names, choices and their near misses
    'alpha',
    'beta',
    'gamma',
    'A',
    'a-1',
    '1a',
    'a_b',
    'alpha\n',
    'a'.repeat(32),
    'a'.repeat(33),
    ...CHOICES,
    ...CHOICES.filter((c) => typeof c === 'string').map((c) => c.toUpperCase()),
    // lengths: 64 and 65 characters, and characters outside the Basic Multilingual Plane (two UTF-16 units each)
    'x'.repeat(64),
    'x'.repeat(65),
    '\u{1F600}'.repeat(40),
    '\u{1F600}'.repeat(65),
    '../guests/small.elf',
    'g'.repeat(4096),
    'g'.repeat(4097),
    '\u{1F600}'.repeat(2049),
  ]),
];

/** A value of each JSON type, for the repository's larger files (the small documents above get every replacement). */
const FEW_REPLACEMENTS: readonly unknown[] = [null, true, 'x', 1.5, {}, []];

// ---- variants ------------------------------------------------------------------------------

type Path = (string | number)[];

/** "vms[1].ram" for ["vms", 1, "ram"]. */
function pathName(path: Path): string {
  return path.reduce<string>((name, key) => (typeof key === 'number' ? `${name}[${key}]` : name === '' ? key : `${name}.${key}`), '');
}

/** Every path below the root, parents before children. */
function pathsOf(value: unknown, path: Path = []): Path[] {
  if (typeof value !== 'object' || value === null) return [];
  const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  return entries.flatMap(([key, child]) => [[...path, key], ...pathsOf(child, [...path, key])]);
}

function get(json: unknown, path: Path): unknown {
  return path.reduce<unknown>((value, key) => (value as Record<string | number, unknown>)[key], json);
}

/** A deep copy of `json` with the value at `path` changed by `change` (which may delete it). */
function edit(json: unknown, path: Path, change: (parent: Record<string | number, unknown> & unknown[], key: string | number) => void): unknown {
  const copy = structuredClone(json);
  const parent = get(copy, path.slice(0, -1)) as Record<string | number, unknown> & unknown[];
  change(parent, path[path.length - 1]);
  return copy;
}

function replaced(json: unknown, path: Path, value: unknown): unknown {
  return edit(json, path, (parent, key) => (parent[key] = structuredClone(value)));
}

function removed(json: unknown, path: Path): unknown {
  return edit(json, path, (parent, key) => (typeof key === 'number' ? parent.splice(key, 1) : Reflect.deleteProperty(parent, key)));
}

const show = (value: unknown): string => {
  const text = JSON.stringify(value);
  return text.length > 24 ? `${text.slice(0, 20)}…(${text.length})` : text;
};

/**
 * The variants of one document: every field removed, and replaced by each of `replacements` (an
 * object or an array by a value of each type); every object given an unknown field (and
 * "__proto__", as JSON.parse makes it) and, when `foreign`, each field of every other object; every
 * array emptied, with its first item repeated, and grown past any bound; the scheduler switched to
 * each policy; the fields each policy owns added under the others.
 */
function* variants(name: string, json: unknown, replacements: readonly unknown[], foreign: boolean): Generator<[string, unknown]> {
  yield [name, json];
  for (const path of pathsOf(json)) {
    const at = pathName(path);
    const value = get(json, path);
    yield [`${name} ${at} removed`, removed(json, path)];
    // A whole object or array only needs a value of each other type in its place.
    const values = typeof value === 'object' && value !== null ? FEW_REPLACEMENTS : replacements;
    for (const replacement of values) yield [`${name} ${at} := ${show(replacement)}`, replaced(json, path, replacement)];
    if (Array.isArray(value)) {
      yield [`${name} ${at} emptied`, replaced(json, path, [])];
      if (value.length > 0) {
        yield [`${name} ${at} first item twice`, replaced(json, path, [value[0], ...value])];
        // Past 64 items (VMs, channels, cores) and past 1024 (windows, which 65 only make overlap).
        for (const length of at.endsWith('windows') ? [1025] : [65, 1025]) {
          yield [`${name} ${at} × ${length}`, replaced(json, path, Array.from({ length }, () => value[0]))];
        }
      }
    } else if (typeof value === 'object' && value !== null) {
      yield [`${name} ${at} + unknown field`, edit(json, path, (parent, key) => ((parent[key] as Json).colour = 'red'))];
      for (const [field, fieldValue] of foreign ? foreignFields(value as Json) : []) {
        yield [`${name} ${at} + ${field}`, edit(json, path, (parent, key) => ((parent[key] as Json)[field] = structuredClone(fieldValue)))];
      }
    }
  }
  yield [`${name} + unknown field`, { ...(json as Json), colour: 'red' }];
  for (const [field, fieldValue] of foreign ? foreignFields(json as Json) : []) {
    yield [`${name} + ${field}`, { ...(json as Json), [field]: structuredClone(fieldValue) }];
  }
  yield [`${name} + "__proto__"`, JSON.parse(JSON.stringify(json).replace(/^\{/, '{"__proto__": {},'))];
  yield* policyVariants(name, json);
}

/** Every field name of every object, in the schema or in everyField(), with a value it has there. */
const FIELDS: [string, unknown][] = (() => {
  const fields = new Map<string, unknown>();
  const walk = (value: unknown): void => {
    if (typeof value !== 'object' || value === null) return;
    for (const [key, child] of Object.entries(value)) {
      if (!Array.isArray(value) && !fields.has(key)) fields.set(key, child);
      walk(child);
    }
  };
  walk(everyField());
  for (const node of subschemas(schema)) {
    for (const key of Object.keys((node.properties as object | undefined) ?? {})) if (!fields.has(key)) fields.set(key, 1);
  }
  return [...fields];
})();

/** The fields an object does not have: each belongs to another object, if it belongs anywhere. */
function foreignFields(object: Json): [string, unknown][] {
  return Array.isArray(object) ? [] : FIELDS.filter(([field]) => !Object.hasOwn(object, field));
}

/** A time window that gives vms[0] the start of the frame on core 0. */
const WINDOW = { core: 0, vm: '', offset: 0, duration: 10_000 };

function* policyVariants(name: string, json: unknown): Generator<[string, unknown]> {
  const doc = json as Json & { scheduler?: Json; vms?: Json[] };
  if (typeof doc.scheduler !== 'object' || doc.scheduler === null || !Array.isArray(doc.vms)) return;
  const firstVm = typeof doc.vms[0]?.name === 'string' ? doc.vms[0].name : 'alpha';
  for (const policy of ['partitioned', 'fixed-priority', 'time-partitioned']) {
    yield [`${name} policy := ${policy}`, replaced(json, ['scheduler', 'policy'], policy)];
    const schedulerFields: Json = { preemptionBound: 1000, majorFrame: 1_000_000, windows: [{ ...WINDOW, vm: firstVm }] };
    for (const [key, value] of Object.entries(schedulerFields)) {
      yield [`${name} policy := ${policy}, scheduler.${key} added`, replaced(replaced(json, ['scheduler', 'policy'], policy), ['scheduler', key], value)];
    }
    const vmFields: Json[] = [{ priority: 1 }, { budget: 2000, period: 4000 }, { budget: 2000 }, { period: 4000 }];
    for (const fields of vmFields) {
      const changed = replaced(json, ['scheduler', 'policy'], policy) as { vms: Json[] };
      Object.assign(changed.vms[0], fields);
      yield [`${name} policy := ${policy}, vms[0] + ${show(fields)}`, changed];
    }
  }
}

// ---- the corpus ----------------------------------------------------------------------------

/** The corpus, one document at a time (tens of thousands: kept together, they would mostly keep the collector busy). */
export function* corpus(): Generator<CorpusDocument> {
  for (const { name, json } of VALIDATOR_CASES) yield { name: `case: ${name}`, json, source: SOURCE };
  for (const base of BASES) {
    for (const [name, json] of variants(base.name, base.json(), REPLACEMENTS, true)) yield { name, json, source: SOURCE };
  }
  for (const { file, json, source } of REPO_SCENARIOS) {
    for (const [name, variant] of variants(file, json, FEW_REPLACEMENTS, false)) yield { name, json: variant, source };
  }
}
