// The records a scaling sweep (`tessera sweep`) produces: one per run, and what makes it reproducible.

import type { LatencySummary } from '../metrics/latency-summary.js';

export type { LatencySummary };

/** One combination of sweep parameters; an axis the sweep does not vary is absent. */
export interface SweepPoint {
  cores: number;
  vms?: number;
  quantum?: number;
  policy?: string;
}

export interface VmRunFigures {
  name: string;
  instructions: number;
  /** Instructions per microsecond of wall time during the run. */
  mips: number;
  interrupts: number;
  latency: LatencySummary;
}

export interface ChannelRunFigures {
  name: string;
  /** Messages and payload bytes delivered, both directions together. */
  messages: number;
  bytes: number;
  /** Of `messages`, per second of wall time and of virtual time. */
  messagesPerWallSecond: number;
  messagesPerVirtualSecond: number;
  bytesPerWallSecond: number;
  /** End-to-end latency of the messages the hypervisor could time. */
  latency: LatencySummary;
}

export interface SweepRun {
  /** Stable name of the run: its point and repeat, e.g. "cores=2 quantum=10000 #1". */
  id: string;
  point: SweepPoint;
  /** 1-based repetition of the point. */
  repeat: number;
  /** ok: ran; invalid: the point made an invalid scenario (not run); failed: the run itself failed. */
  status: 'ok' | 'invalid' | 'failed';
  /** invalid/failed: one line saying why. */
  error?: string;
  /** Hz of the virtual clock (latency cycles convert to seconds with it). */
  frequency: number;
  wallSeconds: number;
  virtualSeconds: number;
  /** Worker threads that ran the emulated cores. */
  threads: number;
  /** Guest instructions retired by every VM, and per microsecond of wall time. */
  instructions: number;
  mips: number;
  /** Host CPU time used by the process over wall time times the host's CPU count (0..1). */
  hostCpuUtilisation: number;
  /** Busy cycles of the emulated cores over their virtual time (0..1): the load the guests offered. */
  coreUtilisation: number;
  /** Interrupt latency over every VM. */
  latency: LatencySummary;
  vms: VmRunFigures[];
  /** Totals over every channel (sum of messages/bytes, merged latency). */
  ipc: Omit<ChannelRunFigures, 'name'>;
  channels: ChannelRunFigures[];
  /** With --trace: the file written, and trace records dropped because a ring was full. */
  traceFile?: string;
  traceDropped?: number;
}

/** What a result file records so that someone else can reproduce it. */
export interface ReproducibilityInfo {
  tessera: string;
  /** Commit of the Tessera checkout, with "-dirty" when it had uncommitted changes; "unknown" outside git. */
  gitCommit: string;
  /** sha256 of the scenario file's bytes, and of each guest ELF it names. */
  scenario: { path: string; sha256: string; guests: { path: string; sha256: string }[] };
  host: { cpuModel: string; cpuCount: number; memoryGiB: number; os: string; node: string };
  timingMode: string;
  /** Tessera's runs involve no random numbers: the seed is recorded as 0 so result files have one shape. */
  seed: number;
  commandLine: string[];
  date: string;
}
