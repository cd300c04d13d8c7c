// The monitor API on the wire: typed requests and responses plus pushed events, the same over Electron
// IPC and over the WebSocket of browser mode, and the validation every host applies to what it receives.

import {
  EXPORT_FORMATS, FILE_KINDS, VM_COMMANDS,
  type ExportFile, type ExportFormat, type FileKind, type HelloResult, type MonitorSample, type ScenarioInfo, type SystemStatus, type VmCommand,
} from './monitor-types.js';

export const PROTOCOL_VERSION = 1;

/** Every request: its parameters and its result. */
export interface RequestMap {
  hello: { params: Record<string, never>; result: HelloResult };
  openScenario: { params: { path: string }; result: ScenarioInfo };
  startSystem: { params: Record<string, never>; result: SystemStatus };
  stopSystem: { params: Record<string, never>; result: SystemStatus };
  vmCommand: { params: { vm: string; command: VmCommand }; result: SystemStatus };
  updateVm: { params: { vm: string; elfPath: string }; result: { message: string } };
  exportData: { params: { format: ExportFormat }; result: ExportFile };
  pickFile: { params: { kind: FileKind }; result: { path: string | null } };
}
export type Method = keyof RequestMap;
export type Params<M extends Method> = RequestMap[M]['params'];
export type Result<M extends Method> = RequestMap[M]['result'];

export type RequestMessage = { [M in Method]: { id: number; method: M; params: Params<M> } }[Method];

/** A failure is one line; `details` lists every problem when there are several (scenario validation). */
export type ResponseMessage =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: string; details?: string[] };

/** What a host pushes without being asked. */
export type PushMessage =
  | { push: 'sample'; data: MonitorSample }
  | { push: 'status'; data: SystemStatus }
  | { push: 'scenario'; data: { scenario: ScenarioInfo | null; errors: string[] } }
  /** The desktop menu asks the renderer to do what the same button does. */
  | { push: 'menu'; data: { action: MenuAction } };

export const MENU_ACTIONS = ['open-scenario', 'start', 'stop', 'export-json', 'export-csv', 'export-trace'] as const;
export type MenuAction = (typeof MENU_ACTIONS)[number];

/** Limits on what a client may send; anything larger is refused before it is parsed. */
export const MAX_MESSAGE_BYTES = 64 * 1024;
export const MAX_PATH_LENGTH = 4096;
const MAX_NAME_LENGTH = 64;
const MAX_ID = 2 ** 31 - 1;

export type ParsedRequest = { ok: true; request: RequestMessage } | { ok: false; id: number | null; error: string };

type ParamCheck = (params: Record<string, unknown>) => string | undefined;

const NO_PARAMS: ParamCheck = () => undefined;

function oneOf(field: string, allowed: readonly string[]): ParamCheck {
  return (params) => (typeof params[field] === 'string' && allowed.includes(params[field]) ? undefined : `params.${field} must be one of ${allowed.join(', ')}`);
}

function text(field: string, maxLength: number): ParamCheck {
  return (params) => {
    const value = params[field];
    if (typeof value !== 'string' || value.length === 0) return `params.${field} must be a non-empty string`;
    if (value.length > maxLength) return `params.${field} is longer than ${maxLength} characters`;
    if (/[\u0000-\u001f]/.test(value)) return `params.${field} contains a control character`;
    return undefined;
  };
}

const PARAMS: { [M in Method]: { fields: string[]; checks: ParamCheck[] } } = {
  hello: { fields: [], checks: [NO_PARAMS] },
  openScenario: { fields: ['path'], checks: [text('path', MAX_PATH_LENGTH)] },
  startSystem: { fields: [], checks: [NO_PARAMS] },
  stopSystem: { fields: [], checks: [NO_PARAMS] },
  vmCommand: { fields: ['vm', 'command'], checks: [text('vm', MAX_NAME_LENGTH), oneOf('command', VM_COMMANDS)] },
  updateVm: { fields: ['vm', 'elfPath'], checks: [text('vm', MAX_NAME_LENGTH), text('elfPath', MAX_PATH_LENGTH)] },
  exportData: { fields: ['format'], checks: [oneOf('format', EXPORT_FORMATS)] },
  pickFile: { fields: ['kind'], checks: [oneOf('kind', FILE_KINDS)] },
};

export const METHODS = Object.keys(PARAMS) as Method[];

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A name from a message as an error shows it: 'name' when short and plain, else JSON-quoted and cut; one line. */
function quoted(text: string): string {
  if (/^[\x20-\x7e]{1,40}$/.test(text) && !text.includes("'")) return `'${text}'`;
  return jsonQuoted(text);
}

/** JSON-quoted and cut to 40 characters, with every character that could end or garble a line escaped. */
function jsonQuoted(text: string): string {
  return JSON.stringify(text.slice(0, 40)).replace(/[\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Checks a decoded message against the protocol; never throws. */
export function parseRequest(message: unknown): ParsedRequest {
  if (!isPlainObject(message)) return { ok: false, id: null, error: 'a request must be a JSON object' };
  const { id, method, params } = message;
  if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id > MAX_ID) return { ok: false, id: null, error: 'request.id must be an integer from 0 to 2^31-1' };
  const extra = Object.keys(message).filter((key) => key !== 'id' && key !== 'method' && key !== 'params');
  if (extra.length > 0) return { ok: false, id, error: `unknown request field ${quoted(extra[0])}` };
  if (typeof method !== 'string' || !Object.hasOwn(PARAMS, method)) {
    // Only a string is shown: String() of an object runs the sender's toString (or throws).
    const shown = typeof method === 'string' ? jsonQuoted(method) : method === undefined ? 'missing' : `of type ${method === null ? 'null' : Array.isArray(method) ? 'array' : typeof method}`;
    return { ok: false, id, error: `unknown method ${shown} (methods: ${METHODS.join(', ')})` };
  }
  const spec = PARAMS[method as Method];
  const given = params === undefined ? {} : params;
  if (!isPlainObject(given)) return { ok: false, id, error: `${method}: params must be an object` };
  const unknown = Object.keys(given).find((key) => !spec.fields.includes(key));
  if (unknown !== undefined) return { ok: false, id, error: `${method}: unknown parameter ${quoted(unknown)}` };
  for (const check of spec.checks) {
    const problem = check(given);
    if (problem !== undefined) return { ok: false, id, error: `${method}: ${problem}` };
  }
  return { ok: true, request: { id, method, params: given } as RequestMessage };
}

/** Decodes and checks a text frame (the WebSocket transport); never throws. */
export function parseRequestText(text: string): ParsedRequest {
  if (text.length > MAX_MESSAGE_BYTES) return { ok: false, id: null, error: `message larger than ${MAX_MESSAGE_BYTES} bytes` };
  let decoded: unknown;
  try {
    decoded = JSON.parse(text);
  } catch {
    return { ok: false, id: null, error: 'message is not valid JSON' };
  }
  return parseRequest(decoded);
}
