// The normalized scenario the hypervisor runs: every default filled in, every cross-field rule checked.

import type { ElfImage } from '../loader/elf.js';
import { MAX_RAM_BYTES, PAGE_SIZE } from '../memory/memory-map.js';

export type TimingMode = 'virtual' | 'realtime';
export type SchedulerPolicy = 'partitioned' | 'fixed-priority' | 'time-partitioned';
export type FaultPolicy = 'halt' | 'restart';

export interface Timing {
  mode: TimingMode;
  /** Virtual cycles a core runs between synchronisation points; cores that share a VM or a channel stay within one quantum of each other. */
  quantum: number;
  /** Hz of the virtual core clock; every cycle figure of the scenario counts cycles of this clock. */
  frequency: number;
}

export interface PartitionedScheduler {
  policy: 'partitioned';
  /** Virtual cycles charged for a vCPU switch. */
  switchCost: number;
}

export interface FixedPriorityScheduler {
  policy: 'fixed-priority';
  switchCost: number;
  /** The most instructions a core runs before it notices a higher-priority vCPU made runnable elsewhere. */
  preemptionBound: number;
}

export interface TimePartitionedScheduler {
  policy: 'time-partitioned';
  switchCost: number;
  /** Cycles after which the window table repeats. */
  majorFrame: number;
  /** Sorted by core, then offset; windows on one core never overlap and end at or before majorFrame. */
  windows: TimeWindow[];
}

export type SchedulerConfig = PartitionedScheduler | FixedPriorityScheduler | TimePartitionedScheduler;

/** During [offset, offset + duration) of every major frame, `core` runs a vCPU of `vms[vmIndex]`. */
export interface TimeWindow {
  core: number;
  /** Index into Scenario.vms. */
  vmIndex: number;
  offset: number;
  duration: number;
}

export interface FaultHandling {
  policy: FaultPolicy;
  /** Restarts allowed before the VM stays halted (meaningful for "restart"). */
  limit: number;
  /**
   * Guest resets (test device 0x7777) per second of virtual time the VM may make: a reset sooner
   * than 1/resetsPerSecond after the previous one counts as a fault ("reset storm") under `policy`.
   */
  resetsPerSecond: number;
}

/** A VM that boots a kernel under Tessera's built-in SBI: its command line and where its initrd is. */
export interface KernelBootConfig {
  bootargs?: string;
  initrd?: { start: number; end: number };
}

export interface VmConfig {
  name: string;
  /** Absolute path of the guest ELF (or of the kernel), resolved against the scenario file's folder. */
  guestPath: string;
  /** What the VM loads: the guest ELF, or the kernel and its initrd. */
  image: ElfImage;
  /** Set when the VM boots a kernel (hart 0 in S-mode, the built-in SBI in M-mode). */
  kernel?: KernelBootConfig;
  /** Size of the VM's RAM, which it sees at guest-physical 0x80000000 (RAM_BASE). */
  ramBytes: number;
  /** Byte offset of the VM's RAM in physical memory: 4 KiB aligned, overlapping no other VM. */
  physicalBase: number;
  vcpus: number;
  /** 0..255, higher runs first (fixed-priority; 0 under the other policies). */
  priority: number;
  /** Fixed-priority server: `budget` cycles every `period` cycles; both or neither. */
  budget?: number;
  period?: number;
  /**
   * Cores the VM's vCPUs may run on. Default: every core; under "partitioned" without an explicit
   * list, the cores of `placement`.
   */
  affinity: number[];
  /** Partitioned: placement[i] is the core dedicated to vCPU i. Other policies: empty. */
  placement: number[];
  onFault: FaultHandling;
  /** Cycles without a kick before the watchdog fires; absent: no watchdog. */
  watchdog?: number;
  autostart: boolean;
  /** Updatable VMs: physical base of the second (A/B) partition an update boots into. */
  updateSlot?: number;
}

export type ChannelAccess = 'rw' | 'ro';

/** One side of a channel: where the window appears in a VM, and the doorbell interrupt it receives. */
export interface ChannelEndpoint {
  /** Index into Scenario.vms; the two endpoints of a channel are in different VMs. */
  vmIndex: number;
  /**
   * Guest-physical address of the window in that VM: 4 KiB aligned, the whole window below 2^32,
   * overlapping neither the VM's RAM, nor a device of GUEST_DEVICES, nor another window of the VM.
   */
  address: number;
  /** False ("ro"): the VM may only read the window. */
  writable: boolean;
  /** PLIC source (1..95, never UART_IRQ = 10) on which the VM receives the peer's doorbell; unique within the VM. */
  irq: number;
}

/** A shared-memory window between two VMs, with a doorbell interrupt each way. */
export interface ChannelConfig {
  name: string;
  /** Bytes of the window: whole 4 KiB pages, 4 KiB..64 MiB. */
  size: number;
  /** Byte offset of the window in physical memory: 4 KiB aligned, overlapping no partition and no other window. */
  physicalBase: number;
  endpoints: [ChannelEndpoint, ChannelEndpoint];
  /**
   * The endpoint (0 or 1) that produces a Tessera ring (guests/include/tessera-ring.h) at the start
   * of the window; the hypervisor then reports the ring's messages, bytes and depth. Absent: none.
   */
  ringProducer?: 0 | 1;
}

export interface Scenario {
  name: string;
  description?: string;
  cores: number;
  /** Size of physical memory, the SharedArrayBuffer holding every VM's RAM. */
  memoryBytes: number;
  timing: Timing;
  scheduler: SchedulerConfig;
  vms: VmConfig[];
  /** Inter-VM channels in file order; [] when the scenario has none. */
  channels: ChannelConfig[];
}

/** The largest cycle count a scenario may name: cycle arithmetic stays exact in a double. */
export const MAX_CYCLES = Number.MAX_SAFE_INTEGER;

/**
 * Inclusive bounds of the numeric fields; scenarios/scenario.schema.json states the same (a test
 * checks the schema against the validator).
 *
 * The cycle counts that pace the hypervisor have floors, so its work per unit of virtual time stays
 * bounded whatever a file says: a slice ends within `quantum` and `preemptionBound` cycles (each
 * end is a scheduling decision), and every budget, period, time window and major frame adds a
 * decision or two each time it comes round. Measured on a CPU-bound VM, one decision costs about
 * as much as 100 cycles of guest code: 1000-cycle slices cost ~10 % over free running, 100-cycle
 * ones 2 to 4 times, 1-cycle ones 55 times. So the per-VM server times (budget, period, windows)
 * are at least 1000 cycles (10 µs at 100 MHz) and the two core-wide bounds, which trade speed for
 * latency on purpose, at least 100 (1 µs).
 */
export const SCENARIO_LIMITS = {
  nameLength: { min: 1, max: 64 },
  cores: { min: 1, max: 64 },
  vms: { min: 1, max: 64 },
  memoryBytes: { min: PAGE_SIZE, max: MAX_RAM_BYTES },
  quantum: { min: 100, max: 10_000_000 },
  frequency: { min: 1_000_000, max: 10_000_000_000 },
  preemptionBound: { min: 100, max: 1_000_000 },
  switchCost: { min: 0, max: 100_000 },
  majorFrame: { min: 1000, max: MAX_CYCLES },
  windowOffset: { min: 0, max: MAX_CYCLES },
  windowDuration: { min: 1000, max: MAX_CYCLES },
  ramBytes: { min: PAGE_SIZE, max: MAX_RAM_BYTES },
  physicalBase: { min: 0, max: MAX_RAM_BYTES },
  vcpus: { min: 1, max: 8 },
  priority: { min: 0, max: 255 },
  budget: { min: 1000, max: MAX_CYCLES },
  period: { min: 1000, max: MAX_CYCLES },
  faultLimit: { min: 0, max: 1000 },
  resetsPerSecond: { min: 1, max: 1_000_000 },
  /** A watchdog acts once per expiry (a fault, then at most faultLimit restarts), never per cycle. */
  watchdog: { min: 1000, max: MAX_CYCLES },
  channels: { min: 0, max: 64 },
  channelSize: { min: PAGE_SIZE, max: 64 * 1024 * 1024 },
  /** The lowest and highest page a window may start at (it must also end at or below 2^32). */
  channelAddress: { min: 0, max: 2 ** 32 - PAGE_SIZE },
  /** PLIC sources of QEMU virt's PLIC; UART_IRQ (10) is taken. */
  channelIrq: { min: 1, max: 95 },
} as const;

export const SCENARIO_DEFAULTS = {
  timing: { mode: 'virtual', quantum: 10_000, frequency: 100_000_000 } satisfies Timing,
  preemptionBound: 1000,
  switchCost: 100,
  vcpus: 1,
  priority: 0,
  onFault: { policy: 'halt', limit: 3, resetsPerSecond: 10 } satisfies FaultHandling,
  autostart: true,
  channelAccess: 'rw' satisfies ChannelAccess,
} as const;

/** VM names and channel names; each is unique among its kind (a channel may share a VM's name). */
export const NAME_PATTERN = /^[a-z][a-z0-9-]{0,31}$/;
/** What NAME_PATTERN accepts, in words. */
export const NAME_RULE = 'a lowercase letter followed by up to 31 lowercase letters, digits or "-"';
