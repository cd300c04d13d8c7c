// An in-memory file system of guest ELF files and the scenario skeletons the scenario tests change.

import { posix } from 'node:path';
import type { ScenarioSource } from '../../../engine/scenario/validate.js';
import { buildElf } from '../loader/elf-builder.js';

export const MiB = 1024 * 1024;

const NOPS = [0x13, 0, 0, 0, 0x13, 0, 0, 0];

/** Guest files by absolute path; scenarios live in /fs/scenarios, guests in /fs/guests. */
export const FILES = new Map<string, Uint8Array>([
  ['/fs/guests/small.elf', buildElf({ segments: [{ paddr: 0x8000_0000, data: NOPS }, { paddr: 0x8000_1000, data: [1], memSize: 0x1000, flags: 6 }] })],
  // 2 MiB of bss after the code: does not fit in 1 MiB of RAM.
  ['/fs/guests/big.elf', buildElf({ segments: [{ paddr: 0x8000_0000, data: NOPS }, { paddr: 0x8000_1000, data: [], memSize: 2 * MiB, flags: 6 }] })],
  // Its bss (0x80000000..0x80001fff) runs into the data at 0x80001000.
  ['/fs/guests/overlap.elf', buildElf({ segments: [{ paddr: 0x8000_0000, data: NOPS, memSize: 0x2000 }, { paddr: 0x8000_1000, data: [1], flags: 6 }] })],
  ['/fs/guests/low-entry.elf', buildElf({ entry: 0x1000, segments: [{ paddr: 0x8000_0000, data: NOPS }] })],
  ['/fs/guests/notes.txt', new TextEncoder().encode('hello\n')],
  ['/fs/guests/Image', riscvImage()],
  ['/fs/guests/initrd.img', new Uint8Array(64)],
]);

/** The smallest RISC-V Image a kernel VM boots: its header's "RSC\x05" magic, 8 KiB in memory. */
function riscvImage(): Uint8Array {
  const bytes = new Uint8Array(4096);
  const view = new DataView(bytes.buffer);
  view.setBigUint64(0x10, 8192n, true);
  view.setUint32(0x38, 0x0543_5352, true);
  return bytes;
}

export const SOURCE: ScenarioSource = {
  baseDir: '/fs/scenarios',
  resolve: (baseDir, relative) => posix.resolve(baseDir, relative),
  readFile: (path) => {
    const bytes = FILES.get(path);
    if (bytes === undefined) throw new Error('no such file');
    return bytes;
  },
};

export type Json = Record<string, unknown>;

/** A VM that boots a kernel with an initrd and a command line, beside one that runs a guest. */
export function kernelScenario(): Json & { scheduler: Json; vms: Json[] } {
  const json = baseScenario();
  json.memory = '64M';
  json.vms[1] = { name: 'beta', kernel: '../guests/Image', initrd: '../guests/initrd.img', bootargs: 'console=ttyS0', ram: '32M' };
  return json;
}

/** A valid two-VM fixed-priority scenario on two cores; tests change what they check. */
export function baseScenario(): Json & { scheduler: Json; vms: Json[] } {
  return {
    name: 'test',
    cores: 2,
    memory: '16M',
    scheduler: { policy: 'fixed-priority' },
    vms: [
      { name: 'alpha', guest: '../guests/small.elf', ram: '1M' },
      { name: 'beta', guest: '../guests/small.elf', ram: '2M' },
    ],
  };
}

/** Every field of every object, valid, under fixed priorities (guests from the fixtures). */
export function everyField(): Json {
  return {
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
        onFault: { policy: 'restart', limit: 0, resetsPerSecond: 5 },
        watchdog: 5_000_000,
        autostart: false,
        updatable: true,
      },
      { name: 'idle', guest: '../guests/small.elf', ram: '64K' },
    ],
    channels: [
      {
        name: 'pipe',
        size: 8192,
        physicalBase: '0x2000000',
        ring: 'idle',
        endpoints: [
          { vm: 'rtos', address: 0x9000_0000, access: 'rw', irq: 1 },
          { vm: 'idle', address: ' 0x40000000 ', access: 'ro', irq: 95 },
        ],
      },
    ],
  };
}

/** A valid time-partitioned scenario: alpha on core 0, beta on core 1, a 1 000 000-cycle frame. */
export function timePartitioned(): Json & { scheduler: Json & { windows: Json[] }; vms: Json[] } {
  return {
    ...baseScenario(),
    scheduler: {
      policy: 'time-partitioned',
      majorFrame: 1_000_000,
      windows: [
        { core: 0, vm: 'alpha', offset: 0, duration: 500_000 },
        { core: 1, vm: 'beta', offset: 0, duration: 250_000 },
      ],
    },
  };
}

export type ChannelJson = Json & { endpoints: Json[] };
export type WithChannels = ReturnType<typeof baseScenario> & { channels: ChannelJson[] };

/** alpha (1 MiB) and beta (2 MiB) of the base scenario joined by a 16 KiB channel "pin". */
export function withChannel(): WithChannels {
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
export function secondChannel(): ChannelJson {
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
export function withEndpoint(c: number, e: number, fields: Json, json: WithChannels = withChannel()): WithChannels {
  json.channels[c].endpoints[e] = { ...json.channels[c].endpoints[e], ...fields };
  return json;
}

export function withChannelFields(c: number, fields: Json, json: WithChannels = withChannel()): WithChannels {
  json.channels[c] = { ...json.channels[c], ...fields };
  return json;
}

/** The base scenario with one VM's fields changed (undefined deletes a field). */
export function withVm<T extends { vms: Json[] }>(index: number, fields: Json, json: T = baseScenario() as unknown as T): T {
  const vm: Json = { ...json.vms[index], ...fields };
  for (const key of Object.keys(vm)) if (vm[key] === undefined) delete vm[key];
  json.vms[index] = vm;
  return json;
}
