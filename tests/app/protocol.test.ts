// The monitor protocol's validation: what a renderer or WebSocket client may send, and the one-line
// errors for everything else.

import { describe, expect, it } from 'vitest';
import { MAX_MESSAGE_BYTES, MAX_PATH_LENGTH, parseRequest, parseRequestText } from '../../app/shared/protocol.js';

const error = (message: unknown) => {
  const parsed = parseRequest(message);
  if (parsed.ok) throw new Error('expected a refusal');
  return parsed.error;
};

describe('parseRequest', () => {
  it('accepts every method with its parameters', () => {
    const valid = [
      { id: 1, method: 'hello', params: {} },
      { id: 2, method: 'hello' },
      { id: 3, method: 'openScenario', params: { path: 'scenarios/phone.json' } },
      { id: 4, method: 'startSystem', params: {} },
      { id: 5, method: 'stopSystem', params: {} },
      { id: 6, method: 'vmCommand', params: { vm: 'rtos', command: 'wipe' } },
      { id: 7, method: 'updateVm', params: { vm: 'rtos', elfPath: 'guests/bin/rt-timer.elf' } },
      { id: 8, method: 'exportData', params: { format: 'trace' } },
      { id: 9, method: 'pickFile', params: { kind: 'elf' } },
    ];
    for (const message of valid) {
      const parsed = parseRequest(message);
      expect(parsed.ok, JSON.stringify(message)).toBe(true);
      if (parsed.ok) expect(parsed.request.params).toEqual(message.params ?? {});
    }
  });

  it('refuses what is not a request object', () => {
    for (const bad of [null, 42, 'hello', [], [{ id: 1, method: 'hello' }], new Date()]) expect(error(bad)).toBe('a request must be a JSON object');
  });

  it('refuses ids that are not small non-negative integers, before anything else', () => {
    for (const id of [undefined, -1, 1.5, '1', 2 ** 31, NaN]) expect(error({ id, method: 'hello' })).toMatch(/^request\.id must be an integer/);
  });

  it('names an unknown method and lists the real ones', () => {
    expect(error({ id: 1, method: 'format disk' })).toBe('unknown method "format disk" (methods: hello, openScenario, startSystem, stopSystem, vmCommand, updateVm, exportData, pickFile)');
    expect(error({ id: 1, method: 'toString' })).toMatch(/^unknown method "toString"/);
    expect(error({ id: 1 })).toMatch(/^unknown method missing \(methods: /);
    // Not a string: named by its type, never converted (an object's own toString could throw or lie).
    expect(error({ id: 1, method: { toString: {} } })).toMatch(/^unknown method of type object \(methods: /);
    expect(error({ id: 1, method: 7 })).toMatch(/^unknown method of type number /);
    expect(error({ id: 1, method: ['a'] })).toMatch(/^unknown method of type array /);
  });

  it('refuses unknown fields and parameters (no prototype tricks either)', () => {
    expect(error({ id: 1, method: 'hello', extra: true })).toBe("unknown request field 'extra'");
    expect(error(JSON.parse('{"id":1,"method":"hello","__proto__":{"admin":true}}'))).toBe("unknown request field '__proto__'");
    expect(error({ id: 1, method: 'startSystem', params: { force: true } })).toBe("startSystem: unknown parameter 'force'");
    expect(error({ id: 1, method: 'vmCommand', params: [] })).toBe('vmCommand: params must be an object');
  });

  it('checks each parameter: type, allowed values, length, control characters', () => {
    expect(error({ id: 1, method: 'vmCommand', params: { vm: 'rtos', command: 'explode' } })).toBe('vmCommand: params.command must be one of start, pause, resume, stop, restart, wipe, destroy');
    expect(error({ id: 1, method: 'vmCommand', params: { command: 'pause' } })).toBe('vmCommand: params.vm must be a non-empty string');
    expect(error({ id: 1, method: 'vmCommand', params: { vm: 7, command: 'pause' } })).toBe('vmCommand: params.vm must be a non-empty string');
    expect(error({ id: 1, method: 'vmCommand', params: { vm: 'x'.repeat(65), command: 'pause' } })).toBe('vmCommand: params.vm is longer than 64 characters');
    expect(error({ id: 1, method: 'openScenario', params: { path: 'a'.repeat(MAX_PATH_LENGTH + 1) } })).toBe(`openScenario: params.path is longer than ${MAX_PATH_LENGTH} characters`);
    expect(error({ id: 1, method: 'openScenario', params: { path: 'evil\u0000.json' } })).toBe('openScenario: params.path contains a control character');
    expect(error({ id: 1, method: 'exportData', params: { format: 'xml' } })).toBe('exportData: params.format must be one of json, csv, trace');
    expect(error({ id: 1, method: 'pickFile', params: { kind: 'any' } })).toBe('pickFile: params.kind must be one of scenario, elf');
  });

  it('keeps the id of a request it refuses for its parameters, so the client can match the error', () => {
    expect(parseRequest({ id: 17, method: 'exportData', params: { format: 'xml' } })).toMatchObject({ ok: false, id: 17 });
  });
});

describe('parseRequestText', () => {
  it('refuses text that is not JSON, and oversized messages before parsing them', () => {
    expect(parseRequestText('{"id":1,')).toEqual({ ok: false, id: null, error: 'message is not valid JSON' });
    expect(parseRequestText(' '.repeat(MAX_MESSAGE_BYTES + 1))).toEqual({ ok: false, id: null, error: `message larger than ${MAX_MESSAGE_BYTES} bytes` });
    expect(parseRequestText('{"id":3,"method":"hello"}')).toMatchObject({ ok: true, request: { id: 3, method: 'hello' } });
  });
});

describe('errors about names from the message', () => {
  it('stay on one line, however the name is written', () => {
    const result = parseRequest({ id: 1, method: 'vmCommand', params: { vm: 'x', command: 'stop', 'a\nb\u2028c': 1 } });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toBe('vmCommand: unknown parameter "a\\nb\\u2028c"');
    const long = parseRequest({ id: 1, method: 'hello', ['k'.repeat(5000)]: 1 });
    expect(long.ok).toBe(false);
    if (!long.ok) expect(long.error.length).toBeLessThan(80);
  });
});
