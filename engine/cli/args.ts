// The options of every `tessera` command, parsed by Node's own parseArgs (node:util). This file only
// adapts it: parseArgs throws several lines of English meant for a programmer and keeps the last of
// a repeated option without a word, so here its errors become the one line a usage error is, and an
// option given twice or with an empty value is refused. Then the typed helpers for integer, seconds
// and size values.

import { parseArgs } from 'node:util';
import { parseSize } from '../memory/physical-memory.js';

/** A mistake on the command line: one line, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * An option: a flag (`boolean`) or one that takes a value (`string`: `--mem 64M` or `--mem=64M`; a
 * value that starts with `-` only as `--out=-x`). Only a `multiple` option may be given more than
 * once; its value is the list of every one given, in order.
 */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  /** One letter: `-h` for `--help`. */
  readonly short?: string;
  readonly multiple?: boolean;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;


type OptionValue<O extends OptionSpec> = O['type'] extends 'string' ? string : boolean;

/** Each option's value, undefined when not given. */
export type OptionValues<S extends OptionSpecs> = { [K in keyof S]?: S[K]['multiple'] extends true ? Array<OptionValue<S[K]>> : OptionValue<S[K]> };

export interface ParsedArgs<S extends OptionSpecs> {
  readonly values: OptionValues<S>;
  /** The other arguments, in order; all of them after `--`. */
  readonly positionals: string[];
}

/** Parses `argv` against `options`; every mistake in it is a UsageError. */
export function parseOptions<const S extends OptionSpecs>(argv: readonly string[], options: S): ParsedArgs<S> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: true, tokens: true });
  } catch (error) {
    if (!String((error as NodeJS.ErrnoException).code).startsWith('ERR_PARSE_ARGS_')) throw error;
    throw new UsageError(describeMistake(argv, options) ?? String((error as Error).message).split(/\.\s|\n/, 1)[0]);
  }
  const given = new Set<string>();
  for (const token of parsed.tokens) {
    if (token.kind !== 'option') continue;
    if (token.value === '') throw new UsageError(`option ${shown(token.rawName)} needs a value`);
    if (options[token.name].multiple) continue;
    if (given.has(token.name)) throw new UsageError(`option --${token.name} given twice`);
    given.add(token.name);
  }
  return { values: parsed.values, positionals: parsed.positionals };
}

/**
 * The first argument that strict parsing refuses, in one line. It is found in the tokens of a
 * lenient parse: parseArgs names only one letter of `-mem` and words its errors in several lines.
 */
function describeMistake(argv: readonly string[], options: OptionSpecs): string | undefined {
  for (const token of parseArgs({ args: [...argv], options, strict: false, tokens: true }).tokens) {
    if (token.kind !== 'option') continue;
    const spec = Object.hasOwn(options, token.name) ? options[token.name] : undefined;
    // A long option without its `=value`; a group of short ones as written (-mem, -h=1).
    if (spec === undefined) return `unknown option ${shown(token.rawName.startsWith('--') ? token.rawName : argv[token.index])}`;
    const name = shown(token.rawName);
    if (spec.type === 'boolean' && token.value !== undefined) return `option ${name} takes no value`;
    if (spec.type === 'string' && token.value === undefined) return `option ${name} needs a value`;
    // parseArgs' rule for a value that looks like an option: two characters or more, the first a dash.
    if (spec.type === 'string' && !token.inlineValue && /^-./s.test(token.value ?? '')) {
      return `option ${name} needs a value (got '${shown(token.value ?? '')}', which looks like an option)`;
    }
  }
  return undefined;
}

/** Text from the command line as a message shows it: control characters escaped, at most 60 characters. */
export function shown(text: string): string {
  const escaped = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return escaped.length > 60 ? `${escaped.slice(0, 60)}…` : escaped;
}

/** The options that take one value. */
type SingleValueOption<S extends OptionSpecs> = { [K in keyof S]: S[K] extends { type: 'string'; multiple?: false } ? K : never }[keyof S] & string;

function valueOf<S extends OptionSpecs>(args: ParsedArgs<S>, name: SingleValueOption<S>): string | undefined {
  return args.values[name] as string | undefined;
}

/** An integer from min to max (decimal or 0x hexadecimal, `_` between digits allowed), or undefined. */
export function integerOption<S extends OptionSpecs>(args: ParsedArgs<S>, name: SingleValueOption<S>, min: number, max: number): number | undefined {
  const raw = valueOf(args, name);
  if (raw === undefined) return undefined;
  const text = raw.replace(/_/g, '');
  const value = /^(0x[0-9a-f]+|\d+)$/i.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got '${shown(raw)}'`);
  }
  return value;
}

/** A positive number of seconds, or undefined. */
export function secondsOption<S extends OptionSpecs>(args: ParsedArgs<S>, name: SingleValueOption<S>): number | undefined {
  const raw = valueOf(args, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new UsageError(`--${name} must be a positive number of seconds, got '${shown(raw)}'`);
  return value;
}

/** A size such as 64M, 1G or 0x1000000 (parseSize) from min to max bytes, in whole 4 KiB pages; or undefined. */
export function sizeOption<S extends OptionSpecs>(args: ParsedArgs<S>, name: SingleValueOption<S>, min: number, max: number): number | undefined {
  const raw = valueOf(args, name);
  if (raw === undefined) return undefined;
  const value = parseSize(raw);
  if (value === undefined || value < min || value > max || value % 4096 !== 0) {
    throw new UsageError(`--${name} must be a size from ${sizeText(min)} to ${sizeText(max)} in whole 4 KiB pages, got '${shown(raw)}'`);
  }
  return value;
}

/** A size as parseSize reads it: 4K, 2G. */
function sizeText(bytes: number): string {
  for (const [suffix, unit] of [['G', 2 ** 30], ['M', 2 ** 20], ['K', 2 ** 10]] as const) {
    if (bytes >= unit && bytes % unit === 0) return `${bytes / unit}${suffix}`;
  }
  return String(bytes);
}
