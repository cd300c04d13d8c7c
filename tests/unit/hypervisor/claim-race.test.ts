// A vCPU another core runs further between this core's pick and its claim: it must not drag this
// core's clock past a real-time VM's deadline, and if it went into a synchronous IPC wait meanwhile
// it must not run (it would read its own request back as the reply). Both cores run here on one
// thread, in-process, so each race is staged at exactly that point, in the claim.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ContextNumber } from '../../../engine/cores/hart-context.js';
import { scenarioFromObject } from '../../../engine/host/scenario-file.js';
import { CoreRunner } from '../../../engine/hypervisor/core-runner.js';
import { runCoreThread } from '../../../engine/hypervisor/core-thread.js';
import { planSystem } from '../../../engine/hypervisor/layout.js';
import { bootPartition } from '../../../engine/hypervisor/partition.js';
import { IpcBlock, IpcOp } from '../../../engine/hypervisor/sync-ipc.js';
import {
  CORE_TIME, createSystemBuffers, SystemCommand, SystemTables, VCPU_OWNER, VM_LAST_RESET, VM_STATE,
} from '../../../engine/hypervisor/system-tables.js';
import { VmState } from '../../../engine/hypervisor/vm-state.js';
import { setContractChecks } from '../../../engine/memory/contracts.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const AHEAD = 9_000; // cycles the other core ran the hog past core 0's time (cores keep within a 10,000-cycle quantum)

const RT_AND_HOG = {
  name: 'claim-race', cores: 2, memory: '4M',
  scheduler: { policy: 'fixed-priority', switchCost: 100 },
  vms: [
    { name: 'rt', guest: 'guests/bin/rt-timer-fast.elf', ram: '1M', priority: 10, affinity: [0] },
    { name: 'rt1', guest: 'guests/bin/rt-timer.elf', ram: '1M', priority: 10, affinity: [1] },
    { name: 'hog', guest: 'guests/bin/cpu-hog.elf', ram: '1M', priority: 1, affinity: [0, 1] },
  ],
};

function twoCoresOnOneThread(source: Record<string, unknown> = RT_AND_HOG, base = ROOT) {
  const { scenario, errors } = scenarioFromObject(source, base);
  expect(errors).toEqual([]);
  const plan = planSystem(scenario!);
  const layout = { ...plan.layout, threadOf: [0, 0], spin: false, checks: true };
  setContractChecks(true);
  const t = new SystemTables(layout, createSystemBuffers(layout));
  t.ipc.initOwners(plan.layout.channels.map((c) => [c.endpoints[0].vm, c.endpoints[1].vm] as const));
  for (let v = 0; v < t.vcpuCount; v++) t.setVcpuInt(v, VCPU_OWNER, -1);
  plan.boot.forEach(({ image, deviceTree }, vm) => {
    t.setVmNum(vm, VM_LAST_RESET, -Infinity);
    // rt1 starts half a period of rt later, so core 1 lets go of the hog between rt's deadlines.
    bootPartition(t, vm, image, deviceTree, source === RT_AND_HOG && vm === 1 ? 5_000 : 0, { zeroed: true });
    t.setVmInt(vm, VM_STATE, VmState.Running);
  });
  return { t, boot: plan.boot };
}

describe('a vCPU claimed after another core ran it further', () => {
  it('waits for its own time: the real-time VM on that core still takes its timer on time', () => {
    const { t, boot } = twoCoresOnOneThread();
    const rt = 0;
    const hog = 2; // core 1 lets go of it whenever rt1 takes its timer
    const runners = [0, 1].map((core) => new CoreRunner(core, t, boot, () => 0, 20_000_000));
    for (const r of runners) r.shareThread = true;
    const claim = t.claim.bind(t);
    let staged = 0;
    t.claim = (vcpu: number, core: number): boolean => {
      if (vcpu === hog && core === 0 && t.vcpuInt(hog, VCPU_OWNER) === -1) {
        // As if core 1 had run it meanwhile: a newer saved context, AHEAD cycles past core 0.
        const words = t.contextNumbersOf(hog);
        const coreTime = t.coreNum(0, CORE_TIME);
        if (words[ContextNumber.Cycles] <= coreTime) {
          words[ContextNumber.Cycles] = coreTime + AHEAD;
          t.bumpVersion(hog);
          staged++;
        }
      }
      return claim(vcpu, core);
    };
    t.setCommand(SystemCommand.Run);
    expect(runCoreThread(0, runners, t, () => 0)).toEqual(['ended', 'ended']);

    const latency = t.latency[rt].snapshot();
    expect(staged).toBeGreaterThan(0);
    expect(latency.count).toBeGreaterThan(1000); // 10 kHz for 0.2 s of virtual time
    // Taken within the world switch and the guest's own masking, never AHEAD cycles late.
    expect(latency.max).toBeLessThan(1_000);
  });
});

describe('a vCPU claimed after another core ran it into a synchronous IPC wait', () => {
  it('is let go, not run, until the reply comes', () => {
    // The phone: the rich OS (2 vCPUs on both cores) CALLs the PIN service every 10 ms.
    const phone = JSON.parse(readFileSync(join(ROOT, 'scenarios/phone.json'), 'utf8')) as Record<string, unknown>;
    const { t, boot } = twoCoresOnOneThread({ ...phone, name: 'claim-race-ipc' }, join(ROOT, 'scenarios'));
    const rich = t.layout.vms.findIndex((vm) => vm.name === 'rich');
    const caller = t.layout.vms[rich].firstVcpu;
    const pinChannel = t.layout.channels.findIndex((c) => c.name === 'pin');
    const runners = [0, 1].map((core) => new CoreRunner(core, t, boot, () => 0, 5_000_000));
    for (const r of runners) r.shareThread = true;
    const claim = t.claim.bind(t);
    let staged = 0;
    t.claim = (vcpu: number, core: number): boolean => {
      if (vcpu === caller && staged < 5 && t.vcpuInt(caller, VCPU_OWNER) === -1 && t.ipc.block(caller) === IpcBlock.None) {
        // As if the other core had run it meanwhile into a CALL (its last request, sent again).
        t.ipc.operate(caller, IpcOp.Call, pinChannel, 0, t.coreNum(core, CORE_TIME));
        if (t.ipc.block(caller) !== IpcBlock.None) staged++;
      }
      return claim(vcpu, core);
    };
    t.setCommand(SystemCommand.Run);
    // With contract checks on, running a vCPU that waits in IPC throws out of the core.
    expect(runCoreThread(0, runners, t, () => 0)).toEqual(['ended', 'ended']);
    expect(staged).toBeGreaterThan(0);
    expect(t.ipc.flow(pinChannel * 2).messages).toBeGreaterThan(staged); // the PIN calls went on
  });
});
