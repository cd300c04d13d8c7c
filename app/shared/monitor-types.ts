// What the monitor shows: the data the engine host sends to the renderer, whatever carries it.

/** The lifecycle commands a VM accepts (the engine's set). */
export const VM_COMMANDS = ['start', 'pause', 'resume', 'stop', 'restart', 'wipe', 'destroy'] as const;
export type VmCommand = (typeof VM_COMMANDS)[number];
/** Commands that lose a VM's work or memory: the UI asks before sending them. */
export const DESTRUCTIVE_COMMANDS: readonly VmCommand[] = ['stop', 'restart', 'wipe', 'destroy'];

export const EXPORT_FORMATS = ['json', 'csv', 'trace'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const FILE_KINDS = ['scenario', 'elf'] as const;
export type FileKind = (typeof FILE_KINDS)[number];

/** A cumulative latency histogram, as the engine reports it (virtual cycles). */
export interface LatencyJson {
  count: number;
  min: number;
  avg: number;
  max: number;
  p50: number;
  p99: number;
  p999: number;
  /** [inclusive upper bound, count] of every non-empty bucket, increasing. */
  buckets: [number, number][];
}

export interface VmSample {
  name: string;
  state: string;
  cores: number[];
  priority: number;
  instructions: number;
  interrupts: number;
  violations: number;
  restarts: number;
  faults: number;
  exitCode: number;
  ready: number | null;
  latency: LatencyJson;
}

/** One direction of a channel; every counter is cumulative. */
export interface ChannelFlowSample {
  from: string;
  to: string;
  messages: number;
  bytes: number;
  queueDepth: number;
  doorbellsRung: number;
  doorbellsSuppressed: number;
  syncMessages: number;
  latency: LatencyJson;
  /** Send times the receiver reported that cannot be true: left out of `latency`. */
  latencyRejected: number;
}

export interface ChannelSample {
  name: string;
  endpoints: [string, string];
  /** Doorbells each endpoint rang (cumulative). */
  doorbells: [number, number];
  /** Per direction, when the engine measures messages; absent otherwise. */
  flows?: [ChannelFlowSample, ChannelFlowSample];
}

/** A vCPU ran on a core from `start` to `end` (virtual cycles). */
export interface RunSpan {
  core: number;
  vm: string;
  vcpu: number;
  start: number;
  end: number;
}

export interface MonitorEvent {
  /** Virtual time in cycles. */
  time: number;
  wallMs: number;
  vm: string;
  kind: string;
  detail?: string;
}

/** One sample of the running system: counters, plus what happened since the previous sample. */
export interface MonitorSample {
  seq: number;
  /** Virtual time reached, in cycles and in seconds; wall seconds since the system started. */
  time: number;
  virtualSeconds: number;
  wallSeconds: number;
  vms: VmSample[];
  cores: { time: number; busy: number }[];
  channels: ChannelSample[];
  /** vCPU runs recorded since the previous sample (undefined: the timeline has no data source). */
  runs?: RunSpan[];
  /** Console text per VM since the previous sample. */
  console: { vm: string; text: string }[];
  events: MonitorEvent[];
}

export interface ScenarioVm {
  name: string;
  physicalBase: number;
  ramBytes: number;
  vcpus: number;
  priority: number;
  cores: number[];
  /** Whether the scenario gives it an update slot (firmware over the air). */
  updatable: boolean;
  /** Physical base of that slot (the same size as its RAM). */
  updateSlot?: number;
}

export interface ScenarioChannel {
  name: string;
  physicalBase: number;
  size: number;
  endpoints: { vm: string; address: number; writable: boolean }[];
}

/** The scenario loaded in the host: what the memory map and the tables are drawn from. */
export interface ScenarioInfo {
  path: string;
  name: string;
  description: string;
  cores: number;
  memoryBytes: number;
  frequency: number;
  mode: 'virtual' | 'realtime';
  policy: string;
  vms: ScenarioVm[];
  channels: ScenarioChannel[];
}

export type SystemState = 'idle' | 'starting' | 'running' | 'stopping' | 'stopped' | 'failed';

export interface SystemStatus {
  state: SystemState;
  /** One line: why the run ended, or failed. */
  message?: string;
  /** VMs that failed against their fault policy. */
  failedVms: string[];
}

/** What this host can do (the renderer greys out the rest). */
export interface Capabilities {
  /** A native file picker (the desktop app); elsewhere the user types a path. */
  filePicker: boolean;
}

/** What a page that connects mid-run missed: the run's recent events and console output. */
export interface Backlog {
  /** The last sample these include; later samples carry only what is new. */
  seq: number;
  events: MonitorEvent[];
  console: { vm: string; text: string }[];
}

export interface HelloResult {
  version: number;
  capabilities: Capabilities;
  scenario: ScenarioInfo | null;
  /** The last scenario load's errors, one line each (empty when it loaded). */
  scenarioErrors: string[];
  status: SystemStatus;
  backlog: Backlog | null;
  /** Paths the UI offers in its pickers: scenarios and guest ELF files (relative to the project). */
  knownScenarios: string[];
  knownGuests: string[];
  sampleHz: number;
}

export interface ExportFile {
  fileName: string;
  mimeType: string;
  text: string;
}
