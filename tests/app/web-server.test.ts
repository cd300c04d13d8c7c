// The browser-mode server end to end over real sockets, with a stand-in engine host: static files,
// the token and origin checks, and bad messages answered without disturbing anything.

import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { PushMessage, ResponseMessage } from '../../app/shared/protocol.js';
import { startWebServer, type ProtocolHandler, type RunningWebServer } from '../../app/web/web-server.js';

const TOKEN = 'test-token';

class StubHost implements ProtocolHandler {
  readonly received: unknown[] = [];
  private readonly listeners = new Set<(message: PushMessage) => void>();

  async handleMessage(message: unknown): Promise<ResponseMessage> {
    this.received.push(message);
    return { id: (message as { id: number }).id, ok: true, result: 'pong' };
  }

  onPush(listener: (message: PushMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  push(message: PushMessage): void {
    for (const listener of this.listeners) listener(message);
  }
}

let base: string;
let staticDir: string;
let server: RunningWebServer;
let host: StubHost;

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'tessera-web-'));
  staticDir = join(base, 'renderer');
  await mkdir(join(staticDir, 'assets'), { recursive: true });
  await writeFile(join(staticDir, 'index.html'), '<!doctype html><title>monitor</title>');
  await writeFile(join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(join(base, 'tessera-secret.json'), '{}');
  host = new StubHost();
  server = await startWebServer({ handler: host, staticDir, port: 0, token: TOKEN });
});

afterEach(async () => {
  await server.close();
  await rm(base, { recursive: true, force: true });
});

function get(path: string, host = `127.0.0.1:${server.port}`): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: server.port, path, headers: { Host: host } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens a socket; resolves with it, or with the HTTP status the server refused it with. */
function connect(query: string, headers: Record<string, string> = { Origin: `http://127.0.0.1:${server.port}` }): Promise<WebSocket | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api${query}`, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', () => resolve(-1));
  });
}

function nextMessage(ws: WebSocket): Promise<Record<string, unknown>> {
  // A Buffer: the socket's binaryType is 'nodebuffer', the default.
  return new Promise((resolve) => ws.once('message', (data) => resolve(JSON.parse((data as Buffer).toString('utf8')))));
}

describe('the browser-mode server', () => {
  it('listens on 127.0.0.1 only and prints a URL whose fragment carries the token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/#token=${TOKEN}`);
  });

  it('serves the renderer with a Content-Security-Policy, and nothing outside its folder', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>monitor</title>');
    expect(page.headers['content-security-policy']).toContain(`connect-src 'self' ws://127.0.0.1:${server.port}`);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect((await get('/assets/app.js')).headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await get('/../tessera-secret.json')).status).toBe(404);
    expect((await get('/%2e%2e/tessera-secret.json')).status).toBe(404);
    expect((await get('/assets/%00.js')).status).toBe(404);
    expect((await get('/', `evil.example:${server.port}`)).status).toBe(421);
  });

  it('refuses sockets without the token, from other origins, or for another Host', async () => {
    expect(await connect('')).toBe(403);
    expect(await connect('?token=wrong')).toBe(403);
    expect(await connect(`?token=${TOKEN}`, { Origin: 'http://evil.example' })).toBe(403);
    expect(await connect(`?token=${TOKEN}`, { Origin: `http://127.0.0.1:${server.port}`, Host: `rebind.example:${server.port}` })).toBe(403);
    expect(host.received).toEqual([]);
  });

  it('answers bad messages with an error and keeps serving the connection', async () => {
    const ws = await connect(`?token=${TOKEN}`);
    if (typeof ws === 'number') throw new Error(`refused: ${ws}`);
    ws.send('not json');
    expect(await nextMessage(ws)).toEqual({ id: 0, ok: false, error: 'message is not valid JSON' });
    ws.send(Buffer.from([1, 2, 3]), { binary: true });
    expect(await nextMessage(ws)).toEqual({ id: 0, ok: false, error: 'binary messages are not part of the protocol' });
    ws.send(JSON.stringify({ id: 5, method: 'vmCommand', params: { vm: 'rtos', command: 'explode' } }));
    expect(await nextMessage(ws)).toMatchObject({ id: 5, ok: false });
    expect(host.received).toEqual([]);
    ws.send(JSON.stringify({ id: 6, method: 'hello' }));
    expect(await nextMessage(ws)).toEqual({ id: 6, ok: true, result: 'pong' });
    expect(host.received).toEqual([{ id: 6, method: 'hello', params: {} }]);
    ws.close();
  });

  it('closes a connection whose message exceeds the size limit, and serves new ones', async () => {
    const ws = await connect(`?token=${TOKEN}`);
    if (typeof ws === 'number') throw new Error(`refused: ${ws}`);
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send('x'.repeat(70 * 1024));
    expect(await closed).toBe(1009);
    expect(typeof (await connect(`?token=${TOKEN}`))).toBe('object');
  });

  it('pushes the host\'s messages to every client', async () => {
    const a = await connect(`?token=${TOKEN}`);
    const b = await connect(`?token=${TOKEN}`, {});
    if (typeof a === 'number' || typeof b === 'number') throw new Error('refused');
    const [ma, mb] = [nextMessage(a), nextMessage(b)];
    host.push({ push: 'status', data: { state: 'running', failedVms: [] } });
    expect(await ma).toEqual({ push: 'status', data: { state: 'running', failedVms: [] } });
    expect(await mb).toEqual({ push: 'status', data: { state: 'running', failedVms: [] } });
    a.close();
    b.close();
  });
});
