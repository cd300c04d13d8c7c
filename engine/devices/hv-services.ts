// The hypervisor-services device: a VM's identity, yield, watchdog kick, ready report, console and synchronous IPC, one page of 32-bit registers.

import type { AccessSize, MmioDevice } from '../memory/mmio-device.js';

/** Register offsets from HV_SERVICES_BASE; guests/include/tessera-hv.h and guests/README.md mirror them. */
export const HvServicesRegister = {
  Magic: 0x000,
  Version: 0x004,
  VmId: 0x008,
  VcpuId: 0x00c,
  VcpuCount: 0x010,
  Yield: 0x020,
  WatchdogKick: 0x024,
  Ready: 0x028,
  Console: 0x02c,
  Status: 0x030,
  IpcSend: 0x040,
  IpcRecv: 0x044,
  IpcCall: 0x048,
  IpcReply: 0x04c,
  IpcLength: 0x050,
  IpcRegisters: 0x060,
  Name: 0x100,
} as const;

/** "TSHV" in little-endian byte order. */
export const HV_SERVICES_MAGIC = 0x5648_5354;
export const HV_SERVICES_VERSION = 2;
/** Message registers of synchronous IPC (IPC_MR0..IPC_MR7). */
export const HV_IPC_REGISTERS = 8;
/** Bytes of the NAME window; a VM name of this many bytes has no terminating NUL. */
export const HV_NAME_BYTES = 32;
/** STATUS values: 0 ok, or a negated errno. */
export const HV_STATUS_OK = 0;
export const HV_STATUS_EINVAL = -22;

const READY_MAX = 0xff;
const CONSOLE_MAX = 0xff;
const WINDOW_BYTES = 0x1000;

/** The VM as its guest sees it. */
export interface HvServicesVm {
  /** Reported in VM_ID; an unsigned 32-bit integer. */
  id: number;
  /** Reported in NAME: at most HV_NAME_BYTES bytes of UTF-8, no NUL. */
  name: string;
  /** Reported in VCPU_COUNT; at least 1. */
  vcpus: number;
}

/** What the hypervisor does for a valid write; each runs on the accessing vCPU's core, inside the store. */
export interface HvServicesHandlers {
  /** YIELD: end this vCPU's time slice now. */
  onYield(): void;
  /** WATCHDOG_KICK: restart the VM's watchdog period. */
  onWatchdogKick(): void;
  /** READY: the guest reports it is up, with a status code 0..255. */
  onReady(code: number): void;
  /** CONSOLE: one byte for the VM's console. */
  onConsole(byte: number): void;
  /** Synchronous IPC; without it the IPC registers are not decoded. */
  ipc?: HvIpcHandlers;
}

/** The hypervisor's synchronous IPC for one vCPU: its message registers and the four operations. */
export interface HvIpcHandlers {
  register(index: number): number;
  setRegister(index: number, value: number): void;
  length(): number;
  /** false when `count` is above HV_IPC_REGISTERS. */
  setLength(count: number): boolean;
  /** SEND (0), RECV (1), CALL (2) or REPLY (3) on the VM's channel `channel`; sets STATUS itself, now or when the wait ends. */
  operate(op: number, channel: number): void;
}

/**
 * Where STATUS lives. A plain object by default; a hypervisor that moves vCPUs between cores can
 * pass a cell backed by the vCPU's shared state so STATUS follows the vCPU.
 */
export interface HvStatusCell {
  value: number;
}

/**
 * One instance per vCPU. Only aligned 4-byte accesses to a defined register in its direction
 * (reads of RO, writes of WO) are decoded; anything else is an access fault and changes nothing,
 * STATUS included. Every decoded write sets STATUS: 0 when its argument was valid and the handler
 * was called, HV_STATUS_EINVAL (and no handler call) when not; the exceptions are the IPC message
 * registers (plain read-write storage) and the IPC operations, whose handler sets STATUS itself
 * (possibly later, when a blocked vCPU resumes). Never throws on a guest access.
 */
export class HvServices implements MmioDevice {
  readonly name = 'hv-services';
  private readonly nameWords: Uint32Array;

  constructor(
    private readonly vm: HvServicesVm,
    private readonly vcpu: number,
    private readonly handlers: HvServicesHandlers,
    private readonly status: HvStatusCell = { value: HV_STATUS_OK },
  ) {
    if (!Number.isInteger(vm.id) || vm.id < 0 || vm.id > 0xffff_ffff) {
      throw new RangeError(`hv-services: VM id ${vm.id} is not an unsigned 32-bit integer`);
    }
    if (!Number.isInteger(vm.vcpus) || vm.vcpus < 1 || vm.vcpus > 0xffff_ffff) {
      throw new RangeError(`hv-services: VM '${vm.name}' has ${vm.vcpus} vCPUs`);
    }
    if (!Number.isInteger(vcpu) || vcpu < 0 || vcpu >= vm.vcpus) {
      throw new RangeError(`hv-services: vCPU ${vcpu} is not in VM '${vm.name}' (0..${vm.vcpus - 1})`);
    }
    const bytes = new TextEncoder().encode(vm.name);
    if (bytes.length > HV_NAME_BYTES || bytes.includes(0)) {
      throw new RangeError(`hv-services: VM name '${vm.name}' must be at most ${HV_NAME_BYTES} bytes of UTF-8 without NUL`);
    }
    const padded = new Uint8Array(HV_NAME_BYTES);
    padded.set(bytes);
    this.nameWords = new Uint32Array(HV_NAME_BYTES / 4);
    for (let i = 0; i < this.nameWords.length; i++) {
      const at = 4 * i;
      this.nameWords[i] = padded[at] | (padded[at + 1] << 8) | (padded[at + 2] << 16) | (padded[at + 3] << 24);
    }
  }

  read(offset: number, size: AccessSize): number | undefined {
    if (!decodes(offset, size)) return undefined;
    switch (offset) {
      case HvServicesRegister.Magic: return HV_SERVICES_MAGIC;
      case HvServicesRegister.Version: return HV_SERVICES_VERSION;
      case HvServicesRegister.VmId: return this.vm.id;
      case HvServicesRegister.VcpuId: return this.vcpu;
      case HvServicesRegister.VcpuCount: return this.vm.vcpus;
      case HvServicesRegister.Status: return this.status.value >>> 0;
    }
    const nameOffset = offset - HvServicesRegister.Name;
    if (nameOffset >= 0 && nameOffset < HV_NAME_BYTES) return this.nameWords[nameOffset >>> 2];
    const ipc = this.handlers.ipc;
    if (ipc === undefined) return undefined;
    if (offset === HvServicesRegister.IpcLength) return ipc.length();
    const register = ipcRegister(offset);
    return register === undefined ? undefined : ipc.register(register) >>> 0;
  }

  write(offset: number, size: AccessSize, value: number): boolean {
    if (!decodes(offset, size)) return false;
    const argument = value >>> 0;
    switch (offset) {
      case HvServicesRegister.Yield:
        this.status.value = HV_STATUS_OK;
        this.handlers.onYield();
        return true;
      case HvServicesRegister.WatchdogKick:
        this.status.value = HV_STATUS_OK;
        this.handlers.onWatchdogKick();
        return true;
      case HvServicesRegister.Ready:
        if (argument > READY_MAX) return this.reject();
        this.status.value = HV_STATUS_OK;
        this.handlers.onReady(argument);
        return true;
      case HvServicesRegister.Console:
        if (argument > CONSOLE_MAX) return this.reject();
        this.status.value = HV_STATUS_OK;
        this.handlers.onConsole(argument);
        return true;
    }
    return this.writeIpc(offset, argument);
  }

  /** Message registers and IPC_LEN are storage: writing them need not end the vCPU's slice. */
  plainStore(offset: number): boolean {
    return this.handlers.ipc !== undefined && (offset === HvServicesRegister.IpcLength || ipcRegister(offset) !== undefined);
  }

  private writeIpc(offset: number, argument: number): boolean {
    const ipc = this.handlers.ipc;
    if (ipc === undefined) return false;
    if (offset >= HvServicesRegister.IpcSend && offset <= HvServicesRegister.IpcReply) {
      ipc.operate((offset - HvServicesRegister.IpcSend) >>> 2, argument);
      return true;
    }
    if (offset === HvServicesRegister.IpcLength) {
      if (!ipc.setLength(argument)) return this.reject();
      this.status.value = HV_STATUS_OK;
      return true;
    }
    const register = ipcRegister(offset);
    if (register === undefined) return false;
    // Register writes are plain stores: they leave STATUS alone, like RAM would.
    ipc.setRegister(register, argument);
    return true;
  }

  /** A decoded write with a bad argument: the store completes, the guest learns why from STATUS. */
  private reject(): true {
    this.status.value = HV_STATUS_EINVAL;
    return true;
  }
}

function ipcRegister(offset: number): number | undefined {
  const index = (offset - HvServicesRegister.IpcRegisters) >>> 2;
  return offset >= HvServicesRegister.IpcRegisters && index < HV_IPC_REGISTERS ? index : undefined;
}

function decodes(offset: number, size: AccessSize): boolean {
  return size === 4 && (offset & 3) === 0 && offset >= 0 && offset < WINDOW_BYTES;
}
