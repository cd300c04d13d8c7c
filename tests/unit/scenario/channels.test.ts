// Inter-VM channels in a scenario: each rule with the exact one-line error it gives, and normalization.

import { describe, expect, it } from 'vitest';
import { GUEST_DEVICES } from '../../../engine/scenario/guest-map.js';
import { validateScenario } from '../../../engine/scenario/validate.js';
import { describeCases } from './case-tests.js';
import { baseScenario, MiB, secondChannel, SOURCE, withChannel, withChannelFields, withEndpoint } from './fixtures.js';
import { CHANNEL_CASES } from './validator-cases.js';

describe('a valid channel', () => {
  it('normalizes with its VM indexes and access, its window placed first-fit after the partitions', () => {
    const { scenario, errors } = validateScenario(withChannel(), SOURCE);
    expect(errors).toEqual([]);
    expect(scenario?.vms.map((vm) => vm.physicalBase)).toEqual([0, MiB]);
    expect(scenario?.channels).toEqual([
      {
        name: 'pin',
        size: 16 * 1024,
        physicalBase: 3 * MiB,
        endpoints: [
          { vmIndex: 0, address: 0x9000_0000, writable: true, irq: 32 },
          { vmIndex: 1, address: 0x9000_0000, writable: false, irq: 33 },
        ],
      },
    ]);
  });

  it('later windows follow, in channel order; a VM may have a channel of its own name', () => {
    const json = withChannel();
    json.channels.push({ ...secondChannel(), name: 'alpha' });
    const { scenario, errors } = validateScenario(json, SOURCE);
    expect(errors).toEqual([]);
    expect(scenario?.channels.map((c) => [c.name, c.physicalBase, c.size])).toEqual([
      ['pin', 3 * MiB, 0x4000],
      ['alpha', 3 * MiB + 0x4000, 0x2000],
    ]);
  });

  it('an explicit physicalBase is kept, and partitions without one are placed around it', () => {
    const { scenario, errors } = validateScenario(withChannelFields(0, { physicalBase: 0 }), SOURCE);
    expect(errors).toEqual([]);
    expect(scenario?.channels[0].physicalBase).toBe(0);
    expect(scenario?.vms.map((vm) => vm.physicalBase)).toEqual([0x4000, 0x10_4000]);
  });

  it('accepts integer sizes and addresses, and "0x" strings for both', () => {
    const json = withEndpoint(0, 1, { address: 0x4000_0000 }, withChannelFields(0, { size: 0x2000, physicalBase: '0x800000' }));
    expect(validateScenario(json, SOURCE).scenario?.channels[0]).toMatchObject({ size: 0x2000, physicalBase: 0x80_0000 });
  });

  it('channels is optional and may be empty', () => {
    expect(validateScenario(baseScenario(), SOURCE).scenario?.channels).toEqual([]);
    expect(validateScenario({ ...baseScenario(), channels: [] }, SOURCE).scenario?.channels).toEqual([]);
  });
});

describe('a channel ring', () => {
  it('names the endpoint that produces it', () => {
    const result = validateScenario(withChannelFields(0, { ring: 'beta' }), SOURCE);
    expect(result.errors).toEqual([]);
    expect(result.scenario!.channels[0].ringProducer).toBe(1);
    expect(validateScenario(withChannel(), SOURCE).scenario!.channels[0].ringProducer).toBeUndefined();
  });
});

describeCases(CHANNEL_CASES);

it('a window is checked against every device', () => {
  const cases = CHANNEL_CASES['channel endpoints'].filter((c) => c.name.startsWith('endpoints keep the window clear of every device'));
  expect(cases).toHaveLength(GUEST_DEVICES.length);
});
