// The validator's channel rules as data, topic by topic (channels.test.ts asserts the lines).

import { topic, type ValidatorCase } from './case-topic.js';
import { baseScenario, secondChannel, withChannel, withChannelFields, withEndpoint } from './fixtures.js';

const channelFieldCases = topic([
  [
    'channels is an array of at most 64 channels',
    [{ ...baseScenario(), channels: {} }, ['channels: must be an array of channels (got an object)']],
    [{ ...baseScenario(), channels: Array.from({ length: 65 }, () => withChannel().channels[0]) }, ['channels: must list at most 64 channels (got 65)']],
    [{ ...baseScenario(), channels: [7] }, ['channels[0]: must be an object (got 7)']],
  ],
  [
    'a channel needs a name, a size and endpoints; an endpoint a vm, an address and an irq',
    [
      { ...baseScenario(), channels: [{}] },
      ['channels[0].name: required but missing', 'channels[0].size: required but missing', 'channels[0].endpoints: required but missing'],
    ],
    [
      withChannelFields(0, { endpoints: [{}, {}] }),
      [
        'channels[0].endpoints[0].vm: required but missing',
        'channels[0].endpoints[0].address: required but missing',
        'channels[0].endpoints[0].irq: required but missing',
        'channels[0].endpoints[1].vm: required but missing',
        'channels[0].endpoints[1].address: required but missing',
        'channels[0].endpoints[1].irq: required but missing',
      ],
    ],
  ],
  [
    'unknown fields are named, with a guess',
    [withEndpoint(0, 0, { adress: '0x1000' }), ['channels[0].endpoints[0].adress: unknown field (did you mean "address"?)']],
    [withChannelFields(0, { bytes: 4096 }), ['channels[0].bytes: unknown field']],
  ],
  [
    'a channel name is a lowercase identifier',
    [withChannelFields(0, { name: 'PIN' }), ['channels[0].name: must be a lowercase letter followed by up to 31 lowercase letters, digits or "-" (got "PIN")']],
  ],
  [
    'channel names are unique',
    [
      (() => {
        const json = withChannel();
        json.channels.push({ ...secondChannel(), name: 'pin' });
        return json;
      })(),
      ['channels[1].name: "pin" is already the name of channels[0]'],
    ],
  ],
  [
    'size is whole 4 KiB pages, 4 KiB to 64 MiB',
    [withChannelFields(0, { size: '6K' }), ['channels[0].size: must be a multiple of 4 KiB (got "6K")']],
    [withChannelFields(0, { size: '128M' }), ['channels[0].size: must be at most 64 MiB (got "128M")']],
    [withChannelFields(0, { size: 0 }), ['channels[0].size: must be at least 4 KiB (got 0)']],
  ],
  [
    'a channel has exactly two endpoints',
    [
      (() => {
        const json = withChannel();
        json.channels[0].endpoints.pop();
        return json;
      })(),
      ['channels[0].endpoints: must list 2 endpoints (got 1)'],
    ],
  ],
  [
    'an address is an integer or a 0x-hex string, 4 KiB aligned, below 2^32',
    [withEndpoint(0, 0, { address: '2G' }), ['channels[0].endpoints[0].address: must be an address such as "0x90000000" (got "2G")']],
    [withEndpoint(0, 0, { address: '0x90000800' }), ['channels[0].endpoints[0].address: must be 4 KiB aligned (got "0x90000800")']],
    [withEndpoint(0, 0, { address: 0x1_0000_0000 }), ['channels[0].endpoints[0].address: must be an address from 0x0 to 0xfffff000 (got 4294967296)']],
  ],
  ['access is "rw" or "ro"', [withEndpoint(0, 0, { access: 'wo' }), ['channels[0].endpoints[0].access: must be "rw" or "ro" (got "wo")']]],
  [
    'irq is a PLIC source from 1 to 95',
    [withEndpoint(0, 0, { irq: 96 }), ['channels[0].endpoints[0].irq: must be an integer from 1 to 95 (got 96)']],
    [withEndpoint(0, 1, { irq: 0 }), ['channels[0].endpoints[1].irq: must be an integer from 1 to 95 (got 0)']],
  ],
  [
    'a ring must be one of the two endpoints',
    [withChannelFields(0, { ring: 'gamma' }), ['channels[0].ring: "gamma" is not an endpoint of this channel ("alpha" or "beta")']],
    [withChannelFields(0, { ring: 7 }), ['channels[0].ring: must be a non-empty string (got 7)']],
  ],
]);

/** withChannel() plus secondChannel(), changed by `change`. */
function twoChannels(change: (json: ReturnType<typeof withChannel>) => void) {
  const json = withChannel();
  json.channels.push(secondChannel());
  change(json);
  return json;
}

const endpointCases = topic([
  ['endpoints name an existing VM', [withEndpoint(0, 1, { vm: 'gamma' }), ['channels[0].endpoints[1].vm: no VM is named "gamma"']]],
  [
    'endpoints are in two different VMs',
    [withEndpoint(0, 1, { vm: 'alpha', irq: 32 }), ['channels[0].endpoints[1].vm: "alpha" is already endpoints[0]: a channel joins two different VMs']],
  ],
  [
    "endpoints keep the window clear of the VM's RAM",
    [withEndpoint(0, 0, { address: '0x80000000' }), ["channels[0].endpoints[0].address: window 0x80000000..0x80003fff overlaps the VM's RAM (0x80000000..0x800fffff)"]],
    // Past alpha's 1 MiB but inside beta's 2 MiB: only beta's endpoint is wrong.
    [
      withEndpoint(0, 1, { address: 0x8010_0000 }, withEndpoint(0, 0, { address: 0x8010_0000 })),
      ["channels[0].endpoints[1].address: window 0x80100000..0x80103fff overlaps the VM's RAM (0x80000000..0x801fffff)"],
    ],
  ],
  [
    'endpoints keep the window clear of every device',
    ...(
      [
        ['0x100000', 'window 0x100000..0x103fff overlaps the test device (0x100000..0x100fff)'],
        ['0x2000000', 'window 0x2000000..0x2003fff overlaps the CLINT (0x2000000..0x200ffff)'],
        ['0x3ffe000', 'window 0x3ffe000..0x4001fff overlaps the hypervisor-services device (0x4000000..0x4000fff)'],
        ['0x4100000', 'window 0x4100000..0x4103fff overlaps the doorbell device (0x4100000..0x4100fff)'],
        ['0xc5ff000', 'window 0xc5ff000..0xc602fff overlaps the PLIC (0xc000000..0xc5fffff)'],
        ['0x10000000', 'window 0x10000000..0x10003fff overlaps the UART (0x10000000..0x100000ff)'],
      ] as const
    ).map(([address, line]): [unknown, string[]] => [withEndpoint(0, 0, { address }), [`channels[0].endpoints[0].address: ${line}`]]),
  ],
  [
    'endpoints report every device a large window covers, one line each',
    [
      withEndpoint(0, 1, { address: '0x4000000' }, withChannelFields(0, { size: '2M' })),
      [
        'channels[0].endpoints[1].address: window 0x4000000..0x41fffff overlaps the hypervisor-services device (0x4000000..0x4000fff)',
        'channels[0].endpoints[1].address: window 0x4000000..0x41fffff overlaps the doorbell device (0x4100000..0x4100fff)',
      ],
    ],
  ],
  [
    'endpoints end at or below 2^32',
    [withEndpoint(0, 0, { address: '0xffffe000' }), ['channels[0].endpoints[0].address: window 0xffffe000..0x100001fff ends past the 32-bit address space']],
  ],
  [
    "endpoints keep the window clear of the VM's other windows (the same address in another VM is fine)",
    [
      twoChannels((json) => (json.channels[1].endpoints[0].address = '0x90002000')),
      ['channels[1].endpoints[0].address: window 0x90002000..0x90003fff overlaps channels[0].endpoints[0] (0x90000000..0x90003fff)'],
    ],
  ],
  ['endpoints never take the UART interrupt', [withEndpoint(0, 0, { irq: 10 }), ["channels[0].endpoints[0].irq: 10 is the UART's interrupt in every VM"]]],
  [
    "endpoints take an interrupt no other channel of the VM uses (another VM's is fine)",
    [
      twoChannels((json) => {
        json.channels[1].endpoints[0].irq = 32;
        json.channels[1].endpoints[1].irq = 32;
      }),
      ['channels[1].endpoints[0].irq: 32 is already taken in vms[0] by channels[0].endpoints[0]'],
    ],
  ],
  [
    'endpoints say nothing of VMs when the VM list is wrong, or when the VM named may be one whose name is wrong',
    [{ ...withChannel(), vms: {} }, ['vms: must be an array of VMs (got an object)']],
    [
      (() => {
        const json = withChannel();
        json.vms[1] = { ...json.vms[1], name: 'Beta' };
        return withEndpoint(0, 1, { vm: 'Beta' }, json);
      })(),
      ['vms[1].name: must be a lowercase letter followed by up to 31 lowercase letters, digits or "-" (got "Beta")'],
    ],
  ],
]);

const channelMemoryCases = topic([
  ['physicalBase is page-aligned', [withChannelFields(0, { physicalBase: '0x800800' }), ['channels[0].physicalBase: must be a multiple of 4 KiB (got "0x800800")']]],
  [
    'an explicit physicalBase does not overlap a partition',
    [
      (() => {
        const json = withChannelFields(0, { physicalBase: '0x80000' });
        json.vms[0] = { ...json.vms[0], physicalBase: 0 };
        return json;
      })(),
      ['channels[0].physicalBase: window 0x80000..0x83fff overlaps vms[0] (0x0..0xfffff)'],
    ],
  ],
  [
    'explicit windows do not overlap each other',
    [
      (() => {
        const json = withChannelFields(0, { physicalBase: '8M' });
        json.channels.push({ ...secondChannel(), physicalBase: 0x80_2000 });
        return json;
      })(),
      ['channels[0].physicalBase: window 0x800000..0x803fff overlaps channels[1] (0x802000..0x803fff)'],
    ],
  ],
  [
    'an explicit window lies inside physical memory',
    [withChannelFields(0, { physicalBase: '16M' }), ['channels[0].physicalBase: window 0x1000000..0x1003fff ends past the end of physical memory (16 MiB)']],
  ],
  [
    'partitions and windows together fit in physical memory',
    [withChannelFields(0, { size: '2M' }, { ...withChannel(), memory: '4M' }), ['channels: partitions (3 MiB) and channel windows (2 MiB) need 5 MiB but memory is 4 MiB']],
    // Partitions alone too big: the partition message only.
    [{ ...withChannel(), memory: '2M' }, ['vms: partitions need 3 MiB but memory is 2 MiB']],
  ],
  [
    'a window without physicalBase needs a free range after the partitions',
    // 4 MiB: alpha and beta take the first 3 MiB; "pin" at 3.5 MiB splits the rest into 512 and 496 KiB.
    [
      (() => {
        const json = withChannelFields(0, { physicalBase: 0x38_0000 }, { ...withChannel(), memory: '4M' });
        json.channels.push({ ...secondChannel(), size: '768K' });
        return json;
      })(),
      ['channels[1].size: no free 768 KiB range is left in physical memory (4 MiB) after placing the partitions'],
    ],
  ],
  [
    'a partition without physicalBase is placed around explicit windows too',
    // 16 MiB with a 4 MiB window at 6 MiB and alpha at 0: holes of 5 and 6 MiB, too small for 8 MiB.
    [
      (() => {
        const json = withChannelFields(0, { size: '4M', physicalBase: '6M' });
        json.vms[1] = { ...json.vms[1], ram: '8M' };
        return json;
      })(),
      ['vms[1].ram: no free 8 MiB range is left in physical memory (16 MiB) between the partitions and channel windows with an explicit physicalBase'],
    ],
  ],
]);

/** The channel cases of channels.test.ts, by topic. */
export const CHANNEL_CASES: Record<string, ValidatorCase[]> = {
  'channel fields': channelFieldCases,
  'channel endpoints': endpointCases,
  'channel windows in physical memory': channelMemoryCases,
};

