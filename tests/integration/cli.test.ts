// The `tessera` command as a user runs it: exit codes, one-line errors, UART on stdout.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { guestPath } from './run-guest.js';

const BIN = fileURLToPath(new URL('../../bin/tessera.js', import.meta.url));

function tessera(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function oneLine(text: string): string {
  const lines = text.split('\n').filter((l) => l.length > 0);
  expect(lines).toHaveLength(1);
  return lines[0];
}

const scratch = mkdtempSync(join(tmpdir(), 'tessera-cli-'));

describe('tessera run', () => {
  it('streams the guest UART to stdout and exits with the guest code', () => {
    const r = tessera('run', guestPath('hello'));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('hart 0 of 1');
    expect(r.stderr).toBe('');
  });

  it('exits with the code an HTIF guest reports', () => {
    expect(tessera('run', guestPath('htif-fail')).code).toBe(3);
  });

  it('--help prints the options and exits 0', () => {
    const r = tessera('run', '--help');
    expect(r.code).toBe(0);
    for (const option of ['--harts', '--mem', '--max-instructions', '--timeout']) expect(r.stdout).toContain(option);
  });

  it('an unknown flag is a one-line usage error with exit code 2', () => {
    const r = tessera('run', guestPath('hello'), '--frobnicate');
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toBe("tessera: unknown option --frobnicate (see 'tessera --help')");
  });

  it('a bad --harts or --mem value names the option', () => {
    expect(oneLine(tessera('run', guestPath('hello'), '--harts', 'many').stderr)).toMatch(/^tessera: --harts must be an integer/);
    expect(oneLine(tessera('run', guestPath('hello'), '--mem', '3 apples').stderr)).toMatch(/^tessera: --mem must be a size/);
  });

  it('a missing file, a text file and a truncated ELF each give one line and exit code 3', () => {
    const text = join(scratch, 'notes.txt');
    writeFileSync(text, 'hello\n');
    const truncated = join(scratch, 'truncated.elf');
    writeFileSync(truncated, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1]));
    for (const file of [join(scratch, 'absent.elf'), text, truncated]) {
      const r = tessera('run', file);
      expect(r.code).toBe(3);
      expect(oneLine(r.stderr)).toMatch(/^tessera: /);
    }
  });

  it('a FIFO, a character device, a directory or a socket is refused at once: one line, exit 3', async () => {
    const fifo = join(scratch, 'fifo.elf');
    execFileSync('mkfifo', [fifo]);
    const folder = join(scratch, 'folder.elf');
    mkdirSync(folder);
    const socket = join(scratch, 'socket.elf');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    try {
      for (const [file, what] of [[fifo, 'is a FIFO (named pipe), not a regular file'], ['/dev/zero', 'is a character device, not a regular file'], [folder, 'is a directory'], [socket, 'is a socket, not a regular file']]) {
        // Well before the --timeout: these files are refused, not read.
        const r = spawnSync(process.execPath, [BIN, 'run', file, '--timeout', '30'], { encoding: 'utf8', timeout: 20_000, stdio: ['ignore', 'pipe', 'pipe'] });
        expect([r.status, r.stderr]).toEqual([3, `tessera: cannot read ${file}: ${what}\n`]);
      }
    } finally {
      server.close();
    }
  });

  it('a 64-bit ELF is refused', () => {
    const elf64 = join(scratch, 'x64.elf');
    const header = Buffer.alloc(64);
    header.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
    writeFileSync(elf64, header);
    const r = tessera('run', elf64);
    expect(r.code).toBe(3);
    expect(oneLine(r.stderr)).toMatch(/64-bit/);
  });

  it('a trap loop ends with one line and exit code 125', () => {
    const r = tessera('run', guestPath('trap-loop'));
    expect(r.code).toBe(125);
    expect(oneLine(r.stderr)).toMatch(/^tessera: hart 0: trap loop: illegal instruction/);
  });

  it('a guest that never ends stops at --max-instructions or --timeout with exit code 124', () => {
    const limited = tessera('run', guestPath('spin'), '--max-instructions', '1000000');
    expect(limited.code).toBe(124);
    expect(oneLine(limited.stderr)).toBe('tessera: hart 0: stopped at the instruction limit (1000000 instructions)');
    const timed = tessera('run', guestPath('spin'), '--timeout', '0.5');
    expect(timed.code).toBe(124);
    expect(oneLine(timed.stderr)).toBe('tessera: timeout after 0.5 s');
  });

  it('an unknown command is a usage error', () => {
    const r = tessera('fly');
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toBe("tessera: unknown command 'fly' (see 'tessera --help')");
  });
});
