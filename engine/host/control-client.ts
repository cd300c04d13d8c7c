// The client side of a running system's control socket: find the live run, send one request.

import { readdirSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { asControlResponse, MAX_RESPONSE_BYTES, type ControlRequest, type ControlResponse } from '../system/control-protocol.js';
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

/** A control socket that answered with something other than one response line; the message names it. */
export class ControlAnswerError extends Error {
  override readonly name = 'ControlAnswerError';

  constructor(path: string, what: string) {
    super(`the tessera at ${path} ${what}`);
  }
}

/**
 * Sends one request line and reads the one response line. Rejects with a ControlAnswerError when the
 * answer is missing, truncated, too long or not a response, and with the socket's error when nothing
 * can be reached at `path`.
 */
export function sendControlRequest(path: string, request: ControlRequest): Promise<ControlResponse> {
  return new Promise((resolvePromise, reject) => {
    const socket = createConnection(path);
    let text = '';
    socket.setEncoding('utf8');
    socket.once('connect', () => socket.write(JSON.stringify(request) + '\n'));
    socket.on('data', (chunk: string) => {
      text += chunk;
      if (text.length > MAX_RESPONSE_BYTES) socket.destroy(new ControlAnswerError(path, `sent an answer longer than ${MAX_RESPONSE_BYTES} bytes`));
    });
    socket.once('error', reject);
    socket.once('end', () => {
      socket.destroy();
      try {
        resolvePromise(responseOf(path, text));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  });
}

function responseOf(path: string, text: string): ControlResponse {
  if (text.length === 0) throw new ControlAnswerError(path, 'closed the connection without answering (serving too many clients? try again)');
  if (!text.endsWith('\n')) throw new ControlAnswerError(path, `sent a truncated answer (${Buffer.byteLength(text)} bytes, no end of line)`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ControlAnswerError(path, 'sent an answer that is not JSON');
  }
  const response = asControlResponse(value);
  if (response === undefined) throw new ControlAnswerError(path, 'sent an answer that is not a control response');
  return response;
}
