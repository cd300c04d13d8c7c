// Scenario validation: each rule of the format, with the exact one-line error it gives, and normalization.

import { describe, expect, it } from 'vitest';
import { validateScenario } from '../../../engine/scenario/validate.js';
import { baseScenario, MiB, SOURCE, timePartitioned, type Json } from './fixtures.js';

function errorsOf(json: unknown): string[] {
  const result = validateScenario(json, SOURCE);
  expect(result.scenario === undefined).toBe(result.errors.length > 0);
  return result.errors;
}

/** The base scenario with one VM's fields changed (undefined deletes a field). */
function withVm<T extends { vms: Json[] }>(index: number, fields: Json, json: T = baseScenario() as unknown as T): T {
  const vm: Json = { ...json.vms[index], ...fields };
  for (const key of Object.keys(vm)) if (vm[key] === undefined) delete vm[key];
  json.vms[index] = vm;
  return json;
}

describe('a valid scenario', () => {
  it('normalizes with every default filled in', () => {
    const { scenario, errors } = validateScenario(baseScenario(), SOURCE);
    expect(errors).toEqual([]);
    expect(scenario).toEqual({
      name: 'test',
      cores: 2,
      memoryBytes: 16 * MiB,
      timing: { mode: 'virtual', quantum: 10_000, frequency: 100_000_000 },
      scheduler: { policy: 'fixed-priority', switchCost: 100, preemptionBound: 1000 },
      vms: [
        {
          name: 'alpha',
          guestPath: '/fs/guests/small.elf',
          image: expect.objectContaining({ entry: 0x8000_0000 }),
          ramBytes: MiB,
          physicalBase: 0,
          vcpus: 1,
          priority: 0,
          affinity: [0, 1],
          placement: [],
          onFault: { policy: 'halt', limit: 3, resetsPerSecond: 10 },
          autostart: true,
        },
        expect.objectContaining({ name: 'beta', ramBytes: 2 * MiB, physicalBase: MiB, affinity: [0, 1] }),
      ],
      channels: [],
    });
    expect(scenario?.vms[0].image.segments).toHaveLength(2);
  });

  it('keeps every field given, and accepts sizes as integers or strings', () => {
    const json = {
      $schema: './scenario.schema.json',
      name: 'full',
      description: 'every field',
      cores: 4,
      memory: 0x400_0000,
      timing: { mode: 'realtime', quantum: 5000, frequency: 50_000_000 },
      scheduler: { policy: 'fixed-priority', preemptionBound: 200, switchCost: 0 },
      vms: [
        {
          name: 'rtos',
          guest: '/fs/guests/small.elf',
          ram: 65536,
          physicalBase: '0x100000',
          vcpus: 2,
          priority: 200,
          budget: 200_000,
          period: 1_000_000,
          affinity: [3, 1],
          onFault: { policy: 'restart', limit: 0 },
          watchdog: 5_000_000,
          autostart: false,
        },
      ],
    };
    const { scenario, errors } = validateScenario(json, SOURCE);
    expect(errors).toEqual([]);
    expect(scenario).toMatchObject({
      description: 'every field',
      memoryBytes: 64 * MiB,
      timing: { mode: 'realtime', quantum: 5000, frequency: 50_000_000 },
      scheduler: { policy: 'fixed-priority', preemptionBound: 200, switchCost: 0 },
    });
    expect(scenario?.vms[0]).toMatchObject({
      guestPath: '/fs/guests/small.elf',
      ramBytes: 65536,
      physicalBase: 0x10_0000,
      vcpus: 2,
      priority: 200,
      budget: 200_000,
      period: 1_000_000,
      affinity: [3, 1],
      placement: [],
      onFault: { policy: 'restart', limit: 0, resetsPerSecond: 10 },
      watchdog: 5_000_000,
      autostart: false,
    });
  });

  it('places partitions first-fit in VM order around explicit bases, page-aligned', () => {
    const json = baseScenario();
    json.vms = [
      { name: 'fixed', guest: '../guests/small.elf', ram: '1M', physicalBase: '1M' },
      { name: 'a', guest: '../guests/small.elf', ram: '512K' },
      { name: 'b', guest: '../guests/small.elf', ram: '1M' },
      { name: 'c', guest: '../guests/small.elf', ram: '512K' },
    ];
    const bases = validateScenario(json, SOURCE).scenario?.vms.map((vm) => vm.physicalBase);
    // a takes 0..512K; b does not fit in the 512K hole below "fixed", so goes above it; c fills the hole.
    expect(bases).toEqual([MiB, 0, 2 * MiB, 512 * 1024]);
  });

  it('reads each guest file once, however many VMs run it', () => {
    const reads: string[] = [];
    const source = { ...SOURCE, readFile: (path: string) => (reads.push(path), SOURCE.readFile(path)) };
    expect(validateScenario(baseScenario(), source).errors).toEqual([]);
    expect(reads).toEqual(['/fs/guests/small.elf']);
  });
});

describe('the shape of each field', () => {
  it('the scenario must be an object', () => {
    expect(errorsOf([1])).toEqual(['scenario: must be an object (got an array)']);
  });

  it('required fields must be there', () => {
    expect(errorsOf({})).toEqual([
      'name: required but missing',
      'cores: required but missing',
      'memory: required but missing',
      'scheduler: required but missing',
      'vms: required but missing',
    ]);
  });

  it('unknown fields are errors, with a suggestion when one is close', () => {
    const json = baseScenario();
    json.vms.push({ name: 'gamma', guest: '../guests/small.elf', ram: '1M', colour: 'red', afinity: [0] });
    json.memroy = '1M';
    expect(errorsOf(json)).toEqual([
      'memroy: unknown field (did you mean "memory"?)',
      'vms[2].colour: unknown field',
      'vms[2].afinity: unknown field (did you mean "affinity"?)',
    ]);
  });

  it('a field name that is not an identifier is quoted in the path', () => {
    expect(errorsOf({ ...baseScenario(), 'my field': 1 })).toEqual(['scenario["my field"]: unknown field']);
  });

  it('name is 1 to 64 characters', () => {
    expect(errorsOf({ ...baseScenario(), name: '' })).toEqual(['name: must be a string of 1 to 64 characters (got "")']);
  });

  it('cores is an integer from 1 to 64', () => {
    expect(errorsOf({ ...baseScenario(), cores: 0 })).toEqual(['cores: must be an integer from 1 to 64 (got 0)']);
    expect(errorsOf({ ...baseScenario(), cores: 1.5 })).toEqual(['cores: must be an integer from 1 to 64 (got 1.5)']);
    expect(errorsOf({ ...baseScenario(), cores: '2' })).toEqual(['cores: must be an integer from 1 to 64 (got "2")']);
  });

  it('memory is a size in whole 4 KiB pages, at most 2 GiB', () => {
    expect(errorsOf({ ...baseScenario(), memory: 'plenty' })).toEqual(['memory: must be a size such as "1M" (got "plenty")']);
    expect(errorsOf({ ...baseScenario(), memory: 10_000 })).toEqual(['memory: must be a multiple of 4 KiB (got 10000)']);
    expect(errorsOf({ ...baseScenario(), memory: '4G' })).toEqual(['memory: must be at most 2 GiB (got "4G")']);
    expect(errorsOf({ ...baseScenario(), memory: 0 })).toEqual(['memory: must be at least 4 KiB (got 0)']);
  });

  it('a VM ram is a size of at least 4 KiB', () => {
    expect(errorsOf(withVm(1, { ram: 'lots' }))).toEqual(['vms[1].ram: must be a size such as "1M" (got "lots")']);
    expect(errorsOf(withVm(0, { ram: '1.5M' }))).toEqual(['vms[0].ram: must be a size such as "1M" (got "1.5M")']);
    expect(errorsOf(withVm(0, { ram: 0 }))).toEqual(['vms[0].ram: must be at least 4 KiB (got 0)']);
  });

  it('timing fields have their types and ranges', () => {
    const json = { ...baseScenario(), timing: { mode: 'fast', quantum: 10, frequency: 100 } };
    expect(errorsOf(json)).toEqual([
      'timing.mode: must be "virtual" or "realtime" (got "fast")',
      'timing.quantum: 10 is below the minimum of 100 cycles (1 µs at 100 MHz)',
      'timing.frequency: must be an integer from 1000000 to 10000000000 (got 100)',
    ]);
    expect(errorsOf({ ...baseScenario(), timing: 'fast' })).toEqual(['timing: must be an object (got "fast")']);
  });

  it('scheduler.policy is one of the three policies', () => {
    expect(errorsOf({ ...baseScenario(), scheduler: { policy: 'round-robin' } })).toEqual([
      'scheduler.policy: must be one of "partitioned", "fixed-priority", "time-partitioned" (got "round-robin")',
    ]);
    expect(errorsOf({ ...baseScenario(), scheduler: {} })).toEqual(['scheduler.policy: required but missing']);
  });

  it('scheduler.switchCost and preemptionBound have their ranges', () => {
    const json = { ...baseScenario(), scheduler: { policy: 'fixed-priority', switchCost: -1, preemptionBound: 5 } };
    expect(errorsOf(json)).toEqual([
      'scheduler.switchCost: must be an integer from 0 to 100000 (got -1)',
      'scheduler.preemptionBound: 5 is below the minimum of 100 cycles (1 µs at 100 MHz)',
    ]);
  });

  it('vms lists 1 to 64 VMs', () => {
    expect(errorsOf({ ...baseScenario(), vms: [] })).toEqual(['vms: must list 1 to 64 VMs (got 0)']);
    expect(errorsOf({ ...baseScenario(), vms: {} })).toEqual(['vms: must be an array of VMs (got an object)']);
    expect(errorsOf({ ...baseScenario(), vms: [null] })).toEqual(['vms[0]: must be an object (got null)']);
  });

  it('a VM name is a lowercase identifier', () => {
    expect(errorsOf(withVm(0, { name: 'RTOS' }))).toEqual([
      'vms[0].name: must be a lowercase letter followed by up to 31 lowercase letters, digits or "-" (got "RTOS")',
    ]);
    expect(errorsOf(withVm(0, { name: 'a'.repeat(33) }))).toHaveLength(1);
  });

  it('VM names are unique', () => {
    expect(errorsOf(withVm(1, { name: 'alpha' }))).toEqual(['vms[1].name: "alpha" is already the name of vms[0]']);
  });

  it('vcpus is an integer from 1 to 8', () => {
    expect(errorsOf(withVm(0, { vcpus: 9 }))).toEqual(['vms[0].vcpus: must be an integer from 1 to 8 (got 9)']);
  });

  it('priority is an integer from 0 to 255', () => {
    expect(errorsOf(withVm(0, { priority: 256 }))).toEqual(['vms[0].priority: must be an integer from 0 to 255 (got 256)']);
  });

  it('budget and period come together, and the budget fits in the period', () => {
    expect(errorsOf(withVm(0, { budget: 1000 }))).toEqual(['vms[0].budget: needs a period as well (give both or neither)']);
    expect(errorsOf(withVm(0, { period: 1000 }))).toEqual(['vms[0].period: needs a budget as well (give both or neither)']);
    expect(errorsOf(withVm(0, { budget: 3000, period: 2000 }))).toEqual(['vms[0].budget: 3000 is more than the period (2000)']);
    expect(errorsOf(withVm(0, { budget: 1.5, period: 2000 }))).toEqual(['vms[0].budget: must be an integer >= 1000 (got 1.5)']);
  });

  it('affinity lists cores of the scenario, each once', () => {
    expect(errorsOf(withVm(0, { affinity: [0, 2] }))).toEqual(['vms[0].affinity[1]: core 2 is out of range (the scenario has 2 cores)']);
    expect(errorsOf(withVm(0, { affinity: [1, 1] }))).toEqual(['vms[0].affinity[1]: core 1 is listed twice']);
    expect(errorsOf(withVm(0, { affinity: ['0'] }))).toEqual(['vms[0].affinity[0]: must be a core number from 0 to 63 (got "0")']);
    expect(errorsOf(withVm(0, { affinity: [] }))).toEqual(['vms[0].affinity: must list 1 to 64 cores (got 0)']);
  });

  it('onFault has a policy and a restart limit', () => {
    expect(errorsOf(withVm(0, { onFault: { policy: 'reboot', limit: 1001 } }))).toEqual([
      'vms[0].onFault.policy: must be "halt" or "restart" (got "reboot")',
      'vms[0].onFault.limit: must be an integer from 0 to 1000 (got 1001)',
    ]);
    expect(errorsOf(withVm(0, { onFault: { retries: 2 } }))).toEqual(['vms[0].onFault.retries: unknown field']);
  });

  it('onFault.resetsPerSecond is a positive rate', () => {
    expect(errorsOf(withVm(0, { onFault: { resetsPerSecond: 0 } }))).toEqual(['vms[0].onFault.resetsPerSecond: must be an integer from 1 to 1000000 (got 0)']);
  });

  it('watchdog is at least 1000 cycles', () => {
    expect(errorsOf(withVm(0, { watchdog: 999 }))).toEqual(['vms[0].watchdog: 999 is below the minimum of 1000 cycles (10 µs at 100 MHz)']);
    expect(errorsOf(withVm(0, { watchdog: '5000' }))).toEqual(['vms[0].watchdog: must be an integer >= 1000 (got "5000")']);
  });

  it('autostart is a boolean', () => {
    expect(errorsOf(withVm(0, { autostart: 'yes' }))).toEqual(['vms[0].autostart: must be true or false (got "yes")']);
  });

  it('a VM needs a name, a guest and RAM', () => {
    expect(errorsOf({ ...baseScenario(), vms: [{}] })).toEqual([
      'vms[0].name: required but missing',
      'vms[0].ram: required but missing',
      'vms[0].guest: required but missing',
    ]);
  });

  it('every error is collected, not just the first', () => {
    const json = withVm(1, { ram: 'lots', vcpus: 0 }, withVm(0, { colour: 'red' }, { ...baseScenario(), cores: 99 }));
    expect(errorsOf(json)).toEqual([
      'cores: must be an integer from 1 to 64 (got 99)',
      'vms[0].colour: unknown field',
      'vms[1].ram: must be a size such as "1M" (got "lots")',
      'vms[1].vcpus: must be an integer from 1 to 8 (got 0)',
    ]);
  });
});

describe('fields of another policy', () => {
  it('preemptionBound is only for fixed-priority', () => {
    expect(errorsOf({ ...baseScenario(), scheduler: { policy: 'partitioned', preemptionBound: 100 } })).toEqual([
      'scheduler.preemptionBound: only for fixed-priority',
    ]);
  });

  it('majorFrame and windows are only for time-partitioned', () => {
    expect(errorsOf({ ...baseScenario(), scheduler: { policy: 'fixed-priority', majorFrame: 1_000_000, windows: [] } })).toEqual([
      'scheduler.majorFrame: only for time-partitioned',
      'scheduler.windows: only for time-partitioned',
    ]);
  });

  it('priority, budget and period are only for fixed-priority', () => {
    const json = withVm(0, { priority: 3, budget: 10, period: 100 }, { ...baseScenario(), scheduler: { policy: 'partitioned' } });
    expect(errorsOf(json)).toEqual([
      'vms[0].priority: only for fixed-priority',
      'vms[0].budget: only for fixed-priority',
      'vms[0].period: only for fixed-priority',
    ]);
  });
});

describe('physical memory partitions', () => {
  it('physicalBase is page-aligned', () => {
    expect(errorsOf(withVm(0, { physicalBase: '0x100100' }))).toEqual(['vms[0].physicalBase: must be a multiple of 4 KiB (got "0x100100")']);
  });

  it('explicit partitions do not overlap', () => {
    const json = withVm(1, { ram: '1M', physicalBase: 0x18_0000 }, withVm(0, { physicalBase: '0x100000' }));
    expect(errorsOf(json)).toEqual(['vms[0].physicalBase: partition 0x100000..0x1fffff overlaps vms[1] (0x180000..0x27ffff)']);
  });

  it('an explicit partition lies inside physical memory', () => {
    expect(errorsOf(withVm(0, { physicalBase: '15M', ram: '2M' }))).toEqual([
      'vms[0].physicalBase: partition 0xf00000..0x10fffff ends past the end of physical memory (16 MiB)',
    ]);
  });

  it('the partitions together fit in physical memory', () => {
    const json = withVm(1, { ram: '60M' }, withVm(0, { ram: '20M' }, { ...baseScenario(), memory: '64M' }));
    expect(errorsOf(json)).toEqual(['vms: partitions need 80 MiB but memory is 64 MiB']);
  });

  it('a partition without physicalBase needs a free range between the explicit ones', () => {
    // 16 MiB with a 4 MiB partition at 6 MiB leaves two 6 MiB holes: 8 MiB fits in neither.
    const json = withVm(1, { ram: '8M' }, withVm(0, { ram: '4M', physicalBase: '6M' }));
    expect(errorsOf(json)).toEqual([
      'vms[1].ram: no free 8 MiB range is left in physical memory (16 MiB) between the partitions with an explicit physicalBase',
    ]);
  });
});

describe('update slots', () => {
  it('an updatable VM gets a second partition of its size, first-fit after the others', () => {
    const result = validateScenario(withVm(1, { updatable: true }), SOURCE);
    expect(result.errors).toEqual([]);
    const [alpha, beta] = result.scenario!.vms;
    expect(alpha.updateSlot).toBeUndefined();
    expect(beta.updateSlot).toBe(3 * MiB); // after alpha (1 MiB at 0) and beta (2 MiB at 1 MiB)
  });

  it('the slot must fit in the memory left', () => {
    const json = withVm(1, { updatable: true, ram: '8M' }, { ...baseScenario(), memory: '12M' });
    expect(errorsOf(json)).toEqual([
      'vms[1].updatable: no free 8 MiB range is left in physical memory (12 MiB) for the update slot after the partitions and channel windows',
    ]);
  });

  it('updatable is a boolean', () => {
    expect(errorsOf(withVm(0, { updatable: 'yes' }))).toEqual(['vms[0].updatable: must be true or false (got "yes")']);
  });
});

describe('guests', () => {
  it('a missing guest file names the path as written', () => {
    expect(errorsOf(withVm(0, { guest: '../x.elf' }))).toEqual(['vms[0].guest: cannot read ../x.elf: no such file']);
  });

  it('a file that is not an ELF gives the loader message', () => {
    expect(errorsOf(withVm(0, { guest: '../guests/notes.txt' }))).toEqual([
      'vms[0].guest: not an ELF file: it starts with 68 65 6c 6c, expected 7f 45 4c 46',
    ]);
  });

  it('an image whose segments overlap is refused with the loader message', () => {
    expect(errorsOf(withVm(0, { guest: '../guests/overlap.elf' }))).toEqual(['vms[0].guest: segments 0 and 1 overlap at 0x80001000']);
  });

  it("every segment fits in the VM's RAM at 0x80000000", () => {
    expect(errorsOf(withVm(0, { guest: '../guests/big.elf' }))).toEqual([
      "vms[0].guest: segment at 0x80001000..0x80200fff does not fit in the VM's 1 MiB of RAM at 0x80000000",
    ]);
  });

  it("the entry point is in the VM's RAM", () => {
    expect(errorsOf(withVm(0, { guest: '../guests/low-entry.elf' }))).toEqual([
      "vms[0].guest: entry point 0x1000 is not in the VM's 1 MiB of RAM at 0x80000000",
    ]);
  });

  it('each VM that names a bad guest gets its own line', () => {
    const json = withVm(1, { guest: '../x.elf' }, withVm(0, { guest: '../x.elf' }));
    expect(errorsOf(json)).toEqual(['vms[0].guest: cannot read ../x.elf: no such file', 'vms[1].guest: cannot read ../x.elf: no such file']);
  });
});

describe('partitioned', () => {
  const partitioned = () => ({ ...baseScenario(), scheduler: { policy: 'partitioned' } });

  it('gives every vCPU its own core: free cores in VM order, explicit ones as listed', () => {
    const json = withVm(1, { vcpus: 2 }, { ...partitioned(), cores: 4 });
    json.vms.push({ name: 'pinned', guest: '../guests/small.elf', ram: '1M', affinity: [1] });
    const vms = validateScenario(json, SOURCE).scenario?.vms;
    expect(vms?.map((vm) => vm.placement)).toEqual([[0], [2, 3], [1]]);
    expect(vms?.map((vm) => vm.affinity)).toEqual([[0], [2, 3], [1]]);
  });

  it('vCPU i runs on affinity[i]', () => {
    const vm = validateScenario(withVm(0, { vcpus: 2, affinity: [3, 1, 0] }, { ...partitioned(), cores: 4 }), SOURCE).scenario?.vms[0];
    expect(vm).toMatchObject({ placement: [3, 1], affinity: [3, 1, 0] });
  });

  it('needs no more vCPUs than cores', () => {
    expect(errorsOf(withVm(1, { vcpus: 2 }, partitioned()))).toEqual([
      'vms: partitioned gives every vCPU its own core: 3 vCPUs need 3 cores, the scenario has 2',
    ]);
  });

  it('an explicit affinity names a core for every vCPU', () => {
    expect(errorsOf(withVm(0, { vcpus: 2, affinity: [1] }, { ...partitioned(), cores: 4 }))).toEqual([
      "vms[0].affinity: partitioned needs a core for each of the VM's 2 vCPUs (got 1)",
    ]);
  });

  it('no core runs two vCPUs', () => {
    const json = withVm(1, { affinity: [0] }, withVm(0, { affinity: [0] }, partitioned()));
    expect(errorsOf(json)).toEqual(['vms[1].affinity[0]: core 0 already runs vms[0] vCPU 0']);
  });
});

describe('time-partitioned', () => {
  it('normalizes windows with the VM index, sorted by core and offset', () => {
    const json = timePartitioned();
    json.scheduler.windows.push({ core: 0, vm: 'beta', offset: 600_000, duration: 400_000 });
    json.scheduler.windows.reverse();
    const { scenario, errors } = validateScenario(json, SOURCE);
    expect(errors).toEqual([]);
    expect(scenario?.scheduler).toEqual({
      policy: 'time-partitioned',
      switchCost: 100,
      majorFrame: 1_000_000,
      windows: [
        { core: 0, vmIndex: 0, offset: 0, duration: 500_000 },
        { core: 0, vmIndex: 1, offset: 600_000, duration: 400_000 },
        { core: 1, vmIndex: 1, offset: 0, duration: 250_000 },
      ],
    });
    expect(scenario?.vms.map((vm) => vm.placement)).toEqual([[], []]);
  });

  it('needs a major frame and windows', () => {
    expect(errorsOf({ ...baseScenario(), scheduler: { policy: 'time-partitioned' } })).toEqual([
      'scheduler.majorFrame: required for time-partitioned',
      'scheduler.windows: required for time-partitioned',
    ]);
  });

  it('window fields have their types', () => {
    const json = timePartitioned();
    json.scheduler.windows[1] = { core: -1, vm: 'beta', offset: 0, duraton: 5 };
    expect(errorsOf(json)).toEqual([
      'scheduler.windows[1].duraton: unknown field (did you mean "duration"?)',
      'scheduler.windows[1].core: must be an integer from 0 to 63 (got -1)',
      'scheduler.windows[1].duration: required but missing',
    ]);
  });

  it("a window's core exists", () => {
    const json = timePartitioned();
    json.scheduler.windows.push({ core: 5, vm: 'alpha', offset: 600_000, duration: 1000 });
    json.scheduler.windows.push({ core: 2, vm: 'alpha', offset: 600_000, duration: 1000 });
    expect(errorsOf(json)).toEqual([
      'scheduler.windows[2]: core 5 is out of range (the scenario has 2 cores)',
      'scheduler.windows[3]: core 2 is out of range (the scenario has 2 cores)',
    ]);
  });

  it("a window's VM exists", () => {
    const json = timePartitioned();
    json.scheduler.windows.push({ core: 0, vm: 'gamma', offset: 600_000, duration: 1000 });
    expect(errorsOf(json)).toEqual(['scheduler.windows[2]: no VM is named "gamma"']);
  });

  it('the VM has a vCPU allowed on the window core', () => {
    const json = withVm(1, { affinity: [1] }, timePartitioned());
    json.scheduler.windows.push({ core: 0, vm: 'beta', offset: 600_000, duration: 1000 });
    expect(errorsOf(json)).toEqual(['scheduler.windows[2]: vms[1] has no vCPU allowed on core 0 (its affinity is [1])']);
  });

  it('a window ends within the major frame', () => {
    const json = timePartitioned();
    json.scheduler.windows[1] = { core: 1, vm: 'beta', offset: 700_000, duration: 500_000 };
    expect(errorsOf(json)).toEqual(['scheduler.windows[1]: ends at 1200000, past the major frame (1000000)']);
  });

  it('windows on one core do not overlap (touching is fine)', () => {
    const json = timePartitioned();
    json.scheduler.windows.push({ core: 1, vm: 'alpha', offset: 250_000, duration: 1000 });
    json.scheduler.windows.push({ core: 0, vm: 'beta', offset: 499_999, duration: 1000 });
    expect(errorsOf(json)).toEqual(['scheduler.windows[3]: overlaps scheduler.windows[0] on core 0']);
  });

  it('every VM has a window', () => {
    const json = timePartitioned();
    json.scheduler.windows.pop();
    expect(errorsOf(json)).toEqual(['vms[1]: has no window in scheduler.windows']);
  });
});

describe('minimum times: the hypervisor acts at most every so many cycles, however the scenario is set', () => {
  const below = (min: number) => `is below the minimum of ${min} cycles (${min / 100} µs at 100 MHz)`;

  it('a budget and a period of 1 cycle (a scheduling decision every cycle) are refused', () => {
    expect(errorsOf(withVm(1, { budget: 1, period: 1 }))).toEqual([`vms[1].budget: 1 ${below(1000)}`, `vms[1].period: 1 ${below(1000)}`]);
  });

  it('budget and period are at least 1000 cycles', () => {
    expect(errorsOf(withVm(0, { budget: 999, period: 100_000 }))).toEqual([`vms[0].budget: 999 ${below(1000)}`]);
    expect(errorsOf(withVm(0, { budget: 0, period: 2000 }))).toEqual([`vms[0].budget: 0 ${below(1000)}`]);
    expect(errorsOf(withVm(0, { budget: 1000, period: 1000 }))).toEqual([]);
  });

  it('a budget is more than the switch cost, which would otherwise take all of it', () => {
    const json = withVm(0, { budget: 5000, period: 10_000 }, { ...baseScenario(), scheduler: { policy: 'fixed-priority', switchCost: 5000 } });
    expect(errorsOf(json)).toEqual(['vms[0].budget: 5000 must be more than scheduler.switchCost (5000), or switching to the VM takes its whole budget']);
    expect(errorsOf(withVm(0, { budget: 5001 }, json))).toEqual([]);
  });

  it('preemptionBound is at least 100 cycles', () => {
    const bound = (preemptionBound: number) => ({ ...baseScenario(), scheduler: { policy: 'fixed-priority', preemptionBound } });
    expect(errorsOf(bound(99))).toEqual([`scheduler.preemptionBound: 99 ${below(100)}`]);
    expect(errorsOf(bound(100))).toEqual([]);
  });

  it('the quantum is at least 100 cycles', () => {
    expect(errorsOf({ ...baseScenario(), timing: { quantum: 99 } })).toEqual([`timing.quantum: 99 ${below(100)}`]);
    expect(errorsOf({ ...baseScenario(), timing: { quantum: 100 } })).toEqual([]);
  });

  it('a time window is at least 1000 cycles, and the major frame too', () => {
    const json = timePartitioned();
    json.scheduler.windows[1].duration = 999;
    expect(errorsOf(json)).toEqual([`scheduler.windows[1].duration: 999 ${below(1000)}`]);
    json.scheduler.windows[1].duration = 1000;
    expect(errorsOf(json)).toEqual([]);
    expect(errorsOf({ ...json, scheduler: { ...json.scheduler, majorFrame: 999 } })).toEqual([`scheduler.majorFrame: 999 ${below(1000)}`]);
  });

  it('a time window is longer than the switch cost (the switch would run the VM past its window)', () => {
    const json = timePartitioned();
    json.scheduler.switchCost = 2000;
    json.scheduler.windows[1].duration = 2000;
    expect(errorsOf(json)).toEqual([
      'scheduler.windows[1].duration: 2000 must be more than scheduler.switchCost (2000), or switching to the VM takes the whole window',
    ]);
    json.scheduler.windows[1].duration = 2001;
    expect(errorsOf(json)).toEqual([]);
  });
});
