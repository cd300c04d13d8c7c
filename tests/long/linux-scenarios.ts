// The scenarios the long Linux tests share: a Linux VM beside a CPU-bound neighbour, and the phone
// with Linux as its rich OS (scenarios/phone-linux.json's shape, its kernel the tests' Image).

import { LINUX_BOOTARGS, LINUX_IMAGE } from '../integration/linux/linux-image.js';

/** Linux (`linux`, its fields overridable) on core 0 or both, and `busy`, a CPU hog on core 1 that keeps virtual time going while Linux is off. */
export function linuxBesideBusy(name: string, linux: Record<string, unknown> = {}): object {
  return {
    name, cores: 2, memory: '80M', scheduler: { policy: 'fixed-priority' },
    vms: [
      { name: 'linux', kernel: LINUX_IMAGE, bootargs: LINUX_BOOTARGS, ram: '64M', vcpus: 2, affinity: [0, 1], ...linux },
      { name: 'busy', guest: 'guests/bin/cpu-hog.elf', ram: '1M', affinity: [1] },
    ],
  };
}

/** The phone with Linux as `rich` running /bin/phone; `rich` overrides its fields, `memory` the system's. */
export function phoneLinux(name: string, rich: Record<string, unknown> = {}, memory = '80M'): object {
  return {
    name, cores: 2, memory, scheduler: { policy: 'fixed-priority', switchCost: 100 },
    vms: [
      { name: 'baseband', guest: 'guests/bin/baseband.elf', ram: '1M', priority: 10, affinity: [0] },
      { name: 'pin', guest: 'guests/bin/pin.elf', ram: '1M', priority: 5, affinity: [1] },
      { name: 'rich', kernel: LINUX_IMAGE, bootargs: `${LINUX_BOOTARGS} tessera.exec=/bin/phone`, ram: '64M', vcpus: 2, priority: 1, affinity: [0, 1], ...rich },
    ],
    channels: [
      { name: 'pin', size: '4K', endpoints: [{ vm: 'rich', address: '0x90000000', access: 'rw', irq: 32 }, { vm: 'pin', address: '0x90000000', access: 'ro', irq: 32 }] },
      { name: 'modem', size: '16K', ring: 'rich', endpoints: [{ vm: 'rich', address: '0x91000000', access: 'rw', irq: 33 }, { vm: 'baseband', address: '0x90000000', access: 'rw', irq: 32 }] },
    ],
  };
}
