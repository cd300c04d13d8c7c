// The control socket's server and client against a stand-in system: what it may remove, idle and
// excess connections, and answers a client cannot use.

import { spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sendControlRequest } from '../../../engine/host/control-client.js';
import { claimControlPath, startControlServer, type ControlServer, type ControlTarget } from '../../../engine/host/control-server.js';

const scratch = mkdtempSync(join(tmpdir(), 'tessera-control-unit-'));
let count = 0;
const fresh = () => join(scratch, `c${++count}.sock`);
const cleanup: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const undo of cleanup.splice(0).reverse()) await undo();
});

/** A system whose commands finish at once and whose updates finish when the test says. */
function standIn() {
  const updates: { vm: string; elf: string; finish: () => void }[] = [];
  let arrived: () => void = () => undefined;
  const target: ControlTarget = {
    command: async () => undefined,
    update: (vm, elf) => new Promise((resolve) => {
      updates.push({ vm, elf, finish: () => resolve({ vm, slot: 'b', switchedAt: 0, bootCycles: 0, downtimeCycles: 0, downtimeMicroseconds: 0, unservedChannels: [] }) });
      arrived();
    }),
  };
  const nextUpdate = () => new Promise<void>((resolve) => { arrived = resolve; });
  return { target, updates, nextUpdate };
}

async function serve(target: ControlTarget, options: { idleMs?: number; maxClients?: number } = {}): Promise<ControlServer> {
  const server = await startControlServer(target, await claimControlPath(fresh(), false), options);
  cleanup.push(() => server.close());
  return server;
}

/** A raw connection: what it was sent, and a promise of everything until the server closed it. */
function open(path: string): Promise<{ socket: Socket; text: () => string; closed: Promise<string> }> {
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => { text += d; });
    const closed = new Promise<string>((done) => socket.on('close', () => done(text)));
    socket.once('connect', () => resolve({ socket, text: () => text, closed }));
    socket.once('error', reject);
    cleanup.push(() => { socket.destroy(); });
  });
}

/** A server that answers every connection with `answer` and then closes it. */
async function fakeRun(answer: string): Promise<string> {
  const path = fresh();
  const server: Server = createServer((socket) => socket.resume().end(answer));
  await new Promise<void>((resolve) => server.listen(path, resolve));
  cleanup.push(() => new Promise((resolve) => server.close(() => resolve())));
  return path;
}

describe('claimControlPath', () => {
  it('never removes a file that is not a socket', async () => {
    const precious = join(scratch, 'precious.txt');
    writeFileSync(precious, 'keep me');
    await expect(claimControlPath(precious, false)).rejects.toThrow(`control socket ${precious}: exists and is not a socket; not removing it`);
    // At the default path, the run takes another name instead.
    const squatted = join(scratch, 'tessera-squatted.sock');
    writeFileSync(squatted, 'keep me');
    expect(await claimControlPath(squatted, true)).toBe(join(scratch, `tessera-squatted-${process.pid}.sock`));
    expect(readFileSync(precious, 'utf8')).toBe('keep me');
    expect(readFileSync(squatted, 'utf8')).toBe('keep me');
  });

  it('says "no such folder" for a socket in a missing folder', async () => {
    await expect(claimControlPath('/nonexistent/x.sock', false)).rejects.toThrow('control socket /nonexistent/x.sock: no such folder /nonexistent');
  });

  it('replaces a stale socket nobody answers on, and refuses a live one', async () => {
    // A run killed without cleaning up: the file stays, nothing listens.
    const stale = fresh();
    const killed = spawn(process.execPath, ['-e', "require('node:net').createServer().listen(process.argv[1], () => console.log('up'))", stale], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise((resolve) => killed.stdout.once('data', resolve));
    killed.kill('SIGKILL');
    await new Promise((resolve) => killed.once('exit', resolve));
    expect(lstatSync(stale).isSocket()).toBe(true);
    expect(await claimControlPath(stale, false)).toBe(stale);
    expect(existsSync(stale)).toBe(false);

    const live = await serve(standIn().target);
    await expect(claimControlPath(live.path, false)).rejects.toThrow(`control socket ${live.path}: another tessera run is listening on it`);
    expect(await claimControlPath(live.path, true)).toBe(live.path.replace(/\.sock$/, `-${process.pid}.sock`));
  });

  it('refuses a path too long for a Unix socket instead of letting it be cut short', async () => {
    const long = join(scratch, `${'x'.repeat(120)}.sock`);
    await expect(claimControlPath(long, false)).rejects.toThrow(/too long for a Unix socket/);
  });
});

describe('the control server', () => {
  it('closes an idle connection with a one-line JSON error', async () => {
    const server = await serve(standIn().target, { idleMs: 50 });
    const idle = await open(server.path);
    expect(JSON.parse(await idle.closed)).toEqual({ ok: false, kind: 'bad-request', error: 'no complete request within 0.05 s' });
  });

  it('does not cut a request that takes longer than the idle timeout', async () => {
    const system = standIn();
    const server = await serve(system.target, { idleMs: 50 });
    const arrived = system.nextUpdate();
    const updating = await open(server.path);
    updating.socket.write('{"command":"update","vm":"pin","elf":"/x.elf"}\n');
    await arrived;
    // A connection opened after the update began times out after the update's own timer would have.
    const later = await open(server.path);
    expect(JSON.parse(await later.closed)).toMatchObject({ ok: false, kind: 'bad-request' });
    expect(updating.text()).toBe('');
    system.updates[0].finish();
    expect(JSON.parse(await updating.closed)).toMatchObject({ ok: true, message: expect.stringMatching(/^pin: updated to \/x\.elf/) });
  });

  it('answers a client that half-closed after its request (nc -N), however long the command takes', async () => {
    const system = standIn();
    const server = await serve(system.target);
    const arrived = system.nextUpdate();
    const client = await open(server.path);
    client.socket.end('{"command":"update","vm":"pin","elf":"/x.elf"}\n');
    await arrived;
    system.updates[0].finish();
    expect(JSON.parse(await client.closed)).toMatchObject({ ok: true, message: expect.stringMatching(/^pin: updated to \/x\.elf/) });
  });

  it('takes what a client sent before half-closing as its request, newline or not, and answers at once', async () => {
    const server = await serve(standIn().target, { idleMs: 60_000 });
    const unterminated = await open(server.path);
    unterminated.socket.end('{"command":"pause","vm":"pin"}');
    expect(JSON.parse(await unterminated.closed)).toEqual({ ok: true, message: 'pin: pause done' });
    const garbled = await open(server.path);
    garbled.socket.end('{"command":');
    expect(JSON.parse(await garbled.closed)).toMatchObject({ ok: false, kind: 'bad-request' });
    const silent = await open(server.path);
    silent.socket.end();
    expect(await silent.closed).toBe('');
  });

  it('refuses a client over the cap with one line, and serves again once one has gone', async () => {
    const server = await serve(standIn().target, { maxClients: 3 });
    const held = [await open(server.path), await open(server.path), await open(server.path)];
    const extra = await open(server.path);
    expect(JSON.parse(await extra.closed)).toEqual({ ok: false, kind: 'busy', error: 'the control socket serves at most 3 clients at a time; try again' });
    held[0].socket.destroy();
    await held[0].closed;
    // The server notices the close on its own side too; a request then goes through.
    let response;
    do response = await sendControlRequest(server.path, { command: 'pause', vm: 'pin' });
    while (!response.ok);
    expect(response).toEqual({ ok: true, message: 'pin: pause done' });
  });

  it('answers a client still waiting when the run ends, and removes the socket', async () => {
    const system = standIn();
    const server = await serve(system.target);
    const arrived = system.nextUpdate();
    const waiting = await open(server.path);
    waiting.socket.write('{"command":"update","vm":"pin","elf":"/x.elf"}\n');
    await arrived;
    const idle = await open(server.path);
    await server.close();
    expect(existsSync(server.path)).toBe(false);
    expect(JSON.parse(await waiting.closed)).toEqual({ ok: false, kind: 'refused', error: 'the run ended before the request was done' });
    expect(JSON.parse(await idle.closed)).toEqual({ ok: false, kind: 'refused', error: 'the run ended before the request was done' });
  });
});

describe('sendControlRequest', () => {
  it('says in one line naming the socket when the answer is not JSON, truncated or missing', async () => {
    const request = { command: 'pause', vm: 'pin' } as const;
    const notJson = await fakeRun('hello\n');
    await expect(sendControlRequest(notJson, request)).rejects.toThrow(`the tessera at ${notJson} sent an answer that is not JSON`);
    const truncated = await fakeRun('{"ok":true,"mess');
    await expect(sendControlRequest(truncated, request)).rejects.toThrow(`the tessera at ${truncated} sent a truncated answer (16 bytes, no end of line)`);
    const silent = await fakeRun('');
    await expect(sendControlRequest(silent, request)).rejects.toThrow(`the tessera at ${silent} closed the connection without answering (serving too many clients? try again)`);
    const odd = await fakeRun('{"ok":"yes"}\n');
    await expect(sendControlRequest(odd, request)).rejects.toThrow(`the tessera at ${odd} sent an answer that is not a control response`);
  });
});
