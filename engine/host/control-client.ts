// The client side of a running system's control socket: find the live run, send one request.

import { readdirSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { MAX_REQUEST_BYTES, type ControlRequest, type ControlResponse } from './control-protocol.js';
import { socketIsLive } from './control-server.js';

/** Where runs put their default control sockets. */
export function controlFolder(): string {
  return tmpdir();
}

/** `path` made absolute against this process's working directory. */
export function absolutePath(path: string): string {
  return resolve(path);
}

/** The control socket of the one live `tessera run`, or why there is not exactly one. */
export async function findRunningSystem(): Promise<string | { error: string }> {
  const dir = controlFolder();
  const candidates = readdirSync(dir).filter((f) => /^tessera-.+\.sock$/.test(f)).map((f) => join(dir, f));
  const live: string[] = [];
  for (const path of candidates) if (await socketIsLive(path)) live.push(path);
  if (live.length === 1) return live[0];
  if (live.length === 0) return { error: "no running tessera found (start one with 'tessera run SCENARIO.json', or pass --control SOCKET)" };
  return { error: `several tessera runs are live; pass --control with one of: ${live.join(', ')}` };
}

export function sendControlRequest(path: string, request: ControlRequest): Promise<ControlResponse> {
  return new Promise((resolvePromise, reject) => {
    const socket = createConnection(path);
    let text = '';
    socket.setEncoding('utf8');
    socket.once('connect', () => socket.write(JSON.stringify(request) + '\n'));
    socket.on('data', (chunk: string) => {
      text += chunk;
      if (text.length > MAX_REQUEST_BYTES * 4) socket.destroy(new Error('response too long'));
    });
    socket.once('error', reject);
    socket.once('end', () => {
      try {
        resolvePromise(JSON.parse(text) as ControlResponse);
      } catch {
        reject(new Error('the response is not JSON'));
      }
    });
  });
}
