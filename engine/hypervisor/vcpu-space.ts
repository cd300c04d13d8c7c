// A vCPU's view of the machine: its VM's partition of physical memory and its own virtual devices.

import { Hart } from '../cores/hart.js';
import { Clint } from '../devices/clint.js';
import { Doorbells } from '../devices/doorbell.js';
import { HvServices } from '../devices/hv-services.js';
import { Plic } from '../devices/plic.js';
import { SifiveTest } from '../devices/sifive-test.js';
import { Uart16550 } from '../devices/uart16550.js';
import { uartDrivingPlic } from '../devices/uart-line.js';
import { Bus, type BusMapping } from '../memory/bus.js';
import { CLINT_BASE, CLINT_SIZE, DOORBELL_BASE, DOORBELL_SIZE, HV_SERVICES_BASE, HV_SERVICES_SIZE, PLIC_BASE, PLIC_SIZE, RAM_BASE, TEST_DEVICE_BASE, TEST_DEVICE_SIZE, UART_BASE, UART_SIZE } from '../memory/memory-map.js';
import { watchesStore } from './htif.js';
import { ReservationTable } from '../memory/reservation-table.js';
import { SbiFirmware } from './sbi-firmware.js';
import { IpcStatus, type IpcOp } from './sync-ipc.js';
import { VCPU_HV_STATUS, type SystemTables } from './system-tables.js';

/** What a core does when a vCPU's devices ask for the hypervisor. */
export interface VcpuEvents {
  /** The guest ended through its test device or HTIF, with an exit code. */
  exit(vcpu: number, code: number): void;
  reset(vm: number): void;
  kick(vm: number): void;
  ready(vm: number, code: number): void;
  yield(vcpu: number): void;
  /** Another vCPU's software interrupt or timer changed: wake whoever may run it. */
  poke(vcpu: number): void;
  /** A channel endpoint rang its peer's doorbell (PLIC source `irq` of the VM that owns the peer endpoint). */
  ring(channel: number, endpoint: number, irq: number): void;
  /** A VM received a message sent at `cycleLow` (low 32 bits of cycles) on direction `flow` (channel * 2 + sender). */
  sentAt(flow: number, cycleLow: number): void;
  /** Synchronous IPC operation `op` by `vcpu` on channel `channel` as endpoint `endpoint`. */
  ipc(vcpu: number, op: IpcOp, channel: number, endpoint: number): void;
}

/**
 * Builds the hart for vCPU `vcpu` (system-wide index). Every guest access goes through this map:
 * RAM is the VM's partition only, and anything else the bus does not decode is an access fault.
 * A VM under the hypervisor also sees the hypervisor-services and doorbell devices; the bare
 * machine (layout.hypervisor false) sees QEMU virt's map only.
 */
export function buildVcpu(tables: SystemTables, vcpu: number, events: VcpuEvents): Hart {
  const vmIndex = tables.vmOf[vcpu];
  const vm = tables.layout.vms[vmIndex];
  const local = vcpu - vm.firstVcpu;
  const clintState = tables.clints[vmIndex];
  const clint = new Clint(clintState, (): number => hart.liveTime(), (target) => events.poke(vm.firstVcpu + target));
  const test = new SifiveTest({ onExit: (code) => events.exit(vcpu, code), onReset: () => events.reset(vmIndex) });
  const uartState = tables.uarts[vmIndex];
  const ends = channelEnds(tables, vmIndex);
  const ipc = tables.ipc;
  const services = new HvServices({ id: vmIndex, name: vm.name, vcpus: vm.vcpus }, local, {
    onYield: () => events.yield(vcpu),
    onWatchdogKick: () => events.kick(vmIndex),
    onReady: (code) => events.ready(vmIndex, code),
    onConsole: (byte) => { uartState.output.push(byte, 1000); },
    ipc: {
      register: (index) => ipc.register(vcpu, index),
      setRegister: (index, value) => ipc.setRegister(vcpu, index, value),
      length: () => ipc.length(vcpu),
      setLength: (count) => ipc.setLength(vcpu, count),
      operate: (op, channel) => {
        const end = ends[channel];
        if (end === undefined) tables.setVcpuNum(vcpu, VCPU_HV_STATUS, IpcStatus.Invalid);
        else events.ipc(vcpu, op, end.channel.index, end.end.index);
      },
    },
  }, {
    get value() { return tables.vcpuNum(vcpu, VCPU_HV_STATUS); },
    set value(status: number) { tables.setVcpuNum(vcpu, VCPU_HV_STATUS, status); },
  });
  const plic = new Plic(tables.plics[vmIndex], (target) => events.poke(vm.firstVcpu + target));
  const doorbells = new Doorbells(ends.map(({ channel, end, peer }) => ({
    base: end.address,
    size: channel.size,
    writable: end.writable,
    irq: end.irq,
    ring: () => events.ring(channel.index, end.index, peer.irq),
    received: () => tables.doorbellCount(channel.index * 2 + peer.index),
    sentAt: (cycleLow) => events.sentAt(channel.index * 2 + peer.index, cycleLow),
  })));
  const hypervisorDevices: BusMapping[] = vm.hypervisor ? [
    { base: HV_SERVICES_BASE, size: HV_SERVICES_SIZE, device: services },
    { base: DOORBELL_BASE, size: DOORBELL_SIZE, device: doorbells },
  ] : [];
  const bus = new Bus([
    { base: TEST_DEVICE_BASE, size: TEST_DEVICE_SIZE, device: test },
    { base: CLINT_BASE, size: CLINT_SIZE, device: clint },
    ...hypervisorDevices,
    { base: PLIC_BASE, size: PLIC_SIZE, device: plic },
    { base: UART_BASE, size: UART_SIZE, device: uartDrivingPlic(new Uart16550(uartState), plic) },
  ]);
  const watched = watchesStore(tables, vmIndex, (code) => events.exit(vcpu, code));
  const hart: Hart = new Hart(local, {
    physical: tables.buffers.physical,
    ramPhysOffset: vm.physicalBase,
    ramBase: RAM_BASE,
    ramSize: vm.ramBytes,
    pageFlags: new Uint8Array(tables.buffers.pageFlags),
    reservations: new ReservationTable(tables.buffers.reservations),
    bus,
    windows: ends.map(({ channel, end }) => ({ base: end.address, size: channel.size, physOffset: channel.physicalBase, writable: end.writable })),
    timebase: clintState,
    onWatchedStore: watched,
  });
  if (vm.firmware === 'sbi') hart.firmware = new SbiFirmware(tables, vmIndex, bus, new Uint8Array(tables.buffers.physical, vm.physicalBase, vm.ramBytes));
  return hart;
}

/** The channel endpoints that belong to a VM (either slot of an updatable one), each with its peer. */
function channelEnds(tables: SystemTables, vm: number) {
  const logical = tables.layout.vms[vm].logical;
  return tables.layout.channels.flatMap((c, index) => {
    const mine = c.endpoints.findIndex((e) => e.vm === logical);
    if (mine < 0) return [];
    const peer = 1 - mine;
    return [{
      channel: { index, size: c.size, physicalBase: c.physicalBase },
      end: { ...c.endpoints[mine], index: mine },
      peer: { ...c.endpoints[peer], index: peer },
    }];
  });
}
