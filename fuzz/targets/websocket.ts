// Target `websocket`: malformed monitor-protocol messages through the protocol's validator and
// the upgrade guard in-process, and one in WEBSOCKET_EVERY over a real WebSocket, with this run's
// token, to app/web's server in front of a monitor host.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { MonitorHost } from '../../app/host/monitor-host.js';
import { METHODS, parseRequest, parseRequestText, MAX_MESSAGE_BYTES, type ParsedRequest } from '../../app/shared/protocol.js';
import { refuseUpgrade } from '../../app/web/access-guard.js';
import { startWebServer, type RunningWebServer } from '../../app/web/web-server.js';
import { mutateBytes } from '../mutate/bytes.js';
import { mutateMessage } from '../mutate/lines.js';
import type { Rng } from '../prng.js';
import { crash, notOneLine, type Executor, type FuzzInput, type Problem, type TargetContext, type TargetFactory } from '../target.js';
import { writeFuzzScenario } from './fuzz-system.js';

const WEBSOCKET_EVERY = 50;
const ANSWER_MS = 30_000;
const TOKEN = 'fuzz-token-0123456789abcdefghijklmn';
const PORT = 40_123;

const SEEDS = [
  { id: 1, method: 'hello' }, { id: 2, method: 'openScenario', params: { path: 'fuzz.json' } }, { id: 3, method: 'startSystem', params: {} },
  { id: 4, method: 'stopSystem' }, { id: 5, method: 'vmCommand', params: { vm: 'fuzz', command: 'pause' } },
  { id: 6, method: 'vmCommand', params: { vm: 'neighbour', command: 'wipe' } }, { id: 7, method: 'updateVm', params: { vm: 'fuzz', elfPath: 'stub.elf' } },
  { id: 8, method: 'exportData', params: { format: 'csv' } }, { id: 9, method: 'pickFile', params: { kind: 'elf' } },
].map((m) => JSON.stringify(m));

/** Outcomes of a frame other than an answer. */
const TIMEOUT = Symbol('timeout');
const CLOSED = Symbol('closed');

export const websocketTarget: TargetFactory = {
  name: 'websocket',
  description: "malformed monitor-protocol messages and upgrade requests: the validator and guard in-process, and a sample over app/web's WebSocket",
  hangSeconds: 60,
  inputs: () => ({ generate: generateMessage }),
  open: (context) => Promise.resolve(new WebSocketExecutor(context)),
};

function generateMessage(rng: Rng, execution: number): FuzzInput {
  if (execution % WEBSOCKET_EVERY === 0) {
    const binary = rng.chance(0.05);
    return { bytes: mutateMessage(rng, SEEDS), ext: 'txt', note: `websocket: one ${binary ? 'binary' : 'text'} frame to app/web's server (root: a folder with fuzz.json)` };
  }
  if (rng.chance(0.2)) {
    const good = `GET /api?token=${TOKEN}\nHost: 127.0.0.1:${PORT}\nOrigin: http://127.0.0.1:${PORT}`;
    return { bytes: mutateBytes(rng, Buffer.from(good), Buffer.from(`GET /?x=1&token=&token=${TOKEN.slice(0, 9)}\nHost: localhost:${PORT}\nOrigin: null`)), ext: 'txt', note: 'upgrade: the request line, Host and Origin to refuseUpgrade' };
  }
  return { bytes: mutateMessage(rng, SEEDS), ext: 'txt', note: 'in-process: the text to parseRequestText' };
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function isUtf8(bytes: Uint8Array): boolean {
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** A text frame, as the server's parser would read it. */
function text(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('utf8');
}

class WebSocketExecutor implements Executor {
  private host: MonitorHost | undefined;
  private server: RunningWebServer | undefined;
  private client: WebSocket | undefined;
  private readonly hostLog: string[] = [];
  private readonly root: string;

  constructor(context: TargetContext) {
    this.root = join(context.scratch, 'monitor');
    mkdirSync(join(this.root, 'static'), { recursive: true });
    writeFuzzScenario(this.root);
  }

  async execute(input: FuzzInput): Promise<Problem[]> {
    if (input.note?.startsWith('upgrade')) return checkUpgrade(text(input.bytes));
    if (input.note?.startsWith('websocket')) return this.overWebSocket(input.bytes, input.note.includes('binary'));
    return checkParse(text(input.bytes));
  }

  private async overWebSocket(bytes: Uint8Array, binary: boolean): Promise<Problem[]> {
    const client = await this.connect();
    const answer = await new Promise<string | typeof TIMEOUT | typeof CLOSED>((resolve) => {
      const timer = setTimeout(() => done(TIMEOUT), ANSWER_MS);
      const onMessage = (data: Buffer) => {
        const message = data.toString('utf8');
        if (!message.startsWith('{"push"')) done(message);
      };
      const onClose = () => done(CLOSED);
      const done = (result: string | typeof TIMEOUT | typeof CLOSED) => {
        clearTimeout(timer);
        client.off('message', onMessage);
        client.off('close', onClose);
        resolve(result);
      };
      client.on('message', onMessage);
      client.on('close', onClose);
      client.send(bytes, { binary });
    });
    const problems: Problem[] = [];
    if (answer === TIMEOUT) problems.push({ kind: 'hang', summary: `no answer on the WebSocket within ${ANSWER_MS / 1000} s${await this.stillness(client)}` });
    else if (answer === CLOSED) {
      // The server drops a client whose frame is larger than the protocol allows or, as RFC 6455
      // requires, a text frame that is not UTF-8; and only then.
      if (bytes.length <= MAX_MESSAGE_BYTES && (binary || isUtf8(bytes))) problems.push({ kind: 'contract', summary: `the server closed the WebSocket after a ${bytes.length}-byte frame` });
      this.client = undefined;
    } else {
      problems.push(...checkResponse(answer, binary ? undefined : parseRequestText(text(bytes))));
    }
    for (const line of this.hostLog.splice(0)) problems.push({ kind: 'crash', summary: `the monitor host logged: ${line.split('\n', 1)[0].slice(0, 200)}`, detail: line });
    // A hang leaves a request pending in the host: start afresh.
    if (answer === TIMEOUT) await this.close();
    return problems;
  }

  /** ' while virtual time stood still at N cycles' when the running system's clock does not move over a second; '' otherwise. */
  private async stillness(client: WebSocket): Promise<string> {
    const before = await virtualTime(client);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const after = await virtualTime(client);
    return before !== undefined && before === after ? ` while virtual time stood still at ${before} cycles` : '';
  }

  private async connect(): Promise<WebSocket> {
    if (this.client?.readyState === WebSocket.OPEN) return this.client;
    if (this.server === undefined) {
      this.host = new MonitorHost({ root: this.root, log: (line) => this.hostLog.push(line) });
      this.server = await startWebServer({ handler: this.host, staticDir: join(this.root, 'static'), token: TOKEN, log: () => undefined });
    }
    const client = new WebSocket(`ws://127.0.0.1:${this.server.port}/api?token=${TOKEN}`);
    await new Promise<void>((resolve, reject) => {
      client.once('open', () => resolve());
      client.once('error', reject);
    });
    client.on('error', () => undefined);
    this.client = client;
    return client;
  }

  async close(): Promise<void> {
    this.client?.terminate();
    await this.server?.close();
    // A host whose request hangs would never finish disposing: its system is stopped regardless.
    await Promise.race([this.host?.dispose(), new Promise((resolve) => setTimeout(resolve, 5000))]);
    this.client = undefined;
    this.server = undefined;
    this.host = undefined;
  }
}

/** The running system's virtual time, from a metrics export (undefined when there is none). */
function virtualTime(client: WebSocket): Promise<number | undefined> {
  const id = 2 ** 31 - 1;
  return new Promise((resolve) => {
    const timer = setTimeout(() => done(undefined), 5000);
    const onMessage = (data: Buffer) => {
      try {
        const response = JSON.parse(data.toString('utf8')) as { id?: number; ok?: boolean; result?: { text: string } };
        if (response.id === id) done(response.ok === true ? (JSON.parse(response.result!.text) as { time: number }).time : undefined);
      } catch {
        done(undefined);
      }
    };
    const done = (time: number | undefined) => {
      clearTimeout(timer);
      client.off('message', onMessage);
      resolve(time);
    };
    client.on('message', onMessage);
    client.send(JSON.stringify({ id, method: 'exportData', params: { format: 'json' } }));
  });
}

/** The validator never throws, says why in one line, and lets through only well-formed requests. */
function checkParse(message: string): Problem[] {
  let parsed: ParsedRequest;
  try {
    parsed = parseRequestText(message);
  } catch (error) {
    return [crash('parseRequestText', error)];
  }
  if (!parsed.ok) {
    const problem = notOneLine('a protocol error', parsed.error);
    if (problem !== undefined) return [problem];
    if (parsed.error.length > 1000) return [{ kind: 'contract', summary: `a protocol error of ${parsed.error.length} characters: ${parsed.error.slice(0, 100)}` }];
    return [];
  }
  const { id, method, params } = parsed.request as { id: unknown; method: string; params: Record<string, unknown> };
  if (!Number.isInteger(id) || !METHODS.includes(method as never) || typeof params !== 'object' || params === null) {
    return [{ kind: 'contract', summary: `parseRequestText accepted ${JSON.stringify(message.slice(0, 100))}` }];
  }
  for (const value of Object.values(params)) {
    if (typeof value !== 'string' || value.length === 0 || /[\u0000-\u001f]/.test(value)) return [{ kind: 'contract', summary: `parseRequestText accepted a parameter ${JSON.stringify(String(value).slice(0, 60))}` }];
  }
  // The same message decoded by the caller must get the same verdict.
  try {
    const again = parseRequest(JSON.parse(message));
    if (!again.ok) return [{ kind: 'contract', summary: `parseRequest refused what parseRequestText accepted: ${again.error}` }];
  } catch (error) {
    return [crash('parseRequest', error)];
  }
  return [];
}

/** A response for the request: its id when the request was valid, one line of error otherwise. */
function checkResponse(answer: string, request: ParsedRequest | undefined): Problem[] {
  let response: Record<string, unknown>;
  try {
    response = JSON.parse(answer) as Record<string, unknown>;
  } catch {
    return [{ kind: 'contract', summary: `a WebSocket answer that is not JSON: ${answer.slice(0, 100)}` }];
  }
  const expectedId = request === undefined ? 0 : request.ok ? request.request.id : request.id ?? 0;
  if (response.id !== expectedId) return [{ kind: 'contract', summary: `answer id ${JSON.stringify(response.id)} to request id ${expectedId}` }];
  if (response.ok === true) return request?.ok === true ? [] : [{ kind: 'contract', summary: 'an ok answer to an invalid request' }];
  if (response.ok !== false || typeof response.error !== 'string') return [{ kind: 'contract', summary: `a malformed answer: ${answer.slice(0, 160)}` }];
  if (/internal error| failed: /.test(response.error)) return [{ kind: 'crash', summary: `the server answered ${response.error.slice(0, 200)}` }];
  return [notOneLine('a WebSocket error answer', response.error)].filter((p) => p !== undefined);
}

/** The guard lets through only our host, our origin (or none), /api and the exact token. */
function checkUpgrade(request: string): Problem[] {
  const [line = '', hostLine = '', originLine = ''] = request.split('\n');
  const url = line.replace(/^GET /, '');
  const header = (l: string, name: string) => (l.startsWith(`${name}: `) ? l.slice(name.length + 2) : undefined);
  const host = header(hostLine, 'Host');
  const origin = header(originLine, 'Origin');
  let refused: string | undefined;
  try {
    refused = refuseUpgrade({ url, host, origin }, PORT, TOKEN);
  } catch (error) {
    return [crash('refuseUpgrade', error)];
  }
  if (refused !== undefined) return [notOneLine('an upgrade refusal', refused)].filter((p) => p !== undefined);
  let parsed: URL | undefined;
  try {
    parsed = new URL(url, 'http://127.0.0.1');
  } catch {
    parsed = undefined;
  }
  const hosts = [`127.0.0.1:${PORT}`, `localhost:${PORT}`];
  const ok = parsed !== undefined && parsed.pathname === '/api' && parsed.searchParams.get('token') === TOKEN && host !== undefined && hosts.includes(host)
    && (origin === undefined || hosts.map((h) => `http://${h}`).includes(origin));
  return ok ? [] : [{ kind: 'breach', summary: `the WebSocket guard let through url ${JSON.stringify(url.slice(0, 80))}, Host ${JSON.stringify(host)}, Origin ${JSON.stringify(origin)}` }];
}
