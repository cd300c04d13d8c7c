// Command-line parsing for `tessera`: options, values and one-line usage errors.

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface OptionSpec {
  /** Takes a value (`--mem 64M` or `--mem=64M`); otherwise a flag. */
  value: boolean;
}

export interface ParsedArgs {
  positional: string[];
  options: Map<string, string | true>;
}

/** Parses `argv` against the known options; unknown options and missing values are UsageErrors. */
export function parseArgs(argv: readonly string[], specs: Record<string, OptionSpec>): ParsedArgs {
  const positional: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = (eq >= 0 ? arg.slice(0, eq) : arg).replace(/^-+/, '');
    const spec = name === 'h' ? specs.help : specs[name];
    if (spec === undefined) throw new UsageError(`unknown option ${eq >= 0 ? arg.slice(0, eq) : arg}`);
    const key = name === 'h' ? 'help' : name;
    if (!spec.value) {
      if (eq >= 0) throw new UsageError(`option --${key} takes no value`);
      options.set(key, true);
      continue;
    }
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || value === '') throw new UsageError(`option --${key} needs a value`);
    options.set(key, value);
  }
  return { positional, options };
}

/** A positive integer option, or the default. */
export function integerOption(args: ParsedArgs, name: string, min: number, max: number): number | undefined {
  const raw = args.options.get(name);
  if (raw === undefined) return undefined;
  const text = String(raw).replace(/_/g, '');
  const value = /^(0x[0-9a-f]+|\d+)$/i.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got '${raw}'`);
  }
  return value;
}

/** A positive number of seconds, or undefined. */
export function secondsOption(args: ParsedArgs, name: string): number | undefined {
  const raw = args.options.get(name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new UsageError(`--${name} must be a positive number of seconds, got '${raw}'`);
  return value;
}
