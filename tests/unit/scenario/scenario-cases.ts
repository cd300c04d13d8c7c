// The validator's scenario rules as data, topic by topic (validate.test.ts asserts the lines).

import { below, topic, type ValidatorCase } from './case-topic.js';
import { baseScenario, kernelScenario, timePartitioned, withVm } from './fixtures.js';

const partitioned = () => ({ ...baseScenario(), scheduler: { policy: 'partitioned' } });

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
    [{ ...baseScenario(), vms: [{}] }, ['vms[0].name: required but missing', 'vms[0].ram: required but missing', 'vms[0].guest: required but missing (or kernel, to boot a kernel)']],
  ],
  [
    'a VM runs a guest or boots a kernel, and only a kernel takes an initrd and a command line',
    [withVm(1, { guest: '../guests/small.elf' }, kernelScenario()), ['vms[1].guest: cannot be given with kernel (a VM runs a guest or boots a kernel)']],
    [withVm(0, { initrd: '../guests/initrd.img', bootargs: 'quiet' }), ['vms[0].initrd: only with kernel', 'vms[0].bootargs: only with kernel']],
    [withVm(1, { kernel: '../guests/small.bin' }, kernelScenario()), ['vms[1].kernel: cannot read ../guests/small.bin: no such file']],
    [withVm(1, { kernel: '../guests/notes.txt' }, kernelScenario()), ['vms[1].kernel: the kernel is neither a RISC-V Image (no "RSC\\x05" at offset 0x38) nor an ELF']],
    [withVm(1, { ram: '4M' }, kernelScenario()), ['vms[1].kernel: the kernel (0x80400000..0x80401fff) does not fit in RAM 0x80000000..0x803fffff: give more --mem']],
    [withVm(1, { bootargs: 'x'.repeat(4096) }, kernelScenario()), [`vms[1].bootargs: must be a string of at most 4095 characters (got "${'x'.repeat(39)}…")`]],
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

