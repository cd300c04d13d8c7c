// The control socket of a running `tessera run SCENARIO.json`: one JSON request per line, one JSON
// response per line. Requests are checked field by field; a bad one gets a one-line error.

import type { LifecycleCommand } from '../hypervisor/vm-state.js';
import { describeName } from '../scenario/fields.js';

export const LIFECYCLE_COMMANDS: readonly LifecycleCommand[] = ['start', 'pause', 'resume', 'stop', 'restart', 'wipe', 'destroy'];

export type ControlRequest =
  | { command: 'update'; vm: string; elf: string }
  | { command: LifecycleCommand; vm: string };

export type ControlResponse =
  | { ok: true; message: string; report?: unknown }
  /**
   * `refused`: nothing changed (unknown VM, illegal state, bad image); `rolled-back`: an update failed
   * and was undone; `bad-request`: not a request (or none within the idle timeout); `busy`: too many
   * clients at once, nothing read.
   */
  | { ok: false; error: string; kind: 'refused' | 'rolled-back' | 'bad-request' | 'busy' };

/** Largest request line the server reads (a path and a VM name fit easily). */
export const MAX_REQUEST_BYTES = 8192;
/** Largest response line a client reads (an update's report fits easily). */
export const MAX_RESPONSE_BYTES = 4 * MAX_REQUEST_BYTES;

const RESPONSE_KINDS: readonly string[] = ['refused', 'rolled-back', 'bad-request', 'busy'];

/** The response in `value` (parsed JSON), or undefined when it is not one. */
export function asControlResponse(value: unknown): ControlResponse | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const r = value as Record<string, unknown>;
  if (r.ok === true && typeof r.message === 'string') return value as ControlResponse;
  if (r.ok === false && typeof r.error === 'string' && RESPONSE_KINDS.includes(r.kind as string)) return value as ControlResponse;
  return undefined;
}

/** The request in `line`, or a one-line reason it is not one. */
export function parseControlRequest(line: string): ControlRequest | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return 'the request is not JSON';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'the request is not a JSON object';
  const { command, vm, elf, ...rest } = value as Record<string, unknown>;
  const extra = Object.keys(rest);
  if (extra.length > 0) return `unknown field ${describeName(extra[0])}`;
  if (typeof vm !== 'string' || vm.length === 0) return "'vm' must be a non-empty string";
  if (command === 'update') {
    if (typeof elf !== 'string' || elf.length === 0) return "'elf' must be the path of the new image";
    return { command, vm, elf };
  }
  if (typeof command !== 'string' || !(LIFECYCLE_COMMANDS as readonly string[]).includes(command)) {
    return `'command' must be update or one of ${LIFECYCLE_COMMANDS.join(', ')}`;
  }
  if (elf !== undefined) return "'elf' belongs to update only";
  return { command: command as LifecycleCommand, vm };
}
