// The options of every `tessera` command: Node's parseArgs with one-line usage errors, and the
// typed helpers for integer, seconds and size values.

import { describe, expect, it } from 'vitest';
import { integerOption, parseOptions, secondsOption, sizeOption, UsageError } from '../../../engine/cli/args.js';

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  json: { type: 'boolean' },
  mem: { type: 'string' },
  out: { type: 'string' },
  timeout: { type: 'string' },
} as const;

/** What parseOptions throws for `argv`, as the user reads it. */
function usageError(argv: string[], options: Parameters<typeof parseOptions>[1] = OPTIONS): string {
  try {
    parseOptions(argv, options);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`parseOptions accepted ${JSON.stringify(argv)}`);
}

describe('parseOptions', () => {
  it('reads flags, values given as --mem 64M or --mem=64M, and positionals in order', () => {
    expect(parseOptions(['a.elf', '--mem', '64M', '--json', 'b', '--out=dir'], OPTIONS)).toEqual({
      values: { mem: '64M', json: true, out: 'dir' },
      positionals: ['a.elf', 'b'],
    });
    expect(parseOptions(['--mem=64M'], OPTIONS).values).toEqual({ mem: '64M' });
  });

  it('leaves an option not given undefined', () => {
    const args = parseOptions(['x'], OPTIONS);
    expect(args.values.json).toBeUndefined();
    expect(args.values.mem).toBeUndefined();
  });

  it('takes -h for --help', () => {
    expect(parseOptions(['-h'], OPTIONS).values).toEqual({ help: true });
    expect(parseOptions(['--help'], OPTIONS).values).toEqual({ help: true });
  });

  it('ends the options at --: what follows is positional, dashes and all', () => {
    expect(parseOptions(['--json', '--', '--mem', '-x', '--'], OPTIONS)).toEqual({ values: { json: true }, positionals: ['--mem', '-x', '--'] });
  });

  it('takes a lone - as a positional and as a value', () => {
    expect(parseOptions(['-', '--out', '-'], OPTIONS)).toEqual({ values: { out: '-' }, positionals: ['-'] });
  });

  it('refuses an unknown long option, naming it without its value', () => {
    expect(usageError(['--frobnicate'])).toBe('unknown option --frobnicate');
    expect(usageError(['--frobnicate=3'])).toBe('unknown option --frobnicate');
    expect(usageError(['--JSON'])).toBe('unknown option --JSON');
    expect(usageError(['--no-json'])).toBe('unknown option --no-json');
  });

  it('refuses a long option written with one dash, naming the whole argument (-mem is not --mem)', () => {
    expect(usageError(['x.elf', '-mem', '64M'])).toBe('unknown option -mem');
    expect(usageError(['-json'])).toBe('unknown option -json');
    expect(usageError(['-help'])).toBe('unknown option -help');
    expect(usageError(['-hx'])).toBe('unknown option -hx');
    expect(usageError(['-h=1'])).toBe('unknown option -h=1');
  });

  it("refuses a value that looks like an option after an option that takes one, unless written --out=-x", () => {
    expect(usageError(['--out', '-x'])).toBe("option --out needs a value (got '-x', which looks like an option)");
    expect(usageError(['--out', '--json'])).toBe("option --out needs a value (got '--json', which looks like an option)");
    expect(usageError(['--timeout', '-5'])).toBe("option --timeout needs a value (got '-5', which looks like an option)");
    expect(usageError(['--out', '--'])).toBe("option --out needs a value (got '--', which looks like an option)");
    expect(parseOptions(['--out=-x'], OPTIONS).values).toEqual({ out: '-x' });
  });

  it('refuses an option given twice, whichever way it is spelled', () => {
    expect(usageError(['--json', 'x', '--json'])).toBe('option --json given twice');
    expect(usageError(['--mem', '64M', '--mem=128M'])).toBe('option --mem given twice');
    expect(usageError(['-h', '--help'])).toBe('option --help given twice');
  });

  it('collects every value of an option documented as repeatable, in order', () => {
    const options = { gdb: { type: 'string', multiple: true }, verbose: { type: 'boolean', short: 'v', multiple: true } } as const;
    const args = parseOptions(['--gdb', 'rtos=1234', 'x', '--gdb=linux=1235', '-v', '--verbose'], options);
    expect(args.values.gdb).toEqual(['rtos=1234', 'linux=1235']);
    expect(args.values.verbose).toEqual([true, true]);
    expect(args.positionals).toEqual(['x']);
    expect(usageError(['--gdb', 'a', '--gdb', '-x'], options)).toBe("option --gdb needs a value (got '-x', which looks like an option)");
    expect(usageError(['--gdb='], options)).toBe('option --gdb needs a value');
  });

  it('refuses a missing or empty value', () => {
    expect(usageError(['x', '--out'])).toBe('option --out needs a value');
    expect(usageError(['--out='])).toBe('option --out needs a value');
    expect(usageError(['--out', ''])).toBe('option --out needs a value');
  });

  it('refuses a value for a flag', () => {
    expect(usageError(['--json=yes'])).toBe('option --json takes no value');
    expect(usageError(['--help='])).toBe('option --help takes no value');
  });

  it('names the first wrong argument when there are several', () => {
    expect(usageError(['--json=1', '--frobnicate', '--out'])).toBe('option --json takes no value');
    expect(usageError(['--frobnicate', '--out'])).toBe('unknown option --frobnicate');
  });

  it('says every problem in one short line, whatever the argument holds', () => {
    for (const argv of [['--x\ny'], [`--${'a'.repeat(10_000)}`], ['--out', '-x\n--\x1b[2J'], ['-\u2028'], ['--json=\n']]) {
      const message = usageError(argv);
      expect(message).not.toMatch(/[\x00-\x1f\x7f-\x9f\u2028\u2029]/);
      expect(message.length).toBeLessThan(120);
    }
    expect(usageError(['--x\ny'])).toBe('unknown option --x\\u000ay');
  });

  it('leaves other errors alone: a wrong table of options is a programming error, not a usage error', () => {
    expect(() => parseOptions(['x'], { bad: { type: 'number' } } as never)).toThrow(TypeError);
  });
});

describe('integerOption', () => {
  const args = (value: string) => parseOptions([`--harts=${value}`], { harts: { type: 'string' } });

  it('reads decimal, hexadecimal and underscores, within the bounds', () => {
    expect(integerOption(args('4'), 'harts', 1, 8)).toBe(4);
    expect(integerOption(args('0x10'), 'harts', 1, 64)).toBe(16);
    expect(integerOption(args('1_000'), 'harts', 1, 10_000)).toBe(1000);
    expect(integerOption(parseOptions([], { harts: { type: 'string' } }), 'harts', 1, 8)).toBeUndefined();
  });

  it('refuses anything else with one line naming the option, the bounds and the value', () => {
    for (const value of ['many', '1.5', '0', '9', '-1', '1e3', ' 4']) {
      expect(() => integerOption(args(value), 'harts', 1, 8)).toThrow(new UsageError(`--harts must be an integer from 1 to 8, got '${value}'`));
    }
    expect(() => integerOption(args('4\n5'), 'harts', 1, 8)).toThrow(new UsageError("--harts must be an integer from 1 to 8, got '4\\u000a5'"));
  });
});

describe('secondsOption', () => {
  const args = (value: string) => parseOptions([`--timeout=${value}`], { timeout: { type: 'string' } });

  it('reads a positive number of seconds', () => {
    expect(secondsOption(args('0.5'), 'timeout')).toBe(0.5);
    expect(secondsOption(args('10'), 'timeout')).toBe(10);
    expect(secondsOption(parseOptions([], { timeout: { type: 'string' } }), 'timeout')).toBeUndefined();
  });

  it('refuses zero, negative, infinite and malformed values', () => {
    for (const value of ['0', '-1', 'Infinity', 'soon', 'NaN']) {
      expect(() => secondsOption(args(value), 'timeout')).toThrow(new UsageError(`--timeout must be a positive number of seconds, got '${value}'`));
    }
  });
});

describe('sizeOption', () => {
  const args = (value: string) => parseOptions([`--mem=${value}`], { mem: { type: 'string' } });

  it('reads sizes such as 64M, 1G, 64k and 0x1000000', () => {
    expect(sizeOption(args('64M'), 'mem', 4096, 2 ** 31)).toBe(64 * 2 ** 20);
    expect(sizeOption(args('1G'), 'mem', 4096, 2 ** 31)).toBe(2 ** 30);
    expect(sizeOption(args('64k'), 'mem', 4096, 2 ** 31)).toBe(65536);
    expect(sizeOption(args('0x1000000'), 'mem', 4096, 2 ** 31)).toBe(16 * 2 ** 20);
    expect(sizeOption(parseOptions([], { mem: { type: 'string' } }), 'mem', 4096, 2 ** 31)).toBeUndefined();
  });

  it('refuses a malformed size, one out of bounds and one not in whole 4 KiB pages', () => {
    for (const value of ['3 apples', '0', '1K', '4G', '5000']) {
      expect(() => sizeOption(args(value), 'mem', 4096, 2 ** 31)).toThrow(new UsageError(`--mem must be a size from 4K to 2G in whole 4 KiB pages, got '${value}'`));
    }
  });
});
