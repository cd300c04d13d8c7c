// Serves a running system's control socket (a Unix socket): update, wipe and lifecycle commands
// from `tessera update|wipe|vm` in another terminal. One bad client never disturbs the system: a
// connection that sends no complete request is closed after a few seconds, and clients over a cap
// are turned away with one line, so held connections cannot lock anyone out for long.

import { lstat, stat, unlink } from 'node:fs/promises';
import { unlinkSync } from 'node:fs';
import { createConnection, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileErrorReason, GuestFileError } from './guest-file.js';
import { describeDowntime, UpdateError } from '../system/over-the-air.js';
import { LifecycleError, type System } from './system.js';
import { MAX_REQUEST_BYTES, parseControlRequest, type ControlResponse } from '../system/control-protocol.js';

/** How long a connection may take to send its request line. */
export const IDLE_TIMEOUT_MS = 5000;
/** Connections served at once; more are answered `busy` and closed. */
export const MAX_CLIENTS = 32;
/** Longest socket path the kernel takes whole (sun_path, less its NUL); a longer one would be cut short. */
const MAX_SOCKET_PATH_BYTES = process.platform === 'linux' ? 107 : 103;

/** What the control socket drives: the system's update and lifecycle commands. */
export type ControlTarget = Pick<System, 'update' | 'command'>;

export class ControlSocketError extends Error {
  override readonly name = 'ControlSocketError';

  constructor(path: string, reason: string) {
    super(`control socket ${path}: ${reason}`);
  }
}

/** The socket path `tessera run` uses for a scenario unless --control names one. */
export function defaultControlPath(scenario: string): string {
  return join(tmpdir(), `tessera-${scenario}.sock`);
}

/** Whether something answers on `path` (a live run), as opposed to a stale file or nothing. */
export async function socketIsLive(path: string): Promise<boolean> {
  return (await probe(path)) === 'live';
}

/** 'live' when something accepts a connection, 'stale' when a socket file has no listener, else why not. */
function probe(path: string): Promise<'live' | 'stale' | { error: unknown }> {
  return new Promise((resolvePromise) => {
    const socket = createConnection(path);
    socket.once('connect', () => { socket.destroy(); resolvePromise('live'); });
    socket.once('error', (error: NodeJS.ErrnoException) => resolvePromise(error.code === 'ECONNREFUSED' ? 'stale' : { error }));
  });
}

/**
 * The path to listen on. A stale socket (a socket file nobody answers on, left by a run that was
 * killed) is removed; anything else that exists there is refused, never removed. When `path` is the
 * default and is taken (another run is live on it, or it is not a socket), this run takes a name
 * with its process id instead.
 */
export async function claimControlPath(path: string, isDefault: boolean): Promise<string> {
  const bytes = Buffer.byteLength(path);
  if (bytes > MAX_SOCKET_PATH_BYTES) throw new ControlSocketError(path, `too long for a Unix socket (${bytes} bytes, at most ${MAX_SOCKET_PATH_BYTES})`);
  const folder = dirname(resolve(path));
  try {
    if (!(await stat(folder)).isDirectory()) throw new ControlSocketError(path, `${folder} is not a folder`);
  } catch (error) {
    if (error instanceof ControlSocketError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new ControlSocketError(path, code === 'ENOENT' ? `no such folder ${folder}` : `folder ${folder}: ${fileErrorReason(error)}`);
  }
  let existing;
  try {
    existing = await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return path;
    throw new ControlSocketError(path, fileErrorReason(error));
  }
  const state = existing.isSocket() ? await probe(path) : undefined;
  if (state === 'stale') {
    await unlink(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw new ControlSocketError(path, `cannot remove the stale socket: ${fileErrorReason(error)}`);
    });
    return path;
  }
  // Taken: the default name steps aside; a name the user gave is refused.
  if (isDefault) return claimControlPath(path.replace(/\.sock$/, `-${process.pid}.sock`), false);
  if (state === undefined) throw new ControlSocketError(path, 'exists and is not a socket; not removing it');
  if (state === 'live') throw new ControlSocketError(path, 'another tessera run is listening on it');
  throw new ControlSocketError(path, `cannot tell whether a run still uses it: ${fileErrorReason(state.error)}`);
}

export interface ControlServerOptions {
  idleMs?: number;
  maxClients?: number;
}

export interface ControlServer {
  path: string;
  /** Stops listening, answers every connection still open, and removes the socket file. */
  close(): Promise<void>;
  /** Removes the socket file now, for a process about to die of a signal. */
  removeSocket(): void;
}

/** Listens on `path` (claimed by claimControlPath) and serves one request per connection. */
export async function startControlServer(system: ControlTarget, path: string, options: ControlServerOptions = {}): Promise<ControlServer> {
  const idleMs = options.idleMs ?? IDLE_TIMEOUT_MS;
  const maxClients = options.maxClients ?? MAX_CLIENTS;
  const open = new Set<Connection>();
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    const connection = new Connection(socket, idleMs);
    open.add(connection);
    socket.once('close', () => open.delete(connection));
    if (open.size > maxClients) connection.finish({ ok: false, kind: 'busy', error: `the control socket serves at most ${maxClients} clients at a time; try again` });
    else connection.serve(system);
  });
  // Turning a client away costs a line and a descriptor for a moment; past this many connections at
  // once (a flood), Node drops them unanswered, and the client says so.
  server.maxConnections = 8 * maxClients;
  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(path, () => { server.off('error', reject); resolvePromise(); });
  }).catch((error: unknown) => {
    throw new ControlSocketError(path, fileErrorReason(error));
  });
  let removed = false;
  const removeSocket = () => {
    if (removed) return;
    removed = true;
    try { unlinkSync(path); } catch { /* already gone */ }
  };
  return {
    path,
    removeSocket,
    close: () => {
      const closed = new Promise<void>((resolvePromise) => server.close(() => resolvePromise()));
      removeSocket();
      for (const connection of open) connection.finish({ ok: false, kind: 'refused', error: 'the run ended before the request was done' }, true);
      return closed;
    },
  };
}

/** One client: reading its request line, the request being handled, or answered. */
class Connection {
  private state: 'reading' | 'handling' | 'answered' = 'reading';
  private buffer = '';

  constructor(private readonly socket: Socket, private readonly idleMs: number) {
    socket.setEncoding('utf8');
    socket.on('error', () => socket.destroy());
    socket.setTimeout(idleMs);
    socket.on('timeout', () => {
      // Reading: the client sent no complete request in time. Answered: it never closed its end.
      if (this.state === 'reading') this.finish({ ok: false, kind: 'bad-request', error: `no complete request within ${idleMs / 1000} s` });
      else socket.destroy();
    });
  }

  serve(system: ControlTarget): void {
    this.socket.on('data', (chunk: string) => {
      if (this.state !== 'reading') return;
      this.buffer += chunk;
      const end = this.buffer.indexOf('\n');
      if (end < 0 ? this.buffer.length > MAX_REQUEST_BYTES : end > MAX_REQUEST_BYTES) {
        this.finish({ ok: false, kind: 'bad-request', error: `request longer than ${MAX_REQUEST_BYTES} bytes` });
        return;
      }
      if (end >= 0) this.handle(system, this.buffer.slice(0, end));
    });
    // A client that half-closes (printf '{...}' | nc -N) has said all it will: what it sent is the
    // request, newline or not; nothing at all gets no answer.
    this.socket.on('end', () => {
      if (this.state !== 'reading') return;
      if (this.buffer.length > 0) this.handle(system, this.buffer);
      else this.finish(undefined);
    });
  }

  private handle(system: ControlTarget, line: string): void {
    // A request may take long (an update waits for the new version): no idle timeout meanwhile.
    this.state = 'handling';
    this.socket.setTimeout(0);
    this.socket.pause();
    void handle(system, line).then((response) => this.finish(response));
  }

  /** Sends the one answer (none: there was no request) and ends the connection; `closing`: the server is going away. */
  finish(response: ControlResponse | undefined, closing = false): void {
    const socket = this.socket;
    if (this.state !== 'answered') {
      this.state = 'answered';
      // Whatever else the client sends is read and ignored: unread input would make the close a reset.
      socket.resume();
      // The answer is one line; a client that never reads it or never closes is cut at the next timeout.
      if (socket.writable) socket.end(response === undefined ? '' : JSON.stringify(response) + '\n');
      socket.setTimeout(this.idleMs);
    }
    if (closing) {
      if (socket.writableEnded && !socket.writableFinished) socket.once('finish', () => socket.destroy());
      else socket.destroy();
    }
  }
}

async function handle(system: ControlTarget, line: string): Promise<ControlResponse> {
  const request = parseControlRequest(line);
  if (typeof request === 'string') return { ok: false, kind: 'bad-request', error: request };
  try {
    if (request.command === 'update') {
      const report = await system.update(request.vm, request.elf);
      return { ok: true, message: `${request.vm}: updated to ${request.elf}, serving from slot ${report.slot}, ${describeDowntime(report)}`, report };
    }
    await system.command(request.vm, request.command);
    return { ok: true, message: `${request.vm}: ${request.command} done` };
  } catch (error) {
    if (error instanceof UpdateError && error.rolledBack) return { ok: false, kind: 'rolled-back', error: error.message };
    if (error instanceof LifecycleError || error instanceof UpdateError || error instanceof GuestFileError) return { ok: false, kind: 'refused', error: error.message };
    return { ok: false, kind: 'refused', error: `internal error: ${(error as Error).message.split('\n', 1)[0]}` };
  }
}
