// `tessera update|wipe|vm` against a scenario that `tessera run` is running, through its control socket.

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin/tessera.js');
const scratch = mkdtempSync(join(tmpdir(), 'tessera-control-'));
const SOCKET = join(scratch, 'control.sock');
const REPORT = join(scratch, 'report.json');
const guest = (name: string) => join(ROOT, `guests/bin/${name}.elf`);

function tessera(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000, stdio: ['ignore', 'pipe', 'pipe'] });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Sends one raw line to the control socket and returns the raw response. */
function raw(line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(SOCKET);
    let text = '';
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(line));
    socket.on('data', (d: string) => { text += d; });
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
}

describe('tessera update, wipe and vm on a running scenario', () => {
  let run: ReturnType<typeof spawn>;
  let stdout = '';
  let stderr = '';
  let exit: Promise<number | null>;

  beforeAll(async () => {
    const scenario = join(scratch, 'service.json');
    writeFileSync(scenario, JSON.stringify({
      name: 'service', cores: 2, memory: '16M', scheduler: { policy: 'fixed-priority' },
      vms: [
        { name: 'caller', guest: guest('ipc-sync-long'), ram: '1M', affinity: [0] },
        { name: 'server', guest: guest('ipc-sync'), ram: '1M', affinity: [1], updatable: true },
        { name: 'spare', guest: guest('spin'), ram: '1M', affinity: [1] },
      ],
      channels: [{ name: 'rpc', size: '4K', endpoints: [{ vm: 'caller', address: '0x90000000', irq: 32 }, { vm: 'server', address: '0x90000000', irq: 32 }] }],
    }));
    run = spawn(process.execPath, [BIN, 'run', scenario, '--control', SOCKET, '--json', REPORT], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    run.stdout!.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    exit = new Promise((resolve) => run.on('exit', (code) => resolve(code)));
    // The run says where it listens once the socket is up.
    await new Promise<void>((resolve, reject) => {
      run.stderr!.setEncoding('utf8').on('data', (d: string) => {
        stderr += d;
        if (stderr.includes(`control socket ${SOCKET}`)) resolve();
      });
      run.on('exit', () => reject(new Error(`tessera run ended early: ${stderr}`)));
    });
  });

  afterAll(async () => {
    run.kill('SIGINT');
    await exit;
  });

  it('updates a VM over the air and reports the switchover', () => {
    const r = tessera('update', 'server', 'guests/bin/ipc-sync-v2.elf', '--control', SOCKET);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^server: updated to .*ipc-sync-v2\.elf, serving from slot b, downtime \d+ cycles \([\d.]+ us\)\n$/);
    expect(r.code).toBe(0);
  });

  it('rolls back a version that faults (exit 1) and refuses bad input with one line (exit 3), changing nothing', () => {
    const faulting = tessera('update', 'server', 'guests/bin/fail.elf', '--control', SOCKET);
    expect([faulting.code, faulting.stderr]).toEqual([1, "tessera: update of 'server' rolled back: the new version faulted before it took over; the old version keeps running\n"]);
    const notElf = tessera('update', 'server', 'README.md', '--control', SOCKET);
    expect(notElf.code).toBe(3);
    expect(notElf.stderr).toMatch(/^tessera: update image .*README\.md: not an ELF file: .*\n$/);
    const unknown = tessera('wipe', 'nobody', '--control', SOCKET);
    expect([unknown.code, unknown.stderr]).toEqual([3, "tessera: no VM named 'nobody' (VMs: caller, server, spare)\n"]);
    const notUpdatable = tessera('update', 'spare', 'guests/bin/ipc-sync-v2.elf', '--control', SOCKET);
    expect(notUpdatable.code).toBe(3);
  });

  it('refuses an image that is not a regular file at once, and serves the next update', () => {
    const fifo = join(scratch, 'fifo.elf');
    execFileSync('mkfifo', [fifo]);
    for (const [file, what] of [[fifo, 'is a FIFO (named pipe), not a regular file'], ['/dev/zero', 'is a character device, not a regular file'], [scratch, 'is a directory']]) {
      expect(tessera('update', 'server', file, '--control', SOCKET)).toMatchObject({ code: 3, stderr: `tessera: cannot read ${file}: ${what}\n` });
    }
    expect(tessera('update', 'server', 'guests/bin/ipc-sync-v2.elf', '--control', SOCKET)).toMatchObject({ code: 0, stdout: expect.stringMatching(/serving from slot a/) });
  });

  it('pauses, resumes and wipes a VM while the others run on', () => {
    expect(tessera('vm', 'pause', 'spare', '--control', SOCKET)).toMatchObject({ code: 0, stdout: 'spare: pause done\n' });
    expect(tessera('vm', 'pause', 'spare', '--control', SOCKET)).toMatchObject({ code: 3, stderr: expect.stringMatching(/^tessera: cannot pause VM 'spare': it is paused\n$/) });
    expect(tessera('vm', 'resume', 'spare', '--control', SOCKET).code).toBe(0);
    expect(tessera('vm', 'stop', 'spare', '--control', SOCKET).code).toBe(0);
    expect(tessera('vm', 'start', 'spare', '--control', SOCKET)).toMatchObject({ code: 0, stdout: 'spare: start done\n' });
    expect(tessera('vm', 'restart', 'spare', '--control', SOCKET).code).toBe(0);
    expect(tessera('wipe', 'spare', '--control', SOCKET)).toMatchObject({ code: 0, stdout: 'spare: wipe done\n' });
  });

  it('answers malformed requests with one line and keeps serving', async () => {
    expect(JSON.parse(await raw('not json\n'))).toEqual({ ok: false, kind: 'bad-request', error: 'the request is not JSON' });
    expect(JSON.parse(await raw('{"command":"update","vm":"server"}\n'))).toMatchObject({ ok: false, error: "'elf' must be the path of the new image" });
    expect(JSON.parse(await raw('{"command":"format","vm":"server"}\n'))).toMatchObject({ ok: false, kind: 'bad-request' });
    expect(JSON.parse(await raw(`${'x'.repeat(9000)}`))).toMatchObject({ ok: false, error: 'request longer than 8192 bytes' });
    expect(tessera('vm', 'pause', 'caller', '--control', SOCKET).code).toBe(0);
    expect(tessera('vm', 'resume', 'caller', '--control', SOCKET).code).toBe(0);
  });

  it('usage errors and a missing run are one line each', () => {
    expect(tessera('update', 'server')).toMatchObject({ code: 2, stderr: "tessera: update takes a VM name and an ELF file (see 'tessera --help')\n" });
    const none = tessera('wipe', 'server', '--control', join(scratch, 'nothing.sock'));
    expect(none.code).toBe(4);
    expect(none.stderr).toMatch(/^tessera: cannot reach a running tessera at .*nothing\.sock: .*\n$/);
  });

  it('the run logs every lifecycle event and still prints its report when interrupted', async () => {
    run.kill('SIGINT');
    expect(await exit).toBe(0);
    expect(stderr).toMatch(/server: update-switched \(now serving from slot b/);
    expect(stderr).toMatch(/server: update-rolled-back \(the new version faulted/);
    // Every event a command caused, in order; the scenario's own start at 0 s is not repeated.
    const spare = stderr.split('\n').filter((l) => / s: spare: /.test(l)).map((l) => l.replace(/^tessera: [\d.]+ s: spare: /, '').replace(/ \(.*\)$/, ''));
    expect(spare).toEqual(['paused', 'resumed', 'stopped', 'started', 'restarted', 'wiped']);
    expect(stderr).not.toMatch(/ s: (caller|server): started/);
    expect(stdout).toMatch(/^server +running /m);
    expect(stdout).toMatch(/^spare +wiped /m);
    expect(stdout).toContain('[server] ipc-sync: server version 2 ready');
    expect(JSON.parse(readFileSync(REPORT, 'utf8')).events).toContainEqual(expect.objectContaining({ vm: 'spare', kind: 'wiped' }));
    expect(existsSync(SOCKET)).toBe(false);
  });
});

describe('tessera run --control', () => {
  const spinner = join(scratch, 'spinner.json');
  writeFileSync(spinner, JSON.stringify({ name: 'spinner', cores: 1, memory: '4M', scheduler: { policy: 'fixed-priority' }, vms: [{ name: 'spin', guest: guest('spin'), ram: '1M' }] }));

  it('refuses a path that is not a socket, leaving the file as it was', () => {
    const precious = join(scratch, 'precious.txt');
    writeFileSync(precious, 'keep me');
    expect(tessera('run', spinner, '--control', precious)).toMatchObject({ code: 3, stdout: '', stderr: `tessera: control socket ${precious}: exists and is not a socket; not removing it\n` });
    expect(readFileSync(precious, 'utf8')).toBe('keep me');
  });

  it('says "no such folder" for a missing folder', () => {
    expect(tessera('run', spinner, '--control', '/nonexistent/x.sock')).toMatchObject({ code: 3, stderr: 'tessera: control socket /nonexistent/x.sock: no such folder /nonexistent\n' });
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`ends cleanly on ${signal}: the report is printed and the socket removed`, async () => {
      const socket = join(scratch, `${signal}.sock`);
      const child = spawn(process.execPath, [BIN, 'run', spinner, '--control', socket], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; });
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      await new Promise<void>((resolve) => {
        let err = '';
        child.stderr.setEncoding('utf8').on('data', (d: string) => {
          err += d;
          if (err.includes(`control socket ${socket}`)) resolve();
        });
      });
      expect(existsSync(socket)).toBe(true);
      child.kill(signal);
      expect(await exited).toBe(0);
      expect(out).toMatch(/^spin +running /m);
      expect(existsSync(socket)).toBe(false);
    });
  }
});
