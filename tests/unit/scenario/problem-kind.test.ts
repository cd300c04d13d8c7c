// The classification of the validator's lines into what the schema states too and what it cannot.

import { describe, expect, it } from 'vitest';
import { problemField, problemKind, problemMessage, SEMANTIC_MESSAGES } from './problem-kind.js';

describe('problemKind', () => {
  it('calls each listed rule semantic, as its example shows', () => {
    for (const { pattern, example } of SEMANTIC_MESSAGES) {
      expect(pattern.test(problemMessage(example)), example).toBe(true);
      expect(problemKind(example), example).toBe('semantic');
    }
  });

  it('calls a guest file that cannot be loaded semantic, but not a guest field of the wrong shape', () => {
    expect(problemKind('vms[0].guest: cannot read ../x.elf: no such file')).toBe('semantic');
    expect(problemKind('vms[0].guest: segments 0 and 1 overlap at 0x80001000')).toBe('semantic');
    expect(problemKind('vms[0].guest: required but missing')).toBe('shape');
    expect(problemKind('vms[0].guest: must be a string of 1 to 4096 characters (got "")')).toBe('shape');
  });

  it("calls a size or an address spelt as a string semantic when only its value is wrong, and a number's bounds shape", () => {
    expect(problemKind('memory: must be at most 2 GiB (got "4G")')).toBe('semantic');
    expect(problemKind('channels[0].endpoints[0].address: must be 4 KiB aligned (got "0x90000800")')).toBe('semantic');
    expect(problemKind('memory: must be at most 2 GiB (got 4294967296)')).toBe('shape');
    expect(problemKind('channels[0].endpoints[0].address: must be 4 KiB aligned (got 2415921152)')).toBe('shape');
    expect(problemKind('memory: must be a size such as "1M" (got "plenty")')).toBe('shape');
  });

  it('calls every other line shape, an unknown field whatever its name', () => {
    for (const line of [
      'cores: must be an integer from 1 to 64 (got 0)',
      'vms[0].affinity[1]: core 1 is listed twice',
      "channels[0].endpoints[0].irq: 10 is the UART's interrupt in every VM",
      'vms[0].budget: needs a period as well (give both or neither)',
      'scheduler.windows: only for time-partitioned',
      'scheduler.majorFrame: required for time-partitioned',
      'scenario["x: no VM is named y"]: unknown field',
      'vms[2].afinity: unknown field (did you mean "affinity"?)',
    ]) {
      expect(problemKind(line), line).toBe('shape');
    }
    expect(problemField('scenario["x: no VM is named y"]: unknown field')).toBe('scenario["x: no VM is named y"]');
  });

  it('gives no kind to the line that counts problems not shown', () => {
    expect(() => problemKind('… and 3 more problems')).toThrow();
  });
});
