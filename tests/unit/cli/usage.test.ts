// Every `tessera` command reads its options the same way: help with -h or --help, one-line usage
// errors with exit code 2, values after the option or joined by '=', and '--' ending the options.
// Nothing here starts a machine: each case ends at the options or at a file that is not there.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTROL_USAGE } from '../../../engine/cli/control-command.js';
import { RUN_USAGE } from '../../../engine/cli/run-command.js';
import { SWEEP_USAGE } from '../../../engine/cli/sweep-command.js';
import { VALIDATE_USAGE } from '../../../engine/cli/validate-command.js';
import { tessera } from './captured-io.js';

const scratch = mkdtempSync(join(tmpdir(), 'tessera-usage-'));
const absent = (name: string) => join(scratch, name);

const usageError = (line: string) => ({ code: 2, stdout: '', stderr: `tessera: ${line} (see 'tessera --help')\n` });

describe('tessera with no command', () => {
  it('prints the usage for -h, --help and help (exit 0), and for nothing at all (exit 2)', async () => {
    for (const argv of [['-h'], ['--help'], ['help']]) {
      const r = await tessera(...argv);
      expect(r).toMatchObject({ code: 0, stderr: '' });
      expect(r.stdout).toMatch(/^usage: tessera <command> \[options\]\n/);
    }
    expect(await tessera()).toMatchObject({ code: 2, stdout: expect.stringMatching(/^usage: tessera <command>/), stderr: '' });
  });

  it('refuses an unknown command or option in one line', async () => {
    expect(await tessera('fly')).toEqual(usageError("unknown command 'fly'"));
    expect(await tessera('--frobnicate')).toEqual(usageError('unknown option --frobnicate'));
    expect(await tessera('-help')).toEqual(usageError('unknown option -help'));
    expect(await tessera('--json', 'run', 'x.json')).toEqual(usageError('unknown option --json'));
    expect(await tessera('--', 'run')).toEqual(usageError('the command comes first, before any option'));
    expect(await tessera('fly\x1b[2J\nagain')).toEqual(usageError("unknown command 'fly\\u001b[2J\\u000aagain'"));
  });
});

describe('every command', () => {
  it('prints its help for -h and --help, and exits 0', async () => {
    const helps: Array<[string[], string]> = [
      [['run'], RUN_USAGE],
      [['sweep'], SWEEP_USAGE],
      [['validate'], VALIDATE_USAGE],
      [['update'], CONTROL_USAGE],
      [['wipe'], CONTROL_USAGE],
      [['vm'], CONTROL_USAGE],
    ];
    for (const [command, usage] of helps) {
      for (const flag of ['-h', '--help']) expect(await tessera(...command, flag)).toEqual({ code: 0, stdout: usage + '\n', stderr: '' });
    }
  });

  it('refuses a long option written with one dash', async () => {
    expect(await tessera('run', absent('x.elf'), '-mem', '64M')).toEqual(usageError('unknown option -mem'));
    expect(await tessera('sweep', absent('s.json'), '-out', 'dir')).toEqual(usageError('unknown option -out'));
    expect(await tessera('validate', '-json', absent('s.json'))).toEqual(usageError('unknown option -json'));
    expect(await tessera('update', 'vm', absent('x.elf'), '-control', 's.sock')).toEqual(usageError('unknown option -control'));
    expect(await tessera('wipe', 'vm', '-control=s.sock')).toEqual(usageError('unknown option -control=s.sock'));
    expect(await tessera('vm', 'pause', 'vm', '-c', 's.sock')).toEqual(usageError('unknown option -c'));
  });

  it('refuses a value that looks like an option', async () => {
    const line = (option: string, value: string) => usageError(`option ${option} needs a value (got '${value}', which looks like an option)`);
    expect(await tessera('run', absent('x.elf'), '--timeout', '-1')).toEqual(line('--timeout', '-1'));
    expect(await tessera('run', absent('s.json'), '--json', '--trace', 't.json')).toEqual(line('--json', '--trace'));
    expect(await tessera('sweep', absent('s.json'), '--out', '-x')).toEqual(line('--out', '-x'));
    expect(await tessera('update', 'vm', absent('x.elf'), '--control', '-h')).toEqual(line('--control', '-h'));
    expect(await tessera('wipe', 'vm', '--control', '--')).toEqual(line('--control', '--'));
  });

  it('takes such a value when joined by =', async () => {
    const r = await tessera('wipe', 'vm', `--control=-${absent('s.sock')}`);
    expect(r).toMatchObject({ code: 4, stdout: '' });
    expect(r.stderr).toMatch(/^tessera: cannot reach a running tessera at -\//);
  });

  it('refuses an option given twice', async () => {
    expect(await tessera('run', absent('x.elf'), '--harts', '2', '--harts=4')).toEqual(usageError('option --harts given twice'));
    expect(await tessera('sweep', absent('s.json'), '--out', 'a', '--out', 'b')).toEqual(usageError('option --out given twice'));
    expect(await tessera('validate', '--json', absent('s.json'), '--json')).toEqual(usageError('option --json given twice'));
    expect(await tessera('vm', 'stop', 'vm', '--control', 'a.sock', '--control', 'b.sock')).toEqual(usageError('option --control given twice'));
  });

  it('refuses a missing value, an empty one and a value for a flag', async () => {
    expect(await tessera('run', absent('x.elf'), '--mem')).toEqual(usageError('option --mem needs a value'));
    expect(await tessera('sweep', absent('s.json'), '--out=')).toEqual(usageError('option --out needs a value'));
    expect(await tessera('validate', '--json=yes', absent('s.json'))).toEqual(usageError('option --json takes no value'));
  });

  it('takes a value after the option or joined by =', async () => {
    for (const mem of [['--mem', '64M'], ['--mem=64M']]) {
      // Parsed and accepted: the run goes on to the file, which is not there.
      const r = await tessera('run', absent('x.elf'), ...mem);
      expect(r).toMatchObject({ code: 3, stdout: '', stderr: expect.stringMatching(/^tessera: cannot read .*x\.elf: /) });
    }
    expect(await tessera('run', absent('x.elf'), '--mem', '3 apples')).toEqual(usageError("--mem must be a size from 4K to 2G in whole 4 KiB pages, got '3 apples'"));
    expect(await tessera('run', absent('x.elf'), '--harts=0')).toEqual(usageError("--harts must be an integer from 1 to 64, got '0'"));
    expect(await tessera('run', absent('x.elf'), '--timeout=-1')).toEqual(usageError("--timeout must be a positive number of seconds, got '-1'"));
    expect(await tessera('run', absent('s.json'), '--mem=64M')).toEqual(usageError('--mem is for ELF guests; a scenario sets it in its file'));
    expect(await tessera('sweep', absent('s.json'), '--repeat=0', '--out', absent('out'))).toEqual(usageError("--repeat must be an integer from 1 to 1000, got '0'"));
  });

  it('takes everything after -- as files, dashes and all', async () => {
    const r = await tessera('validate', '--', '--json');
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr).toMatch(/^--json: /);
    expect(await tessera('run', '--', '-h', 'x')).toEqual(usageError('run takes one file, got 2'));
  });
});
