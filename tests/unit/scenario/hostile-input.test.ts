// Hostile scenario input: a bounded list of problems, each one short line, and never a crash.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_PROBLEMS_SHOWN } from '../../../engine/scenario/fields.js';
import { parseScenarioText, validateScenario } from '../../../engine/scenario/validate.js';
import { baseScenario, SOURCE, timePartitioned, type Json } from './fixtures.js';

/** A generous bound on one line: a path, a message and a value cut to 40 characters. */
const LONGEST_LINE = 200;

function withUnknownFields(count: number, name = (i: number) => `field${i}`): Json {
  const json: Json = baseScenario();
  for (let i = 0; i < count; i++) json[name(i)] = 1;
  return json;
}

function expectShortLines(errors: string[]): void {
  for (const line of errors) {
    expect(line.length).toBeLessThan(LONGEST_LINE);
    expect(line).not.toMatch(/[\n\r]/);
  }
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the list of problems', () => {
  it(`shows the first ${MAX_PROBLEMS_SHOWN}, then one line counting the rest`, () => {
    const { errors, scenario } = validateScenario(withUnknownFields(200_000), SOURCE);
    expect(scenario).toBeUndefined();
    expect(errors).toHaveLength(MAX_PROBLEMS_SHOWN + 1);
    expect(errors.slice(0, 2)).toEqual(['field0: unknown field', 'field1: unknown field']);
    expect(errors.at(-2)).toBe(`field${MAX_PROBLEMS_SHOWN - 1}: unknown field`);
    expect(errors.at(-1)).toBe(`… and ${200_000 - MAX_PROBLEMS_SHOWN} more problems`);
  });

  it(`lists exactly ${MAX_PROBLEMS_SHOWN} problems in full, and says "1 more problem" for one past them`, () => {
    expect(validateScenario(withUnknownFields(MAX_PROBLEMS_SHOWN), SOURCE).errors).toHaveLength(MAX_PROBLEMS_SHOWN);
    expect(validateScenario(withUnknownFields(MAX_PROBLEMS_SHOWN + 1), SOURCE).errors.at(-1)).toBe('… and 1 more problem');
  });

  it('counts the problems found once the list is full', () => {
    // The overlap is found after 20 unknown fields: it is counted, not shown, and the scenario is refused.
    const json = withUnknownFields(MAX_PROBLEMS_SHOWN);
    (json.vms as Json[])[0].physicalBase = 0;
    (json.vms as Json[])[1].physicalBase = '512K';
    const { errors, scenario } = validateScenario(json, SOURCE);
    expect(scenario).toBeUndefined();
    expect(errors.at(-1)).toBe('… and 1 more problem');
  });

  it('still suggests the field a shown unknown field most likely meant, among 200,000', () => {
    const { errors } = validateScenario(withUnknownFields(200_000, (i) => `memor${'abcdefghij'[i % 10]}${i}`), SOURCE);
    expect(errors[0]).toBe('memora0: unknown field (did you mean "memory"?)');
    expect(errors[1]).toBe('memorb1: unknown field (did you mean "memory"?)');
    expect(errors[10]).toBe('memora10: unknown field');
  });
});

describe('huge strings make short lines', () => {
  it('a field name of 4 million characters', () => {
    const errors = validateScenario({ ...baseScenario(), ['k'.repeat(4_000_000)]: 1, ['x y'.repeat(1_000_000)]: 1 }, SOURCE).errors;
    expect(errors).toEqual([`scenario["${'k'.repeat(39)}…"]: unknown field`, `scenario["${'x y'.repeat(13)}…"]: unknown field`]);
  });

  it('a field name one edit from a known one but a million characters long is no "did you mean"', () => {
    expect(validateScenario({ ...baseScenario(), ['n'.repeat(1_000_000) + 'ame']: 1 }, SOURCE).errors).toEqual([`scenario["${'n'.repeat(39)}…"]: unknown field`]);
  });

  it('VM names in windows, channel endpoints and rings', () => {
    const long = 'v'.repeat(1_000_000);
    const windows = timePartitioned();
    windows.scheduler.windows.push({ core: 0, vm: long, offset: 600_000, duration: 1000 });
    const channels = {
      ...baseScenario(),
      channels: [{ name: 'c', size: '4K', ring: long, endpoints: [{ vm: long, address: '0x90000000', irq: 32 }, { vm: 'beta', address: '0x90000000', irq: 32 }] }],
    };
    const ring = { ...channels, channels: [{ ...channels.channels[0], endpoints: [{ vm: 'alpha', address: '0x90000000', irq: 32 }, channels.channels[0].endpoints[1]] }] };
    const quoted = `"${'v'.repeat(39)}…"`;
    expect(validateScenario(windows, SOURCE).errors).toEqual([`scheduler.windows[2]: no VM is named ${quoted}`]);
    expect(validateScenario(channels, SOURCE).errors).toEqual([`channels[0].endpoints[0].vm: no VM is named ${quoted}`]);
    expect(validateScenario(ring, SOURCE).errors).toEqual([`channels[0].ring: ${quoted} is not an endpoint of this channel ("alpha" or "beta")`]);
  });

  it('a guest path with a line break or of 4096 characters', () => {
    const json = baseScenario();
    json.vms[0].guest = 'a\nb.elf';
    json.vms[1].guest = 'g/'.repeat(2048);
    const errors = validateScenario(json, SOURCE).errors;
    expect(errors).toEqual([
      'vms[0].guest: cannot read "a\\nb.elf": no such file',
      `vms[1].guest: cannot read "${'g/'.repeat(19)}g…": no such file`,
    ]);
  });
});

describe('absurd JSON is one line', () => {
  it('a million nested arrays inside a field, refused before JSON.parse sees them', () => {
    const parse = vi.spyOn(JSON, 'parse');
    const text = `{"name": "x", "deep": ${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}}`;
    expect(parseScenarioText(text, SOURCE).errors).toEqual(['scenario: invalid JSON at line 1 column 534: nested deeper than 512 levels']);
    expect(parse).not.toHaveBeenCalled();
  });

  it('nesting just within the limit goes on to validation', () => {
    const text = `{"name": "x", "deep": ${'['.repeat(511)}${']'.repeat(511)}}`;
    expect(parseScenarioText(text, SOURCE).errors[0]).toBe('deep: unknown field');
  });

  it('a bracket inside a string is no nesting', () => {
    const text = JSON.stringify({ ...baseScenario(), description: '['.repeat(10_000) + '\\"{' });
    expect(parseScenarioText(text, SOURCE).errors).toEqual([]);
  });

  it('a RangeError from JSON.parse itself (a smaller stack, another engine)', () => {
    vi.spyOn(JSON, 'parse').mockImplementation(() => {
      throw new RangeError('Maximum call stack size exceeded\n    at JSON.parse');
    });
    expect(parseScenarioText(JSON.stringify(baseScenario()), SOURCE).errors).toEqual(['scenario: cannot parse the JSON: Maximum call stack size exceeded']);
  });

  it('a million VMs', () => {
    expect(validateScenario({ ...baseScenario(), vms: new Array(1_000_000).fill({}) }, SOURCE).errors).toEqual(['vms: must list 1 to 64 VMs (got 1000000)']);
  });

  it('every one of these is short', () => {
    expectShortLines(validateScenario(withUnknownFields(1000, (i) => `${'q'.repeat(300)}${i}`), SOURCE).errors);
  });
});
