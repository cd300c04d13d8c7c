// Spatial isolation with Linux as a neighbour (in the long suite): whatever the kernel maps and writes while it boots,
// runs its init and powers off, the partitions on either side end byte for byte as they do beside
// a harmless guest.

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { guest, runScenario, scenario } from '../integration/hypervisor/run-scenario.js';
import { SECOND } from '../integration/use-cases/use-case.js';
import { HAVE_LINUX, initLines, LINUX_BOOTARGS, LINUX_IMAGE, LINUX_SKIP_REASON } from '../integration/linux/linux-image.js';

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

const layout = (middle: object) => scenario({
  name: 'linux-isolation', cores: 2, memory: '80M', scheduler: { policy: 'fixed-priority' },
  vms: [
    { name: 'below', guest: guest('park'), ram: '1M', affinity: [1] },
    { name: 'middle', ram: '64M', vcpus: 2, affinity: [0, 1], ...middle },
    { name: 'above', guest: guest('park'), ram: '1M', affinity: [1] },
  ],
});

describe.skipIf(!HAVE_LINUX)(`isolation with a Linux VM${LINUX_SKIP_REASON}`, () => {
  it('leaves the partitions on either side byte-for-byte as a harmless neighbour would', async () => {
    const linux = await runScenario(layout({ kernel: LINUX_IMAGE, bootargs: LINUX_BOOTARGS }), { durationCycles: 1.2 * SECOND, capturePartitions: true });
    expect(initLines(linux.consoles.middle)).toContain('tessera-init: all checks passed');
    expect(linux.snapshot.vms.map((v) => v.violations)).toEqual([0, 0, 0]);
    const benign = await runScenario(layout({ guest: guest('hello') }), { durationCycles: 1.2 * SECOND, capturePartitions: true });
    for (const vm of ['below', 'above']) expect(sha(linux.partitions![vm])).toBe(sha(benign.partitions![vm]));
    expect(sha(linux.partitions!.middle)).not.toBe(sha(benign.partitions!.middle));
  });
});
