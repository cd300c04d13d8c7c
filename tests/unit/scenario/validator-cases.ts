// The validator's rules as data: a scenario document and the exact lines it gives, topic by topic.
// validate.test.ts and channels.test.ts assert the lines; the schema parity corpus reuses the documents.

import {
  baseScenario,
  secondChannel,
  timePartitioned,
  withChannel,
  withChannelFields,
  withEndpoint,
  withVm,
} from './fixtures.js';

export interface ValidatorCase {
  /** What the case shows, as a test title. */
  name: string;
  json: unknown;
  /** Every line validateScenario gives (with the fixtures' SOURCE). */
  errors: string[];
}

const partitioned = () => ({ ...baseScenario(), scheduler: { policy: 'partitioned' } });
const below = (min: number) => `is below the minimum of ${min} cycles (${min / 100} µs at 100 MHz)`;

/** The cases of one topic, several documents under one rule numbered after the first. */
function topic(list: [string, ...[unknown, string[]][]][]): ValidatorCase[] {
  return list.flatMap(([name, ...documents]) =>
    documents.map(([json, errors], i) => ({ name: documents.length === 1 ? name : `${name} (${i + 1})`, json, errors })),
  );
}

const scenarioCases = topic([
  ['the scenario must be an object', [[1], ['scenario: must be an object (got an array)']]],
  [
    'required fields must be there',
    [
      {},
      [
        'name: required but missing',
        'cores: required but missing',
        'memory: required but missing',
        'scheduler: required but missing',
        'vms: required but missing',
      ],
    ],
  ],
  [
    'unknown fields are errors, with a suggestion when one is close',
    [
      (() => {
        const json = baseScenario();
        json.vms.push({ name: 'gamma', guest: '../guests/small.elf', ram: '1M', colour: 'red', afinity: [0] });
        json.memroy = '1M';
        return json;
      })(),
      ['memroy: unknown field (did you mean "memory"?)', 'vms[2].colour: unknown field', 'vms[2].afinity: unknown field (did you mean "affinity"?)'],
    ],
  ],
  ['a field name that is not an identifier is quoted in the path', [{ ...baseScenario(), 'my field': 1 }, ['scenario["my field"]: unknown field']]],
  ['name is 1 to 64 characters', [{ ...baseScenario(), name: '' }, ['name: must be a string of 1 to 64 characters (got "")']]],
  [
    'a character is a Unicode code point, as JSON Schema counts it (an emoji is two UTF-16 units)',
    [{ ...baseScenario(), name: '\u{1F600}'.repeat(64) }, []],
    // The value shown is cut before a character, never inside one.
    [{ ...baseScenario(), name: '\u{1F600}'.repeat(65) }, [`name: must be a string of 1 to 64 characters (got "${'\u{1F600}'.repeat(19)}…")`]],
  ],
  [
    'a value with a line or paragraph separator or a C1 control is shown escaped, on one line',
    [
      withVm(0, { name: 'a\u2028b\u2029c\u0085' }),
      ['vms[0].name: must be a lowercase letter followed by up to 31 lowercase letters, digits or "-" (got "a\\u2028b\\u2029c\\u0085")'],
    ],
  ],
  [
    'cores is an integer from 1 to 64',
    [{ ...baseScenario(), cores: 0 }, ['cores: must be an integer from 1 to 64 (got 0)']],
    [{ ...baseScenario(), cores: 1.5 }, ['cores: must be an integer from 1 to 64 (got 1.5)']],
    [{ ...baseScenario(), cores: '2' }, ['cores: must be an integer from 1 to 64 (got "2")']],
  ],
  [
    'memory is a size in whole 4 KiB pages, at most 2 GiB',
    [{ ...baseScenario(), memory: 'plenty' }, ['memory: must be a size such as "1M" (got "plenty")']],
    [{ ...baseScenario(), memory: 10_000 }, ['memory: must be a multiple of 4 KiB (got 10000)']],
    [{ ...baseScenario(), memory: '4G' }, ['memory: must be at most 2 GiB (got "4G")']],
    [{ ...baseScenario(), memory: 0 }, ['memory: must be at least 4 KiB (got 0)']],
  ],
  [
    'a VM ram is a size of at least 4 KiB',
    [withVm(1, { ram: 'lots' }), ['vms[1].ram: must be a size such as "1M" (got "lots")']],
    [withVm(0, { ram: '1.5M' }), ['vms[0].ram: must be a size such as "1M" (got "1.5M")']],
    [withVm(0, { ram: 0 }), ['vms[0].ram: must be at least 4 KiB (got 0)']],
  ],
  [
    'timing fields have their types and ranges',
    [
      { ...baseScenario(), timing: { mode: 'fast', quantum: 10, frequency: 100 } },
      [
        'timing.mode: must be "virtual" or "realtime" (got "fast")',
        'timing.quantum: 10 is below the minimum of 100 cycles (1 µs at 100 MHz)',
        'timing.frequency: must be an integer from 1000000 to 10000000000 (got 100)',
      ],
    ],
    [{ ...baseScenario(), timing: 'fast' }, ['timing: must be an object (got "fast")']],
  ],
  [
    'scheduler.policy is one of the three policies',
    [
      { ...baseScenario(), scheduler: { policy: 'round-robin' } },
      ['scheduler.policy: must be one of "partitioned", "fixed-priority", "time-partitioned" (got "round-robin")'],
    ],
    [{ ...baseScenario(), scheduler: {} }, ['scheduler.policy: required but missing']],
  ],
  [
    'scheduler.switchCost and preemptionBound have their ranges',
    [
      { ...baseScenario(), scheduler: { policy: 'fixed-priority', switchCost: -1, preemptionBound: 5 } },
      ['scheduler.switchCost: must be an integer from 0 to 100000 (got -1)', 'scheduler.preemptionBound: 5 is below the minimum of 100 cycles (1 µs at 100 MHz)'],
    ],
  ],
  [
    'vms lists 1 to 64 VMs',
    [{ ...baseScenario(), vms: [] }, ['vms: must list 1 to 64 VMs (got 0)']],
    [{ ...baseScenario(), vms: {} }, ['vms: must be an array of VMs (got an object)']],
    [{ ...baseScenario(), vms: [null] }, ['vms[0]: must be an object (got null)']],
  ],
  [
    'a VM name is a lowercase identifier',
    [withVm(0, { name: 'RTOS' }), ['vms[0].name: must be a lowercase letter followed by up to 31 lowercase letters, digits or "-" (got "RTOS")']],
    [
      withVm(0, { name: 'a'.repeat(33) }),
      [`vms[0].name: must be a lowercase letter followed by up to 31 lowercase letters, digits or "-" (got "${'a'.repeat(33)}")`],
    ],
  ],
  ['VM names are unique', [withVm(1, { name: 'alpha' }), ['vms[1].name: "alpha" is already the name of vms[0]']]],
  ['vcpus is an integer from 1 to 8', [withVm(0, { vcpus: 9 }), ['vms[0].vcpus: must be an integer from 1 to 8 (got 9)']]],
  ['priority is an integer from 0 to 255', [withVm(0, { priority: 256 }), ['vms[0].priority: must be an integer from 0 to 255 (got 256)']]],
  [
    'budget and period come together, and the budget fits in the period',
    [withVm(0, { budget: 1000 }), ['vms[0].budget: needs a period as well (give both or neither)']],
    [withVm(0, { period: 1000 }), ['vms[0].period: needs a budget as well (give both or neither)']],
    [withVm(0, { budget: 3000, period: 2000 }), ['vms[0].budget: 3000 is more than the period (2000)']],
    [withVm(0, { budget: 1.5, period: 2000 }), ['vms[0].budget: must be an integer >= 1000 (got 1.5)']],
  ],
  [
    'affinity lists cores of the scenario, each once',
    [withVm(0, { affinity: [0, 2] }), ['vms[0].affinity[1]: core 2 is out of range (the scenario has 2 cores)']],
    [withVm(0, { affinity: [1, 1] }), ['vms[0].affinity[1]: core 1 is listed twice']],
    [withVm(0, { affinity: [2, 2] }), ['vms[0].affinity[0]: core 2 is out of range (the scenario has 2 cores)', 'vms[0].affinity[1]: core 2 is listed twice']],
    [withVm(0, { affinity: ['0'] }), ['vms[0].affinity[0]: must be a core number from 0 to 63 (got "0")']],
    [withVm(0, { affinity: [] }), ['vms[0].affinity: must list 1 to 64 cores (got 0)']],
  ],
  [
    'onFault has a policy and a restart limit',
    [
      withVm(0, { onFault: { policy: 'reboot', limit: 1001 } }),
      ['vms[0].onFault.policy: must be "halt" or "restart" (got "reboot")', 'vms[0].onFault.limit: must be an integer from 0 to 1000 (got 1001)'],
    ],
    [withVm(0, { onFault: { retries: 2 } }), ['vms[0].onFault.retries: unknown field']],
  ],
  [
    'onFault.resetsPerSecond is a positive rate',
    [withVm(0, { onFault: { resetsPerSecond: 0 } }), ['vms[0].onFault.resetsPerSecond: must be an integer from 1 to 1000000 (got 0)']],
  ],
  [
    'watchdog is at least 1000 cycles',
    [withVm(0, { watchdog: 999 }), ['vms[0].watchdog: 999 is below the minimum of 1000 cycles (10 µs at 100 MHz)']],
    [withVm(0, { watchdog: '5000' }), ['vms[0].watchdog: must be an integer >= 1000 (got "5000")']],
  ],
  ['autostart is a boolean', [withVm(0, { autostart: 'yes' }), ['vms[0].autostart: must be true or false (got "yes")']]],
  [
    'a VM needs a name, a guest and RAM',
    [{ ...baseScenario(), vms: [{}] }, ['vms[0].name: required but missing', 'vms[0].ram: required but missing', 'vms[0].guest: required but missing']],
  ],
  [
    'every error is collected, not just the first',
    [
      withVm(1, { ram: 'lots', vcpus: 0 }, withVm(0, { colour: 'red' }, { ...baseScenario(), cores: 99 })),
      [
        'cores: must be an integer from 1 to 64 (got 99)',
        'vms[0].colour: unknown field',
        'vms[1].ram: must be a size such as "1M" (got "lots")',
        'vms[1].vcpus: must be an integer from 1 to 8 (got 0)',
      ],
    ],
  ],
]);

const policyFieldCases = topic([
  [
    'preemptionBound is only for fixed-priority',
    [{ ...baseScenario(), scheduler: { policy: 'partitioned', preemptionBound: 100 } }, ['scheduler.preemptionBound: only for fixed-priority']],
  ],
  [
    'majorFrame and windows are only for time-partitioned',
    [
      { ...baseScenario(), scheduler: { policy: 'fixed-priority', majorFrame: 1_000_000, windows: [] } },
      ['scheduler.majorFrame: only for time-partitioned', 'scheduler.windows: only for time-partitioned'],
    ],
  ],
  [
    'priority, budget and period are only for fixed-priority',
    [
      withVm(0, { priority: 3, budget: 10, period: 100 }, { ...baseScenario(), scheduler: { policy: 'partitioned' } }),
      ['vms[0].priority: only for fixed-priority', 'vms[0].budget: only for fixed-priority', 'vms[0].period: only for fixed-priority'],
    ],
  ],
]);

const partitionCases = topic([
  ['physicalBase is page-aligned', [withVm(0, { physicalBase: '0x100100' }), ['vms[0].physicalBase: must be a multiple of 4 KiB (got "0x100100")']]],
  [
    'explicit partitions do not overlap',
    [
      withVm(1, { ram: '1M', physicalBase: 0x18_0000 }, withVm(0, { physicalBase: '0x100000' })),
      ['vms[0].physicalBase: partition 0x100000..0x1fffff overlaps vms[1] (0x180000..0x27ffff)'],
    ],
  ],
  [
    'an explicit partition lies inside physical memory',
    [withVm(0, { physicalBase: '15M', ram: '2M' }), ['vms[0].physicalBase: partition 0xf00000..0x10fffff ends past the end of physical memory (16 MiB)']],
  ],
  [
    'the partitions together fit in physical memory',
    [withVm(1, { ram: '60M' }, withVm(0, { ram: '20M' }, { ...baseScenario(), memory: '64M' })), ['vms: partitions need 80 MiB but memory is 64 MiB']],
  ],
  [
    'a partition without physicalBase needs a free range between the explicit ones',
    // 16 MiB with a 4 MiB partition at 6 MiB leaves two 6 MiB holes: 8 MiB fits in neither.
    [
      withVm(1, { ram: '8M' }, withVm(0, { ram: '4M', physicalBase: '6M' })),
      ['vms[1].ram: no free 8 MiB range is left in physical memory (16 MiB) between the partitions with an explicit physicalBase'],
    ],
  ],
  [
    'the update slot must fit in the memory left',
    [
      withVm(1, { updatable: true, ram: '8M' }, { ...baseScenario(), memory: '12M' }),
      ['vms[1].updatable: no free 8 MiB range is left in physical memory (12 MiB) for the update slot after the partitions and channel windows'],
    ],
  ],
  ['updatable is a boolean', [withVm(0, { updatable: 'yes' }), ['vms[0].updatable: must be true or false (got "yes")']]],
]);

const guestCases = topic([
  ['a missing guest file names the path as written', [withVm(0, { guest: '../x.elf' }), ['vms[0].guest: cannot read ../x.elf: no such file']]],
  [
    'a file that is not an ELF gives the loader message',
    [withVm(0, { guest: '../guests/notes.txt' }), ['vms[0].guest: not an ELF file: it starts with 68 65 6c 6c, expected 7f 45 4c 46']],
  ],
  ['an image whose segments overlap is refused with the loader message', [withVm(0, { guest: '../guests/overlap.elf' }), ['vms[0].guest: segments 0 and 1 overlap at 0x80001000']]],
  [
    "every segment fits in the VM's RAM at 0x80000000",
    [withVm(0, { guest: '../guests/big.elf' }), ["vms[0].guest: segment at 0x80001000..0x80200fff does not fit in the VM's 1 MiB of RAM at 0x80000000"]],
  ],
  ["the entry point is in the VM's RAM", [withVm(0, { guest: '../guests/low-entry.elf' }), ["vms[0].guest: entry point 0x1000 is not in the VM's 1 MiB of RAM at 0x80000000"]]],
  [
    'each VM that names a bad guest gets its own line',
    [withVm(1, { guest: '../x.elf' }, withVm(0, { guest: '../x.elf' })), ['vms[0].guest: cannot read ../x.elf: no such file', 'vms[1].guest: cannot read ../x.elf: no such file']],
  ],
]);

const partitionedCases = topic([
  ['needs no more vCPUs than cores', [withVm(1, { vcpus: 2 }, partitioned()), ['vms: partitioned gives every vCPU its own core: 3 vCPUs need 3 cores, the scenario has 2']]],
  [
    'an explicit affinity names a core for every vCPU',
    [withVm(0, { vcpus: 2, affinity: [1] }, { ...partitioned(), cores: 4 }), ["vms[0].affinity: partitioned needs a core for each of the VM's 2 vCPUs (got 1)"]],
  ],
  ['no core runs two vCPUs', [withVm(1, { affinity: [0] }, withVm(0, { affinity: [0] }, partitioned())), ['vms[1].affinity[0]: core 0 already runs vms[0] vCPU 0']]],
]);

/** timePartitioned() with its windows changed by `change`. */
function windows(change: (json: ReturnType<typeof timePartitioned>) => void) {
  const json = timePartitioned();
  change(json);
  return json;
}

const timePartitionedCases = topic([
  [
    'needs a major frame and windows',
    [{ ...baseScenario(), scheduler: { policy: 'time-partitioned' } }, ['scheduler.majorFrame: required for time-partitioned', 'scheduler.windows: required for time-partitioned']],
  ],
  [
    'window fields have their types',
    [
      windows((json) => (json.scheduler.windows[1] = { core: -1, vm: 'beta', offset: 0, duraton: 5 })),
      [
        'scheduler.windows[1].duraton: unknown field (did you mean "duration"?)',
        'scheduler.windows[1].core: must be an integer from 0 to 63 (got -1)',
        'scheduler.windows[1].duration: required but missing',
      ],
    ],
  ],
  [
    "a window's core exists",
    [
      windows((json) => {
        json.scheduler.windows.push({ core: 5, vm: 'alpha', offset: 600_000, duration: 1000 });
        json.scheduler.windows.push({ core: 2, vm: 'alpha', offset: 600_000, duration: 1000 });
      }),
      ['scheduler.windows[2]: core 5 is out of range (the scenario has 2 cores)', 'scheduler.windows[3]: core 2 is out of range (the scenario has 2 cores)'],
    ],
  ],
  [
    "a window's VM exists",
    [windows((json) => json.scheduler.windows.push({ core: 0, vm: 'gamma', offset: 600_000, duration: 1000 })), ['scheduler.windows[2]: no VM is named "gamma"']],
  ],
  [
    'the VM has a vCPU allowed on the window core',
    [
      (() => {
        const json = withVm(1, { affinity: [1] }, timePartitioned());
        json.scheduler.windows.push({ core: 0, vm: 'beta', offset: 600_000, duration: 1000 });
        return json;
      })(),
      ['scheduler.windows[2]: vms[1] has no vCPU allowed on core 0 (its affinity is [1])'],
    ],
  ],
  [
    'a window ends within the major frame',
    [
      windows((json) => (json.scheduler.windows[1] = { core: 1, vm: 'beta', offset: 700_000, duration: 500_000 })),
      ['scheduler.windows[1]: ends at 1200000, past the major frame (1000000)'],
    ],
  ],
  [
    'windows on one core do not overlap (touching is fine)',
    [
      windows((json) => {
        json.scheduler.windows.push({ core: 1, vm: 'alpha', offset: 250_000, duration: 1000 });
        json.scheduler.windows.push({ core: 0, vm: 'beta', offset: 499_999, duration: 1000 });
      }),
      ['scheduler.windows[3]: overlaps scheduler.windows[0] on core 0'],
    ],
  ],
  ['every VM has a window', [windows((json) => json.scheduler.windows.pop()), ['vms[1]: has no window in scheduler.windows']]],
]);

const minimumTimeCases = topic([
  [
    'a budget and a period of 1 cycle (a scheduling decision every cycle) are refused',
    [withVm(1, { budget: 1, period: 1 }), [`vms[1].budget: 1 ${below(1000)}`, `vms[1].period: 1 ${below(1000)}`]],
  ],
  [
    'budget and period are at least 1000 cycles',
    [withVm(0, { budget: 999, period: 100_000 }), [`vms[0].budget: 999 ${below(1000)}`]],
    [withVm(0, { budget: 0, period: 2000 }), [`vms[0].budget: 0 ${below(1000)}`]],
    [withVm(0, { budget: 1000, period: 1000 }), []],
  ],
  [
    'a budget is more than the switch cost, which would otherwise take all of it',
    [
      withVm(0, { budget: 5000, period: 10_000 }, { ...baseScenario(), scheduler: { policy: 'fixed-priority', switchCost: 5000 } }),
      ['vms[0].budget: 5000 must be more than scheduler.switchCost (5000), or switching to the VM takes its whole budget'],
    ],
    [withVm(0, { budget: 5001, period: 10_000 }, { ...baseScenario(), scheduler: { policy: 'fixed-priority', switchCost: 5000 } }), []],
  ],
  [
    'preemptionBound is at least 100 cycles',
    [{ ...baseScenario(), scheduler: { policy: 'fixed-priority', preemptionBound: 99 } }, [`scheduler.preemptionBound: 99 ${below(100)}`]],
    [{ ...baseScenario(), scheduler: { policy: 'fixed-priority', preemptionBound: 100 } }, []],
  ],
  [
    'the quantum is at least 100 cycles',
    [{ ...baseScenario(), timing: { quantum: 99 } }, [`timing.quantum: 99 ${below(100)}`]],
    [{ ...baseScenario(), timing: { quantum: 100 } }, []],
  ],
  [
    'a time window is at least 1000 cycles, and the major frame too',
    [windows((json) => (json.scheduler.windows[1].duration = 999)), [`scheduler.windows[1].duration: 999 ${below(1000)}`]],
    [windows((json) => (json.scheduler.windows[1].duration = 1000)), []],
    [
      windows((json) => {
        json.scheduler.windows[1].duration = 1000;
        json.scheduler.majorFrame = 999;
      }),
      [`scheduler.majorFrame: 999 ${below(1000)}`],
    ],
  ],
  [
    'a time window is longer than the switch cost (the switch would run the VM past its window)',
    [
      windows((json) => {
        json.scheduler.switchCost = 2000;
        json.scheduler.windows[1].duration = 2000;
      }),
      ['scheduler.windows[1].duration: 2000 must be more than scheduler.switchCost (2000), or switching to the VM takes the whole window'],
    ],
    [
      windows((json) => {
        json.scheduler.switchCost = 2000;
        json.scheduler.windows[1].duration = 2001;
      }),
      [],
    ],
  ],
]);

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

/** The scenario cases of validate.test.ts, by topic. */
export const SCENARIO_CASES: Record<string, ValidatorCase[]> = {
  'the shape of each field': scenarioCases,
  'fields of another policy': policyFieldCases,
  'physical memory partitions and update slots': partitionCases,
  guests: guestCases,
  partitioned: partitionedCases,
  'time-partitioned': timePartitionedCases,
  'minimum times: the hypervisor acts at most every so many cycles, however the scenario is set': minimumTimeCases,
};

/** The channel cases of channels.test.ts, by topic. */
export const CHANNEL_CASES: Record<string, ValidatorCase[]> = {
  'channel fields': channelFieldCases,
  'channel endpoints': endpointCases,
  'channel windows in physical memory': channelMemoryCases,
};

/** Every case. */
export const VALIDATOR_CASES: ValidatorCase[] = [...Object.values(SCENARIO_CASES), ...Object.values(CHANNEL_CASES)].flat();
