// Inter-VM channels in a scenario: each rule with the exact one-line error it gives, and normalization.

import { describe, expect, it } from 'vitest';
import { GUEST_DEVICES } from '../../../engine/scenario/guest-map.js';
import { validateScenario } from '../../../engine/scenario/validate.js';
import { baseScenario, MiB, SOURCE, type Json } from './fixtures.js';

type ChannelJson = Json & { endpoints: Json[] };
type WithChannels = ReturnType<typeof baseScenario> & { channels: ChannelJson[] };

/** alpha (1 MiB) and beta (2 MiB) of the base scenario joined by a 16 KiB channel "pin". */
function withChannel(): WithChannels {
  return {
    ...baseScenario(),
    channels: [
      {
        name: 'pin',
        size: '16K',
        endpoints: [
          { vm: 'alpha', address: '0x90000000', irq: 32 },
          { vm: 'beta', address: '0x90000000', access: 'ro', irq: 33 },
        ],
      },
    ],
  };
}

/** A second channel "log" from alpha to beta, clear of "pin" in both VMs. */
function secondChannel(): ChannelJson {
  return {
    name: 'log',
    size: '8K',
    endpoints: [
      { vm: 'alpha', address: 0x9001_0000, irq: 34 },
      { vm: 'beta', address: 0x9001_0000, irq: 35 },
    ],
  };
}

/** The scenario with fields of channels[c].endpoints[e] changed. */
function withEndpoint(c: number, e: number, fields: Json, json: WithChannels = withChannel()): WithChannels {
  json.channels[c].endpoints[e] = { ...json.channels[c].endpoints[e], ...fields };
  return json;
}

function withChannelFields(c: number, fields: Json, json: WithChannels = withChannel()): WithChannels {
  json.channels[c] = { ...json.channels[c], ...fields };
  return json;
}

function errorsOf(json: unknown): string[] {
  const result = validateScenario(json, SOURCE);
  expect(result.scenario === undefined).toBe(result.errors.length > 0);
  return result.errors;
}

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

describe('channel fields', () => {
  it('channels is an array of at most 64 channels', () => {
    expect(errorsOf({ ...baseScenario(), channels: {} })).toEqual(['channels: must be an array of channels (got an object)']);
    const many = Array.from({ length: 65 }, () => withChannel().channels[0]);
    expect(errorsOf({ ...baseScenario(), channels: many })).toEqual(['channels: must list at most 64 channels (got 65)']);
    expect(errorsOf({ ...baseScenario(), channels: [7] })).toEqual(['channels[0]: must be an object (got 7)']);
  });

  it('a channel needs a name, a size and endpoints; an endpoint a vm, an address and an irq', () => {
    expect(errorsOf({ ...baseScenario(), channels: [{}] })).toEqual([
      'channels[0].name: required but missing',
      'channels[0].size: required but missing',
      'channels[0].endpoints: required but missing',
    ]);
    expect(errorsOf(withChannelFields(0, { endpoints: [{}, {}] }))).toEqual([
      'channels[0].endpoints[0].vm: required but missing',
      'channels[0].endpoints[0].address: required but missing',
      'channels[0].endpoints[0].irq: required but missing',
      'channels[0].endpoints[1].vm: required but missing',
      'channels[0].endpoints[1].address: required but missing',
      'channels[0].endpoints[1].irq: required but missing',
    ]);
  });

  it('unknown fields are named, with a guess', () => {
    expect(errorsOf(withEndpoint(0, 0, { adress: '0x1000' }))).toEqual(['channels[0].endpoints[0].adress: unknown field (did you mean "address"?)']);
    expect(errorsOf(withChannelFields(0, { bytes: 4096 }))).toEqual(['channels[0].bytes: unknown field']);
  });

  it('a channel name is a lowercase identifier', () => {
    expect(errorsOf(withChannelFields(0, { name: 'PIN' }))).toEqual([
      'channels[0].name: must be a lowercase letter followed by up to 31 lowercase letters, digits or "-" (got "PIN")',
    ]);
  });

  it('channel names are unique', () => {
    const json = withChannel();
    json.channels.push({ ...secondChannel(), name: 'pin' });
    expect(errorsOf(json)).toEqual(['channels[1].name: "pin" is already the name of channels[0]']);
  });

  it('size is whole 4 KiB pages, 4 KiB to 64 MiB', () => {
    expect(errorsOf(withChannelFields(0, { size: '6K' }))).toEqual(['channels[0].size: must be a multiple of 4 KiB (got "6K")']);
    expect(errorsOf(withChannelFields(0, { size: '128M' }))).toEqual(['channels[0].size: must be at most 64 MiB (got "128M")']);
    expect(errorsOf(withChannelFields(0, { size: 0 }))).toEqual(['channels[0].size: must be at least 4 KiB (got 0)']);
  });

  it('a channel has exactly two endpoints', () => {
    const json = withChannel();
    json.channels[0].endpoints.pop();
    expect(errorsOf(json)).toEqual(['channels[0].endpoints: must list 2 endpoints (got 1)']);
  });

  it('an address is an integer or a 0x-hex string, 4 KiB aligned, below 2^32', () => {
    expect(errorsOf(withEndpoint(0, 0, { address: '2G' }))).toEqual(['channels[0].endpoints[0].address: must be an address such as "0x90000000" (got "2G")']);
    expect(errorsOf(withEndpoint(0, 0, { address: '0x90000800' }))).toEqual(['channels[0].endpoints[0].address: must be 4 KiB aligned (got "0x90000800")']);
    expect(errorsOf(withEndpoint(0, 0, { address: 0x1_0000_0000 }))).toEqual([
      'channels[0].endpoints[0].address: must be an address from 0x0 to 0xfffff000 (got 4294967296)',
    ]);
  });

  it('access is "rw" or "ro"', () => {
    expect(errorsOf(withEndpoint(0, 0, { access: 'wo' }))).toEqual(['channels[0].endpoints[0].access: must be "rw" or "ro" (got "wo")']);
  });

  it('irq is a PLIC source from 1 to 95', () => {
    expect(errorsOf(withEndpoint(0, 0, { irq: 96 }))).toEqual(['channels[0].endpoints[0].irq: must be an integer from 1 to 95 (got 96)']);
    expect(errorsOf(withEndpoint(0, 1, { irq: 0 }))).toEqual(['channels[0].endpoints[1].irq: must be an integer from 1 to 95 (got 0)']);
  });
});

describe('a channel ring', () => {
  it('names the endpoint that produces it', () => {
    const result = validateScenario(withChannelFields(0, { ring: 'beta' }), SOURCE);
    expect(result.errors).toEqual([]);
    expect(result.scenario!.channels[0].ringProducer).toBe(1);
    expect(validateScenario(withChannel(), SOURCE).scenario!.channels[0].ringProducer).toBeUndefined();
  });

  it('must be one of the two endpoints', () => {
    expect(errorsOf(withChannelFields(0, { ring: 'gamma' }))).toEqual(['channels[0].ring: "gamma" is not an endpoint of this channel ("alpha" or "beta")']);
    expect(errorsOf(withChannelFields(0, { ring: 7 }))).toEqual(['channels[0].ring: must be a non-empty string (got 7)']);
  });
});

describe('channel endpoints', () => {
  it('name an existing VM', () => {
    expect(errorsOf(withEndpoint(0, 1, { vm: 'gamma' }))).toEqual(['channels[0].endpoints[1].vm: no VM is named "gamma"']);
  });

  it('are in two different VMs', () => {
    expect(errorsOf(withEndpoint(0, 1, { vm: 'alpha', irq: 32 }))).toEqual([
      'channels[0].endpoints[1].vm: "alpha" is already endpoints[0]: a channel joins two different VMs',
    ]);
  });

  it("keep the window clear of the VM's RAM", () => {
    expect(errorsOf(withEndpoint(0, 0, { address: '0x80000000' }))).toEqual([
      "channels[0].endpoints[0].address: window 0x80000000..0x80003fff overlaps the VM's RAM (0x80000000..0x800fffff)",
    ]);
    // Past alpha's 1 MiB but inside beta's 2 MiB: only beta's endpoint is wrong.
    const json = withEndpoint(0, 1, { address: 0x8010_0000 }, withEndpoint(0, 0, { address: 0x8010_0000 }));
    expect(errorsOf(json)).toEqual(["channels[0].endpoints[1].address: window 0x80100000..0x80103fff overlaps the VM's RAM (0x80000000..0x801fffff)"]);
  });

  it('keep the window clear of every device', () => {
    const lines: [string, string][] = [
      ['0x100000', 'window 0x100000..0x103fff overlaps the test device (0x100000..0x100fff)'],
      ['0x2000000', 'window 0x2000000..0x2003fff overlaps the CLINT (0x2000000..0x200ffff)'],
      ['0x3ffe000', 'window 0x3ffe000..0x4001fff overlaps the hypervisor-services device (0x4000000..0x4000fff)'],
      ['0x4100000', 'window 0x4100000..0x4103fff overlaps the doorbell device (0x4100000..0x4100fff)'],
      ['0xc5ff000', 'window 0xc5ff000..0xc602fff overlaps the PLIC (0xc000000..0xc5fffff)'],
      ['0x10000000', 'window 0x10000000..0x10003fff overlaps the UART (0x10000000..0x100000ff)'],
    ];
    expect(lines).toHaveLength(GUEST_DEVICES.length);
    for (const [address, line] of lines) {
      expect(errorsOf(withEndpoint(0, 0, { address }))).toEqual([`channels[0].endpoints[0].address: ${line}`]);
    }
  });

  it('report every device a large window covers, one line each', () => {
    expect(errorsOf(withEndpoint(0, 1, { address: '0x4000000' }, withChannelFields(0, { size: '2M' })))).toEqual([
      'channels[0].endpoints[1].address: window 0x4000000..0x41fffff overlaps the hypervisor-services device (0x4000000..0x4000fff)',
      'channels[0].endpoints[1].address: window 0x4000000..0x41fffff overlaps the doorbell device (0x4100000..0x4100fff)',
    ]);
  });

  it('end at or below 2^32', () => {
    expect(errorsOf(withEndpoint(0, 0, { address: '0xffffe000' }))).toEqual([
      'channels[0].endpoints[0].address: window 0xffffe000..0x100001fff ends past the 32-bit address space',
    ]);
  });

  it("keep the window clear of the VM's other windows (the same address in another VM is fine)", () => {
    const json = withChannel();
    json.channels.push(secondChannel());
    json.channels[1].endpoints[0].address = '0x90002000';
    expect(errorsOf(json)).toEqual([
      'channels[1].endpoints[0].address: window 0x90002000..0x90003fff overlaps channels[0].endpoints[0] (0x90000000..0x90003fff)',
    ]);
  });

  it('never take the UART interrupt', () => {
    expect(errorsOf(withEndpoint(0, 0, { irq: 10 }))).toEqual(["channels[0].endpoints[0].irq: 10 is the UART's interrupt in every VM"]);
  });

  it("take an interrupt no other channel of the VM uses (another VM's is fine)", () => {
    const json = withChannel();
    json.channels.push(secondChannel());
    json.channels[1].endpoints[0].irq = 32;
    json.channels[1].endpoints[1].irq = 32;
    expect(errorsOf(json)).toEqual(['channels[1].endpoints[0].irq: 32 is already taken in vms[0] by channels[0].endpoints[0]']);
  });

  it('say nothing of VMs when the VM list is wrong, or when the VM named may be one whose name is wrong', () => {
    expect(errorsOf({ ...withChannel(), vms: {} })).toEqual(['vms: must be an array of VMs (got an object)']);
    const json = withChannel();
    json.vms[1] = { ...json.vms[1], name: 'Beta' };
    expect(errorsOf(withEndpoint(0, 1, { vm: 'Beta' }, json))).toEqual([
      'vms[1].name: must be a lowercase letter followed by up to 31 lowercase letters, digits or "-" (got "Beta")',
    ]);
  });
});

describe('channel windows in physical memory', () => {
  it('physicalBase is page-aligned', () => {
    expect(errorsOf(withChannelFields(0, { physicalBase: '0x800800' }))).toEqual([
      'channels[0].physicalBase: must be a multiple of 4 KiB (got "0x800800")',
    ]);
  });

  it('an explicit physicalBase does not overlap a partition', () => {
    const json = withChannelFields(0, { physicalBase: '0x80000' });
    json.vms[0] = { ...json.vms[0], physicalBase: 0 };
    expect(errorsOf(json)).toEqual(['channels[0].physicalBase: window 0x80000..0x83fff overlaps vms[0] (0x0..0xfffff)']);
  });

  it('explicit windows do not overlap each other', () => {
    const json = withChannelFields(0, { physicalBase: '8M' });
    json.channels.push({ ...secondChannel(), physicalBase: 0x80_2000 });
    expect(errorsOf(json)).toEqual(['channels[0].physicalBase: window 0x800000..0x803fff overlaps channels[1] (0x802000..0x803fff)']);
  });

  it('an explicit window lies inside physical memory', () => {
    expect(errorsOf(withChannelFields(0, { physicalBase: '16M' }))).toEqual([
      'channels[0].physicalBase: window 0x1000000..0x1003fff ends past the end of physical memory (16 MiB)',
    ]);
  });

  it('partitions and windows together fit in physical memory', () => {
    expect(errorsOf(withChannelFields(0, { size: '2M' }, { ...withChannel(), memory: '4M' }))).toEqual([
      'channels: partitions (3 MiB) and channel windows (2 MiB) need 5 MiB but memory is 4 MiB',
    ]);
    // Partitions alone too big: the partition message only.
    expect(errorsOf({ ...withChannel(), memory: '2M' })).toEqual(['vms: partitions need 3 MiB but memory is 2 MiB']);
  });

  it('a window without physicalBase needs a free range after the partitions', () => {
    // 4 MiB: alpha and beta take the first 3 MiB; "pin" at 3.5 MiB splits the rest into 512 and 496 KiB.
    const json = withChannelFields(0, { physicalBase: 0x38_0000 }, { ...withChannel(), memory: '4M' });
    json.channels.push({ ...secondChannel(), size: '768K' });
    expect(errorsOf(json)).toEqual([
      'channels[1].size: no free 768 KiB range is left in physical memory (4 MiB) after placing the partitions',
    ]);
  });

  it('a partition without physicalBase is placed around explicit windows too', () => {
    // 16 MiB with a 4 MiB window at 6 MiB and alpha at 0: holes of 5 and 6 MiB, too small for 8 MiB.
    const json = withChannelFields(0, { size: '4M', physicalBase: '6M' });
    json.vms[1] = { ...json.vms[1], ram: '8M' };
    expect(errorsOf(json)).toEqual([
      'vms[1].ram: no free 8 MiB range is left in physical memory (16 MiB) between the partitions and channel windows with an explicit physicalBase',
    ]);
  });
});
