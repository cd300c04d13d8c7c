// Serves a running system's control socket (a Unix socket): update, wipe and lifecycle commands
// from `tessera update|wipe|vm` in another terminal. One bad client never disturbs the system.

import { existsSync, unlinkSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GuestFileError } from './guest-file.js';
import { UpdateError } from './over-the-air.js';
import { LifecycleError, type System } from './system.js';
import { MAX_REQUEST_BYTES, parseControlRequest, type ControlResponse } from './control-protocol.js';

/** The socket path `tessera run` uses for a scenario unless --control names one. */
export function defaultControlPath(scenario: string): string {
  return join(tmpdir(), `tessera-${scenario}.sock`);
}

/** Whether something answers on `path` (a live run), as opposed to a stale file or nothing. */
export function socketIsLive(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection(path);
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

export interface ControlServer {
  path: string;
  close(): Promise<void>;
}

/**
 * Listens on `path`; a stale socket file left by a crashed run is replaced. When `path` is the
 * default and another run is live on it, falls back to a name with this process's id.
 */
export async function startControlServer(system: System, path: string, isDefault: boolean): Promise<ControlServer> {
  if (existsSync(path)) {
    if (await socketIsLive(path)) {
      if (!isDefault) throw new Error(`another tessera run is listening on ${path}`);
      path = path.replace(/\.sock$/, `-${process.pid}.sock`);
    } else {
      unlinkSync(path);
    }
  }
  const server = createServer((socket) => serve(system, socket));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => { server.off('error', reject); resolve(); });
  });
  return { path, close: () => closeServer(server, path) };
}

function closeServer(server: Server, path: string): Promise<void> {
  return new Promise((resolve) => server.close(() => {
    try { unlinkSync(path); } catch { /* already gone */ }
    resolve();
  }));
}

function serve(system: System, socket: Socket): void {
  let buffer = '';
  socket.setEncoding('utf8');
  socket.on('error', () => socket.destroy());
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    if (buffer.length > MAX_REQUEST_BYTES) {
      reply(socket, { ok: false, kind: 'bad-request', error: `request longer than ${MAX_REQUEST_BYTES} bytes` });
      return;
    }
    const end = buffer.indexOf('\n');
    if (end < 0) return;
    const line = buffer.slice(0, end);
    buffer = '';
    socket.pause();
    void handle(system, line).then((response) => reply(socket, response));
  });
}

function reply(socket: Socket, response: ControlResponse): void {
  socket.end(JSON.stringify(response) + '\n');
}

async function handle(system: System, line: string): Promise<ControlResponse> {
  const request = parseControlRequest(line);
  if (typeof request === 'string') return { ok: false, kind: 'bad-request', error: request };
  try {
    if (request.command === 'update') {
      const report = await system.update(request.vm, request.elf);
      return { ok: true, message: `${request.vm}: updated to ${request.elf}, serving from slot ${report.slot}, downtime ${report.downtimeCycles} cycles (${report.downtimeMicroseconds.toFixed(2)} us)`, report };
    }
    await system.command(request.vm, request.command);
    return { ok: true, message: `${request.vm}: ${request.command} done` };
  } catch (error) {
    if (error instanceof UpdateError && error.rolledBack) return { ok: false, kind: 'rolled-back', error: error.message };
    if (error instanceof LifecycleError || error instanceof UpdateError || error instanceof GuestFileError) return { ok: false, kind: 'refused', error: error.message };
    return { ok: false, kind: 'refused', error: `internal error: ${(error as Error).message.split('\n', 1)[0]}` };
  }
}
