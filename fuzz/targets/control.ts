// Target `control`: malformed control-socket requests through parseControlRequest in-process, and one
// in CONTROL_SOCKET_EVERY over a real Unix socket to a running System's control server.

import { createConnection } from 'node:net';
import { join } from 'node:path';
import { LIFECYCLE_COMMANDS, parseControlRequest, type ControlRequest } from '../../engine/system/control-protocol.js';
import { startControlServer, type ControlServer } from '../../engine/host/control-server.js';
import type { System } from '../../engine/host/system.js';
import { mutateMessage } from '../mutate/lines.js';
import type { Rng } from '../prng.js';
import { crash, notOneLine, type Executor, type FuzzInput, type Problem, type TargetContext, type TargetFactory } from '../target.js';
import { FuzzSystem } from './fuzz-system.js';

/** One execution in this many goes over the socket to the running system. */
const CONTROL_SOCKET_EVERY = 50;
/** A socket request that has no answer after this long is a hang (the update of a real image takes about a second). */
const ANSWER_MS = 30_000;

const KINDS = ['refused', 'rolled-back', 'bad-request'];

export const controlTarget: TargetFactory = {
  name: 'control',
  description: 'malformed control-socket requests: parseControlRequest in-process, and a sample over a real socket to a running System',
  hangSeconds: 60,
  inputs: (context) => ({ generate: (rng, execution) => generateRequest(rng, execution, context) }),
  open: (context) => Promise.resolve(new ControlExecutor(context)),
};

function seeds(context: TargetContext): string[] {
  const requests: object[] = [{ command: 'update', vm: 'fuzz', elf: join(context.scratch, 'stub.elf') }, { command: 'update', vm: 'fuzz', elf: join(context.root, 'guests/bin/hello.elf') }];
  for (const command of LIFECYCLE_COMMANDS) for (const vm of ['fuzz', 'neighbour', 'nobody']) requests.push({ command, vm });
  return requests.map((r) => JSON.stringify(r));
}

function generateRequest(rng: Rng, execution: number, context: TargetContext): FuzzInput {
  let bytes = mutateMessage(rng, seeds(context));
  // Mostly a whole line; sometimes none (the server waits for the rest) or several.
  const ending = rng.weighted([[8, '\n'], [1, ''], [1, '\n{"command":"pause","vm":"fuzz"}\n']] as const);
  bytes = Buffer.concat([bytes, Buffer.from(ending)]);
  if (execution % CONTROL_SOCKET_EVERY !== 0) return { bytes, ext: 'txt', note: 'in-process: the first line to parseControlRequest' };
  // A client may half-close after its request (as `nc -N` does); one without a newline must, or it waits forever.
  const halfClose = !bytes.includes(0x0a) || rng.chance(0.2);
  return { bytes, ext: 'txt', note: `socket: sent to a running system (fuzz/targets/fuzz-system.ts)${halfClose ? ', then half-closed' : ''}` };
}

/** What the request rules accept, written independently of parseControlRequest. */
function acceptable(line: string): boolean {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return false;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const fields = value as Record<string, unknown>;
  if (Object.keys(fields).some((k) => k !== 'command' && k !== 'vm' && k !== 'elf')) return false;
  if (typeof fields.vm !== 'string' || fields.vm === '') return false;
  if (fields.command === 'update') return typeof fields.elf === 'string' && fields.elf !== '';
  return (LIFECYCLE_COMMANDS as readonly unknown[]).includes(fields.command) && fields.elf === undefined;
}

class ControlExecutor implements Executor {
  private fuzz: FuzzSystem | undefined;
  private server: ControlServer | undefined;
  private readonly decoder = new TextDecoder();

  constructor(private readonly context: TargetContext) {}

  async execute(input: FuzzInput): Promise<Problem[]> {
    return input.note?.startsWith('socket') ? this.overSocket(input.bytes, input.note.endsWith('half-closed')) : this.inProcess(input.bytes);
  }

  private inProcess(bytes: Uint8Array): Problem[] {
    const line = this.decoder.decode(bytes).split('\n', 1)[0];
    let result: ControlRequest | string;
    try {
      result = parseControlRequest(line);
    } catch (error) {
      return [crash('parseControlRequest', error)];
    }
    const accepted = typeof result !== 'string';
    if (accepted !== acceptable(line)) return [{ kind: 'contract', summary: `parseControlRequest ${accepted ? 'accepted' : 'refused'} ${JSON.stringify(line.slice(0, 100))}${accepted ? '' : `: ${result as string}`}` }];
    if (typeof result === 'string') return [notOneLine('a control request error', result)].filter((p) => p !== undefined);
    return [];
  }

  private async overSocket(bytes: Uint8Array, halfClose: boolean): Promise<Problem[]> {
    if (this.fuzz === undefined || this.fuzz.ended) await this.restart();
    const path = this.server!.path;
    const system = this.fuzz!.system;
    const before = describeSystem(system);
    const answer = await exchange(path, bytes, halfClose);
    const problems: Problem[] = [];
    if (answer === TIMEOUT) {
      // Whether the system's clock still moves: over a second of wall time.
      const at = system.snapshot().time;
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const time = system.snapshot().time;
      const events = system.eventLog().slice(-8).map((e) => `${e.time} ${e.vm} ${e.kind}${e.detail !== undefined ? ` (${e.detail})` : ''}`);
      problems.push({
        kind: 'hang', summary: `no answer on the control socket within ${ANSWER_MS / 1000} s${time === at ? ` while virtual time stood still at ${time} cycles` : ''}`,
        detail: `before: ${before}\nafter: ${describeSystem(system)}\nlast events:\n${events.join('\n')}`,
      });
    }
    else problems.push(...checkAnswer(answer, bytes, halfClose), ...checkDowntime(answer, this.fuzz!.stubPath));
    if (this.fuzz!.failure !== undefined) problems.push({ kind: 'crash', summary: `the system failed: ${this.fuzz!.failure}` });
    // A hang leaves a command pending in the system: start afresh.
    if (answer === TIMEOUT) await this.restart();
    return problems;
  }

  private async restart(): Promise<void> {
    await this.close();
    this.fuzz = await FuzzSystem.start(this.context.scratch);
    this.server = await startControlServer(this.fuzz.system, join(this.context.scratch, 'control.sock'));
  }

  /** The system first: a stopped system answers what it still owes, and the server then finds no client waiting. */
  async close(): Promise<void> {
    await this.fuzz?.close();
    await this.server?.close();
    this.fuzz = undefined;
    this.server = undefined;
  }
}

/** Virtual time and every VM's state and slot, for a hang's notes. */
function describeSystem(system: System): string {
  const s = system.snapshot();
  return `time ${s.time}: ${s.vms.map((v) => `${v.name} ${v.state}${v.slot !== undefined ? ` (slot ${v.slot})` : ''}`).join(', ')}`;
}

/** No answer and no close in time. */
const TIMEOUT = Symbol('timeout');

/** Sends the bytes and reads until the server closes; TIMEOUT if it neither answers nor closes. */
function exchange(path: string, bytes: Uint8Array, halfClose: boolean): Promise<string | typeof TIMEOUT> {
  return new Promise((resolve) => {
    const socket = createConnection(path);
    let text = '';
    const timer = setTimeout(() => { socket.destroy(); resolve(TIMEOUT); }, ANSWER_MS);
    socket.setEncoding('utf8');
    socket.on('connect', () => (halfClose ? socket.end(bytes) : socket.write(bytes)));
    socket.on('data', (chunk: string) => { text += chunk; });
    socket.on('error', () => undefined);
    socket.on('close', () => { clearTimeout(timer); resolve(text); });
  });
}

/**
 * The stub never waits on its channel, so an update to it leaves the channel unserved for the whole
 * ready timeout (a second of virtual time) after the switch: the report must not say less.
 */
function checkDowntime(answer: string, stubPath: string): Problem[] {
  let response: { ok?: boolean; message?: string; report?: { downtimeCycles?: number; unservedChannels?: string[] } };
  try {
    response = JSON.parse(answer) as typeof response;
  } catch {
    return [];
  }
  if (response.ok !== true || response.report === undefined || !response.message?.includes(`updated to ${stubPath},`)) return [];
  const downtime = response.report.downtimeCycles ?? 0;
  // Virtual time may stand still after the switch (every other VM paused): then the channel must be named as not yet served.
  return downtime > 0 || (response.report.unservedChannels ?? []).includes('window') ? [] : [{ kind: 'contract', summary: `an update to a version that never waits on its channel reports ${downtime} cycles of downtime` }];
}

/** One JSON response line of the documented shape when a request was sent (a line, or anything before a half-close); nothing otherwise. */
function checkAnswer(text: string, sent: Uint8Array, halfClosed: boolean): Problem[] {
  const newline = sent.indexOf(0x0a);
  const expectAnswer = newline >= 0 || sent.length > 8192 || (halfClosed && sent.length > 0);
  if (!expectAnswer) return text === '' ? [] : [{ kind: 'contract', summary: `an answer to a request without a newline: ${JSON.stringify(text.slice(0, 100))}` }];
  const owed = (newline >= 0 && newline <= 8192) || (halfClosed && newline < 0 && sent.length <= 8192);
  if (text === '') return owed ? [{ kind: 'contract', summary: 'the control server closed the connection without an answer' }] : [];
  const lines = text.split('\n');
  if (lines.length !== 2 || lines[1] !== '') return [{ kind: 'contract', summary: `the control server answered ${lines.length - 1} lines: ${JSON.stringify(text.slice(0, 160))}` }];
  let response: Record<string, unknown>;
  try {
    response = JSON.parse(lines[0]) as Record<string, unknown>;
  } catch {
    return [{ kind: 'contract', summary: `the control server's answer is not JSON: ${JSON.stringify(lines[0].slice(0, 100))}` }];
  }
  if (response.ok === true) return typeof response.message === 'string' ? [] : [{ kind: 'contract', summary: `an ok answer without a message: ${lines[0].slice(0, 100)}` }];
  if (response.ok !== false || typeof response.error !== 'string' || !KINDS.includes(response.kind as string)) return [{ kind: 'contract', summary: `a malformed answer: ${lines[0].slice(0, 160)}` }];
  if (response.error.startsWith('internal error')) return [{ kind: 'crash', summary: `the control server reports ${response.error.slice(0, 200)}` }];
  return [notOneLine('a control answer', response.error)].filter((p) => p !== undefined);
}
