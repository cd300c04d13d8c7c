// Reading typed fields out of parsed JSON; each problem becomes one line that starts with the field's path.

import { PAGE_SIZE } from '../memory/memory-map.js';
import { parseSize } from '../memory/physical-memory.js';
import { SCENARIO_DEFAULTS } from './scenario.js';

/** A field that was present but wrong (or required but missing): already reported, skip rules that need it. */
export const INVALID = Symbol('invalid');
export type Invalid = typeof INVALID;

/** What a read returns: a required field is never undefined (missing is reported and INVALID). */
export type Read<T, Required extends boolean> = Required extends true ? T | Invalid : T | undefined | Invalid;

export interface Bounds {
  min: number;
  max: number;
}

/** Assert the invariant that a scenario without problems has no invalid field (and no missing required one). */
export function valid<T>(value: T | Invalid): T {
  if (value === INVALID) throw new Error('scenario validation: an invalid field was not reported');
  return value;
}

/** Like valid, and the field was given (or defaulted). */
export function present<T>(value: T | undefined | Invalid): T {
  if (value === undefined) throw new Error('scenario validation: a missing field was not reported');
  return valid(value);
}

/** The value, or undefined when it is absent or invalid (rules that need it are then skipped). */
export function known<T>(value: T | undefined | Invalid): T | undefined {
  return value === INVALID ? undefined : value;
}

/** "0x100000..0x1fffff": the inclusive range of [start, end). */
export function hexRange(start: number, end: number): string {
  return `${hex(start)}..${hex(end - 1)}`;
}

/** Problems past this many are counted, not listed: a file of 200,000 unknown fields is no 200,000-line report. */
export const MAX_PROBLEMS_SHOWN = 20;

/** Collects problem lines in the order they are found, keeping the first MAX_PROBLEMS_SHOWN. */
export class Problems {
  private readonly shown: string[] = [];
  /** Every problem found, shown or not: the rules that skip work once something is wrong look at this. */
  count = 0;

  add(path: string, message: string): void {
    this.count++;
    if (this.shown.length < MAX_PROBLEMS_SHOWN) this.shown.push(`${path}: ${message}`);
  }

  /** True once a further problem would only be counted (so work that only refines its message can be skipped). */
  get full(): boolean {
    return this.count >= MAX_PROBLEMS_SHOWN;
  }

  /** The problems shown and, when there were more, one line saying how many more. */
  get lines(): string[] {
    const more = this.count - this.shown.length;
    return more === 0 ? [...this.shown] : [...this.shown, `… and ${plural(more, 'more problem')}`];
  }
}

/** How many problems a list from Problems.lines stands for (its last line may count the ones not shown). */
export function countProblems(lines: readonly string[]): number {
  const more = /^… and (\d+) more problems?$/.exec(lines.at(-1) ?? '');
  return more === null ? lines.length : lines.length - 1 + Number(more[1]);
}

/** Longer field names are shown cut, like long values. */
const MAX_SHOWN_KEY = 40;

/**
 * `parent.key`, or `parent["odd key"]` for a key that is not a short identifier (cut and quoted
 * like a value); `key` at the top level.
 */
export function fieldPath(parent: string, key: string): string {
  if (key.length > MAX_SHOWN_KEY || !/^[A-Za-z_$][\w$]*$/.test(key)) return `${parent || 'scenario'}[${describeValue(key)}]`;
  return parent === '' ? key : `${parent}.${key}`;
}

/** A file name from the scenario as a message shows it: as written when short and printable, else quoted and cut. */
export function describePath(path: string): string {
  return path.length <= 200 && !/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(path) ? path : describeValue(path);
}

/** A name as a message quotes it: 'name' when short and plain, else as describeValue shows it (one line, cut). */
export function describeName(name: string): string {
  return /^[\x20-\x7e]{1,40}$/.test(name) && !name.includes("'") ? `'${name}'` : describeValue(name);
}

/** A JSON value as a message shows it after "got". */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') {
    // JSON.stringify leaves U+2028, U+2029 and the C1 controls as they are: escaped, the line stays one line.
    const quoted = JSON.stringify(value).replace(/[\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    if (quoted.length <= 42) return quoted;
    // Never half a character: a cut between the two halves of a surrogate pair keeps neither.
    const cut = (quoted.charCodeAt(39) & 0xfc00) === 0xd800 ? 39 : 40;
    return `${quoted.slice(0, cut)}…"`;
  }
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint' || value === undefined) return String(value);
  return `a ${typeof value}`;
}

/** "64 MiB", "4 KiB", "1 GiB"; bytes when not a whole number of KiB. */
export function formatSize(bytes: number): string {
  for (const [unit, size] of [['GiB', 2 ** 30], ['MiB', 2 ** 20], ['KiB', 2 ** 10]] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size} ${unit}`;
  }
  return `${bytes} bytes`;
}

/** "1 core", "2 cores". */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

export function hex(value: number): string {
  return `0x${value.toString(16)}`;
}

/**
 * The fields of a JSON object, each read against its type and bounds. Opening one reports every
 * field not in `known`.
 */
export class ObjectReader {
  private constructor(
    private readonly problems: Problems,
    readonly path: string,
    private readonly fields: Record<string, unknown>,
  ) {}

  /** The reader for `value`, or INVALID (reported) when it is not an object. */
  static open(problems: Problems, value: unknown, path: string, known: readonly string[]): ObjectReader | Invalid {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      problems.add(path || 'scenario', `must be an object (got ${describeValue(value)})`);
      return INVALID;
    }
    const fields = value as Record<string, unknown>;
    for (const key of Object.keys(fields)) {
      if (known.includes(key)) continue;
      // Past the lines shown, a guess would be thrown away.
      const guess = problems.full ? undefined : closest(key, known);
      problems.add(fieldPath(path, key), `unknown field${guess === undefined ? '' : ` (did you mean "${guess}"?)`}`);
    }
    return new ObjectReader(problems, path, fields);
  }

  /** Own fields only; a field set to undefined (possible from JavaScript, not from JSON) is absent. */
  has(key: string): boolean {
    return Object.hasOwn(this.fields, key) && this.fields[key] !== undefined;
  }

  get(key: string): unknown {
    return this.has(key) ? this.fields[key] : undefined;
  }

  pathOf(key: string): string {
    return fieldPath(this.path, key);
  }

  problem(key: string, message: string): Invalid {
    this.problems.add(this.pathOf(key), message);
    return INVALID;
  }

  /** Reports a missing required field; true when present. */
  require(key: string): boolean {
    if (this.has(key)) return true;
    this.problem(key, 'required but missing');
    return false;
  }

  integer<R extends boolean = false>(key: string, bounds: Bounds, required?: R): Read<number, R> {
    return this.read(key, required, (value) => {
      if (typeof value === 'number' && Number.isSafeInteger(value) && value >= bounds.min && value <= bounds.max) return value;
      return this.problem(key, `must be ${integerRange(bounds)} (got ${describeValue(value)})`);
    });
  }

  /**
   * A count of virtual cycles; below the minimum the message gives the floor in cycles and in time
   * at the default clock, since the floor exists to bound the hypervisor's work per cycle.
   */
  cycles<R extends boolean = false>(key: string, bounds: Bounds, required?: R): Read<number, R> {
    return this.read(key, required, (value) => {
      const integer = typeof value === 'number' && Number.isSafeInteger(value);
      if (integer && value < bounds.min) return this.problem(key, `${value} is below the minimum of ${bounds.min} cycles (${cyclesAsTime(bounds.min)})`);
      if (integer && value <= bounds.max) return value;
      return this.problem(key, `must be ${integerRange(bounds)} (got ${describeValue(value)})`);
    });
  }

  /** A byte count in whole 4 KiB pages: an integer, or a string such as "64M", "512K", "0x4000000" (see parseSize). */
  size<R extends boolean = false>(key: string, bounds: Bounds, required?: R): Read<number, R> {
    return this.read(key, required, (value) => {
      const bytes =
        typeof value === 'string' ? parseSize(value) : typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
      const got = `(got ${describeValue(value)})`;
      if (bytes === undefined) return this.problem(key, `must be a size such as "1M" ${got}`);
      if (bytes % PAGE_SIZE !== 0) return this.problem(key, `must be a multiple of 4 KiB ${got}`);
      if (bytes < bounds.min) return this.problem(key, `must be at least ${formatSize(bounds.min)} ${got}`);
      if (bytes > bounds.max) return this.problem(key, `must be at most ${formatSize(bounds.max)} ${got}`);
      return bytes;
    });
  }

  /**
   * A guest-physical address in whole 4 KiB pages: an integer, or a string of 0x-hex digits such as
   * "0x90000000" (no size units: an address is not a size).
   */
  address<R extends boolean = false>(key: string, bounds: Bounds, required?: R): Read<number, R> {
    return this.read(key, required, (value) => {
      const address =
        typeof value === 'string' ? parseAddress(value) : typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
      const got = `(got ${describeValue(value)})`;
      if (address === undefined) return this.problem(key, `must be an address such as "0x90000000" ${got}`);
      if (address < bounds.min || address > bounds.max) return this.problem(key, `must be an address from ${hex(bounds.min)} to ${hex(bounds.max)} ${got}`);
      if (address % PAGE_SIZE !== 0) return this.problem(key, `must be 4 KiB aligned ${got}`);
      return address;
    });
  }

  /** A string matching `pattern`; `rule` says in words what it must be ("a lowercase letter followed by …"). */
  matching<R extends boolean = false>(key: string, pattern: RegExp, rule: string, required?: R): Read<string, R> {
    return this.read(key, required, (value) =>
      typeof value === 'string' && pattern.test(value) ? value : this.problem(key, `must be ${rule} (got ${describeValue(value)})`),
    );
  }

  /** A string of `length` characters (Unicode code points, as JSON Schema counts them: an emoji is one). */
  string<R extends boolean = false>(key: string, length: Bounds, required?: R): Read<string, R> {
    return this.read(key, required, (value) => {
      if (typeof value === 'string' && lengthWithin(value, length)) return value;
      const what = length.min === 1 && length.max === Infinity ? 'a non-empty string' : `a string of ${countRange(length)} characters`;
      return this.problem(key, `must be ${what} (got ${describeValue(value)})`);
    });
  }

  oneOf<T extends string, R extends boolean = false>(key: string, choices: readonly T[], required?: R): Read<T, R> {
    return this.read(key, required, (value) => {
      if (typeof value === 'string' && (choices as readonly string[]).includes(value)) return value as T;
      const listed = choices.map((c) => `"${c}"`);
      const options = listed.length === 2 ? listed.join(' or ') : `one of ${listed.join(', ')}`;
      return this.problem(key, `must be ${options} (got ${describeValue(value)})`);
    });
  }

  boolean(key: string): Read<boolean, false> {
    return this.read(key, false, (value) =>
      typeof value === 'boolean' ? value : this.problem(key, `must be true or false (got ${describeValue(value)})`),
    );
  }

  /** An array of `length` items, unchecked. */
  array<R extends boolean = false>(key: string, length: Bounds, noun: string, required?: R): Read<unknown[], R> {
    return this.read(key, required, (value) => {
      if (!Array.isArray(value)) return this.problem(key, `must be an array of ${noun} (got ${describeValue(value)})`);
      const items: unknown[] = value;
      if (items.length >= length.min && items.length <= length.max) return items;
      return this.problem(key, `must list ${countRange(length)} ${noun} (got ${items.length})`);
    });
  }

  /** Absent: undefined, or INVALID (reported) when required; present: what `check` makes of it. */
  private read<T, R extends boolean>(key: string, required: R | undefined, check: (value: unknown) => T | Invalid): Read<T, R> {
    if (this.has(key)) return check(this.fields[key]);
    return (required === true ? (this.require(key), INVALID) : undefined) as Read<T, R>;
  }
}

/** Whether `text` has from min to max code points; they are counted only where its UTF-16 length leaves it open. */
function lengthWithin(text: string, { min, max }: Bounds): boolean {
  // A code point is one or two UTF-16 units.
  if (text.length < min || text.length > 2 * max) return false;
  if (text.length <= max && text.length >= 2 * min) return true;
  const length = codePointCount(text);
  return length >= min && length <= max;
}

/** Code points of `text`, a surrogate pair counting once (and a lone surrogate once too). */
function codePointCount(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++, count++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) i++;
  }
  return count;
}

function countRange({ min, max }: Bounds): string {
  if (max === Infinity) return `at least ${min}`;
  if (min === max) return `${min}`;
  return min === 0 ? `at most ${max}` : `${min} to ${max}`;
}

/** "0x90000000" (surrounding spaces allowed, as in sizes); undefined for anything else. */
function parseAddress(text: string): number | undefined {
  const match = /^\s*(0x[0-9a-f]+)\s*$/i.exec(text);
  return match === null ? undefined : Number(match[1]);
}

/** "10 µs at 100 MHz": the clock a scenario has unless it sets timing.frequency. */
function cyclesAsTime(cycles: number): string {
  const mhz = SCENARIO_DEFAULTS.timing.frequency / 1e6;
  return `${cycles / mhz} µs at ${mhz} MHz`;
}

function integerRange({ min, max }: Bounds): string {
  return max >= Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer from ${min} to ${max}`;
}

/**
 * The known name a misspelt key most likely meant, if one is close. A name whose length differs
 * from the key's by the distance allowed or more cannot be close, so a huge key costs nothing, and
 * the distance stops being computed once it exceeds what is allowed: a file of 200,000 unknown
 * keys stays cheap.
 */
function closest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = (key.length <= 4 ? 1 : key.length <= 8 ? 2 : 3) + 1;
  for (const name of known) {
    if (Math.abs(name.length - key.length) >= bestDistance) continue;
    const sameLetters = name.length === key.length && name.toLowerCase() === key.toLowerCase();
    const d = sameLetters ? 0 : editDistance(key, name, bestDistance - 1);
    if (d < bestDistance) {
      best = name;
      bestDistance = d;
    }
  }
  return best;
}

/** Two rows of the edit-distance table, reused (known names are short). */
let previousRow = new Int32Array(32);
let currentRow = new Int32Array(32);

/** The Levenshtein distance of `a` and `b`, or `limit + 1` as soon as it is sure to exceed `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (previousRow.length <= b.length) {
    previousRow = new Int32Array(b.length + 1);
    currentRow = new Int32Array(b.length + 1);
  }
  let previous = previousRow;
  let current = currentRow;
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    const c = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const d = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (c === b.charCodeAt(j - 1) ? 0 : 1));
      current[j] = d;
      if (d < rowMin) rowMin = d;
    }
    // No later row has a smaller minimum: the distance already exceeds the limit.
    if (rowMin > limit) return limit + 1;
    [previous, current] = [current, previous];
  }
  return previous[b.length];
}
