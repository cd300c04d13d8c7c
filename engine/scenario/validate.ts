// Scenario validation: every problem of a scenario as one line naming its field, or the normalized Scenario.

import { ElfError, parseElf, type ElfImage } from '../loader/elf.js';
import { KernelBootError, MAX_BOOTARGS_BYTES, planKernelBoot } from '../loader/kernel-boot.js';
import { completeChannel, readChannels, windowRequests } from './channels.js';
import { describePath, describeValue, INVALID, known, ObjectReader, plural, present, Problems, valid, type Invalid } from './fields.js';
import { imageFitProblems } from './image-fit.js';
import { findJsonSyntaxError, nestsTooDeep } from './json-syntax.js';
import { checkWindows, placeMemory, placeUpdateSlots, placeVcpus, type WindowRequest } from './placement.js';
import {
  NAME_PATTERN,
  NAME_RULE,
  SCENARIO_DEFAULTS as DEFAULTS,
  SCENARIO_LIMITS as LIMITS,
  type FaultHandling,
  type FaultPolicy,
  type Scenario,
  type SchedulerConfig,
  type SchedulerPolicy,
  type Timing,
  type KernelBootConfig,
  type TimingMode,
  type VmConfig,
} from './scenario.js';

/** The fields each object of the format accepts; scenarios/scenario.schema.json lists the same. */
export const SCENARIO_FIELDS = ['$schema', 'name', 'description', 'cores', 'memory', 'timing', 'scheduler', 'vms', 'channels'] as const;
export const TIMING_FIELDS = ['mode', 'quantum', 'frequency'] as const;
export const SCHEDULER_FIELDS = ['policy', 'preemptionBound', 'switchCost', 'majorFrame', 'windows'] as const;
export const WINDOW_FIELDS = ['core', 'vm', 'offset', 'duration'] as const;
export const VM_FIELDS = [
  'name',
  'guest',
  'kernel',
  'initrd',
  'bootargs',
  'ram',
  'physicalBase',
  'vcpus',
  'priority',
  'budget',
  'period',
  'affinity',
  'onFault',
  'watchdog',
  'autostart',
  'updatable',
] as const;
export const ON_FAULT_FIELDS = ['policy', 'limit', 'resetsPerSecond'] as const;

export const TIMING_MODES: readonly TimingMode[] = ['virtual', 'realtime'];
export const SCHEDULER_POLICIES: readonly SchedulerPolicy[] = ['partitioned', 'fixed-priority', 'time-partitioned'];
export const FAULT_POLICIES: readonly FaultPolicy[] = ['halt', 'restart'];
export const MAX_WINDOWS = 1024;

/** How the validator reaches the guest files a scenario names; file access is the caller's. */
export interface ScenarioSource {
  /** The folder of the scenario file: guest paths are relative to it. */
  baseDir: string;
  /** Joins a guest path from the scenario onto baseDir (an absolute guest path stays as it is). */
  resolve(baseDir: string, relative: string): string;
  /** The file's bytes; throws an Error whose message is the one-line reason, e.g. "no such file". */
  readFile(path: string): Uint8Array;
}

/** `scenario` is set exactly when `errors` is empty. */
export interface ScenarioResult {
  scenario?: Scenario;
  errors: string[];
}

/** Parses scenario JSON text (a leading byte-order mark is ignored) and validates it. */
export function parseScenarioText(text: string, source: ScenarioSource): ScenarioResult {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let json: unknown;
  try {
    // JSON.parse may exhaust the stack on absurd nesting (or take seconds): the scanner reports it instead.
    if (nestsTooDeep(body)) throw new SyntaxError('nested too deep');
    json = JSON.parse(body);
  } catch (error) {
    const where = findJsonSyntaxError(body);
    const line = where
      ? `scenario: invalid JSON at line ${where.line} column ${where.column}: ${where.message}`
      : `scenario: cannot parse the JSON: ${firstLine(error)}`;
    return { errors: [line] };
  }
  return validateScenario(json, source);
}

/** Checks parsed scenario JSON against the format and its rules, and reads and parses every guest. */
export function validateScenario(json: unknown, source: ScenarioSource): ScenarioResult {
  const problems = new Problems();
  const root = ObjectReader.open(problems, json, '', SCENARIO_FIELDS);
  if (root === INVALID) return { errors: problems.lines };

  root.string('$schema', { min: 0, max: Infinity });
  const name = root.string('name', LIMITS.nameLength, true);
  const description = root.string('description', { min: 0, max: Infinity });
  const cores = root.integer('cores', LIMITS.cores, true);
  const memoryBytes = root.size('memory', LIMITS.memoryBytes, true);
  const timing = readTiming(problems, root);
  const scheduler = readScheduler(problems, root);
  const policy = scheduler === INVALID ? INVALID : scheduler.policy;

  const vmItems = root.array('vms', LIMITS.vms, 'VMs', true);
  const images = new Map<string, ElfImage | string>();
  const vms = vmItems === INVALID || vmItems === undefined ? [] : vmItems.map((item, i) => readVm(problems, item, i, scheduler, cores, source, images));
  const usable = <T>(pick: (vm: VmDraft) => T | Invalid): (T | undefined)[] => vms.map((vm) => (vm === INVALID ? undefined : known(pick(vm))));

  checkUniqueNames(problems, vms);
  const channels = readChannels(
    problems,
    root,
    vmItems === INVALID ? undefined : usable((vm) => (vm.name === INVALID ? INVALID : { name: vm.name, ramBytes: known(vm.ramBytes) })),
  );
  const memory = placeMemory(
    problems,
    usable((vm) => (vm.ramBytes === INVALID || vm.physicalBase === INVALID ? INVALID : { ramBytes: vm.ramBytes, physicalBase: vm.physicalBase })),
    windowRequests(channels),
    known(memoryBytes),
  );
  const placements =
    policy === 'partitioned'
      ? placeVcpus(
          problems,
          usable((vm) => (vm.vcpus === INVALID || vm.affinity === INVALID ? INVALID : { vcpus: vm.vcpus, affinity: vm.affinity })),
          known(cores),
        )
      : undefined;
  let windowVms: (number | undefined)[] = [];
  if (scheduler !== INVALID && scheduler.policy === 'time-partitioned' && Array.isArray(scheduler.windows)) {
    const allCores = typeof cores === 'number' ? range(cores) : undefined;
    windowVms = checkWindows(
      problems,
      scheduler.windows,
      usable((vm) => (vm.name === INVALID ? INVALID : { name: vm.name, affinity: vm.affinity === INVALID ? undefined : (vm.affinity ?? allCores) })),
      known(cores),
      known(scheduler.majorFrame),
    );
  }

  const slots = memory === undefined ? undefined : placeUpdateSlots(
    problems,
    memory,
    usable((vm) => vm.ramBytes),
    windowRequests(channels).map((w) => w?.size),
    usable((vm) => (vm.updatable === true && vm.ramBytes !== INVALID ? vm.ramBytes : INVALID)),
    present(known(memoryBytes)),
  );
  if (problems.count > 0) return { errors: problems.lines };

  // No problem was reported, so every required value is there; `present` checks that invariant.
  const coreCount = present(cores);
  return {
    errors: [],
    scenario: {
      name: present(name),
      ...(typeof description === 'string' ? { description } : {}),
      cores: coreCount,
      memoryBytes: present(memoryBytes),
      timing: valid(timing),
      scheduler: normalizeScheduler(valid(scheduler), windowVms),
      vms: vms.map((draft, i) => completeVm(valid(draft), present(present(memory).partitions[i]), placements?.[i] ?? [], coreCount, slots?.[i])),
      channels: channels.map((draft, i) => completeChannel(draft, present(present(memory).windows[i]))),
    },
  };
}

// ---- top-level objects ----------------------------------------------------------------------

function readTiming(problems: Problems, root: ObjectReader): Timing | Invalid {
  if (!root.has('timing')) return { ...DEFAULTS.timing };
  const timing = ObjectReader.open(problems, root.get('timing'), 'timing', TIMING_FIELDS);
  if (timing === INVALID) return INVALID;
  const mode = timing.oneOf('mode', TIMING_MODES);
  const quantum = timing.cycles('quantum', LIMITS.quantum);
  const frequency = timing.integer('frequency', LIMITS.frequency);
  if (mode === INVALID || quantum === INVALID || frequency === INVALID) return INVALID;
  return {
    mode: mode ?? DEFAULTS.timing.mode,
    quantum: quantum ?? DEFAULTS.timing.quantum,
    frequency: frequency ?? DEFAULTS.timing.frequency,
  };
}

interface SchedulerDraft {
  policy: SchedulerPolicy | Invalid;
  switchCost: number | Invalid;
  preemptionBound: number | Invalid;
  majorFrame: number | undefined | Invalid;
  windows: WindowRequest[] | undefined | Invalid;
}

function readScheduler(problems: Problems, root: ObjectReader): SchedulerDraft | Invalid {
  if (!root.require('scheduler')) return INVALID;
  const scheduler = ObjectReader.open(problems, root.get('scheduler'), 'scheduler', SCHEDULER_FIELDS);
  if (scheduler === INVALID) return INVALID;
  const policy = scheduler.oneOf('policy', SCHEDULER_POLICIES, true);
  const switchCost = scheduler.integer('switchCost', LIMITS.switchCost) ?? DEFAULTS.switchCost;

  let preemptionBound: number | undefined | Invalid;
  if (policy === 'fixed-priority' || policy === INVALID) preemptionBound = scheduler.cycles('preemptionBound', LIMITS.preemptionBound);
  else if (scheduler.has('preemptionBound')) preemptionBound = scheduler.problem('preemptionBound', 'only for fixed-priority');

  let majorFrame: number | undefined | Invalid;
  let windows: WindowRequest[] | undefined | Invalid;
  if (policy === 'time-partitioned' || policy === INVALID) {
    for (const key of ['majorFrame', 'windows']) {
      if (policy !== INVALID && !scheduler.has(key)) scheduler.problem(key, 'required for time-partitioned');
    }
    majorFrame = scheduler.cycles('majorFrame', LIMITS.majorFrame);
    windows = readWindows(problems, scheduler, known(switchCost));
  } else {
    for (const key of ['majorFrame', 'windows']) {
      if (scheduler.has(key)) scheduler.problem(key, 'only for time-partitioned');
    }
  }
  return { policy, switchCost, preemptionBound: preemptionBound ?? DEFAULTS.preemptionBound, majorFrame, windows };
}

/**
 * The windows with each invalid field left undefined (and reported). A window no longer than the
 * switch cost would be spent switching, and the VM would then run past its end.
 */
function readWindows(problems: Problems, scheduler: ObjectReader, switchCost: number | undefined): WindowRequest[] | undefined | Invalid {
  const items = scheduler.array('windows', { min: 1, max: MAX_WINDOWS }, 'windows');
  if (items === undefined || items === INVALID) return items;
  return items.map((item, i) => {
    const window = ObjectReader.open(problems, item, `scheduler.windows[${i}]`, WINDOW_FIELDS);
    if (window === INVALID) return {};
    const core = known(window.integer('core', { min: 0, max: LIMITS.cores.max - 1 }, true));
    const vm = known(window.string('vm', { min: 1, max: Infinity }, true));
    const offset = known(window.integer('offset', LIMITS.windowOffset, true));
    let duration = known(window.cycles('duration', LIMITS.windowDuration, true));
    if (duration !== undefined && switchCost !== undefined && duration <= switchCost) {
      window.problem('duration', `${duration} ${notMoreThanSwitchCost(switchCost)}, or switching to the VM takes the whole window`);
      duration = undefined;
    }
    return { core, vm, offset, duration };
  });
}

function normalizeScheduler(draft: SchedulerDraft, windowVms: readonly (number | undefined)[]): SchedulerConfig {
  const switchCost = valid(draft.switchCost);
  switch (valid(draft.policy)) {
    case 'partitioned':
      return { policy: 'partitioned', switchCost };
    case 'fixed-priority':
      return { policy: 'fixed-priority', switchCost, preemptionBound: valid(draft.preemptionBound) };
    case 'time-partitioned': {
      const windows = present(draft.windows).map((w, i) => ({
        core: present(w.core),
        vmIndex: present(windowVms[i]),
        offset: present(w.offset),
        duration: present(w.duration),
      }));
      windows.sort((a, b) => a.core - b.core || a.offset - b.offset);
      return { policy: 'time-partitioned', switchCost, majorFrame: present(draft.majorFrame), windows };
    }
  }
}

// ---- VMs ------------------------------------------------------------------------------------

interface VmDraft {
  name: string | Invalid;
  guestPath: string | Invalid;
  image: ElfImage | Invalid;
  kernel: KernelBootConfig | undefined;
  ramBytes: number | Invalid;
  physicalBase: number | undefined | Invalid;
  vcpus: number | Invalid;
  priority: number | Invalid;
  budget: number | undefined | Invalid;
  period: number | undefined | Invalid;
  affinity: number[] | undefined | Invalid;
  onFault: FaultHandling | Invalid;
  watchdog: number | undefined | Invalid;
  autostart: boolean | Invalid;
  updatable: boolean | Invalid;
}

function readVm(
  problems: Problems,
  item: unknown,
  index: number,
  scheduler: SchedulerDraft | Invalid,
  cores: number | undefined | Invalid,
  source: ScenarioSource,
  images: Map<string, ElfImage | string>,
): VmDraft | Invalid {
  const vm = ObjectReader.open(problems, item, `vms[${index}]`, VM_FIELDS);
  if (vm === INVALID) return INVALID;

  const name = readVmName(vm);
  const ramBytes = vm.size('ram', LIMITS.ramBytes, true);
  const physicalBase = vm.size('physicalBase', LIMITS.physicalBase);
  const vcpus = vm.integer('vcpus', LIMITS.vcpus) ?? DEFAULTS.vcpus;

  // Fields of another policy are errors; with an unknown policy they are checked as if they belonged.
  const policy = scheduler === INVALID ? INVALID : scheduler.policy;
  const switchCost = scheduler === INVALID ? undefined : known(scheduler.switchCost);
  const fixedPriority = policy === 'fixed-priority' || policy === INVALID;
  let priority: number | undefined | Invalid;
  let budget: number | undefined | Invalid;
  let period: number | undefined | Invalid;
  if (fixedPriority) {
    priority = vm.integer('priority', LIMITS.priority);
    budget = vm.cycles('budget', LIMITS.budget);
    period = vm.cycles('period', LIMITS.period);
    if (budget !== undefined && period === undefined) budget = vm.problem('budget', 'needs a period as well (give both or neither)');
    if (period !== undefined && budget === undefined) period = vm.problem('period', 'needs a budget as well (give both or neither)');
    if (typeof budget === 'number' && typeof period === 'number' && budget > period) {
      budget = vm.problem('budget', `${budget} is more than the period (${period})`);
    }
    // Switching to the VM costs switchCost cycles before its slice: a budget no larger leaves it nothing.
    if (typeof budget === 'number' && switchCost !== undefined && budget <= switchCost) {
      budget = vm.problem('budget', `${budget} ${notMoreThanSwitchCost(switchCost)}, or switching to the VM takes its whole budget`);
    }
  } else {
    for (const key of ['priority', 'budget', 'period']) {
      if (vm.has(key)) vm.problem(key, 'only for fixed-priority');
    }
  }

  const affinity = readAffinity(problems, vm, cores);
  const onFault = readOnFault(problems, vm);
  const watchdog = vm.cycles('watchdog', LIMITS.watchdog);
  const autostart = vm.boolean('autostart') ?? DEFAULTS.autostart;
  const updatable = vm.boolean('updatable') ?? false;

  const guest = vm.string('guest', { min: 1, max: 4096 });
  const kernelFile = vm.string('kernel', { min: 1, max: 4096 });
  const initrdFile = vm.string('initrd', { min: 1, max: 4096 });
  const bootargs = vm.string('bootargs', { min: 0, max: MAX_BOOTARGS_BYTES - 1 });
  let guestPath: string | Invalid = INVALID;
  let image: ElfImage | Invalid = INVALID;
  let kernel: KernelBootConfig | undefined;
  if (guest === undefined && kernelFile === undefined) vm.problem('guest', 'required but missing (or kernel, to boot a kernel)');
  else if (guest !== undefined && kernelFile !== undefined) vm.problem('guest', 'cannot be given with kernel (a VM runs a guest or boots a kernel)');
  if (kernelFile === undefined) {
    for (const key of ['initrd', 'bootargs']) if (vm.has(key)) vm.problem(key, 'only with kernel');
  }
  if (typeof guest === 'string' && kernelFile === undefined) {
    guestPath = source.resolve(source.baseDir, guest);
    image = loadGuest(vm, guest, guestPath, source, images);
    if (image !== INVALID && typeof ramBytes === 'number') checkImageFits(vm, image, ramBytes);
  } else if (typeof kernelFile === 'string' && guest === undefined && initrdFile !== INVALID && bootargs !== INVALID && typeof ramBytes === 'number' && typeof vcpus === 'number') {
    guestPath = source.resolve(source.baseDir, kernelFile);
    const booted = loadKernel(vm, source, { kernel: kernelFile, initrd: initrdFile, bootargs }, vcpus, ramBytes);
    if (booted !== INVALID) [image, kernel] = booted;
  }

  return {
    name,
    guestPath,
    image,
    kernel,
    ramBytes,
    physicalBase,
    vcpus,
    priority: priority ?? DEFAULTS.priority,
    budget,
    period,
    affinity,
    onFault,
    watchdog,
    autostart,
    updatable,
  };
}

function readVmName(vm: ObjectReader): string | Invalid {
  return vm.matching('name', NAME_PATTERN, NAME_RULE, true);
}

function readAffinity(problems: Problems, vm: ObjectReader, cores: number | undefined | Invalid): number[] | undefined | Invalid {
  const list = vm.array('affinity', { min: 1, max: LIMITS.cores.max }, 'cores');
  if (list === undefined || list === INVALID) return list;
  let ok = true;
  const seen = new Set<number>();
  list.forEach((core, k) => {
    const path = `${vm.pathOf('affinity')}[${k}]`;
    // A repeat is named whether or not the scenario has the core, as the schema's uniqueItems
    // rejects it: [2, 2] on 2 cores is out of range, then listed twice.
    if (typeof core !== 'number' || !Number.isInteger(core) || core < 0 || core >= LIMITS.cores.max) {
      problems.add(path, `must be a core number from 0 to ${LIMITS.cores.max - 1} (got ${describeValue(core)})`);
    } else if (seen.has(core)) {
      problems.add(path, `core ${core} is listed twice`);
    } else {
      seen.add(core);
      if (typeof cores !== 'number' || core < cores) return;
      problems.add(path, `core ${core} is out of range (the scenario has ${plural(cores, 'core')})`);
    }
    ok = false;
  });
  return ok ? (list as number[]) : INVALID;
}

function readOnFault(problems: Problems, vm: ObjectReader): FaultHandling | Invalid {
  if (!vm.has('onFault')) return { ...DEFAULTS.onFault };
  const onFault = ObjectReader.open(problems, vm.get('onFault'), vm.pathOf('onFault'), ON_FAULT_FIELDS);
  if (onFault === INVALID) return INVALID;
  const policy = onFault.oneOf('policy', FAULT_POLICIES);
  const limit = onFault.integer('limit', LIMITS.faultLimit);
  const resetsPerSecond = onFault.integer('resetsPerSecond', LIMITS.resetsPerSecond);
  if (policy === INVALID || limit === INVALID || resetsPerSecond === INVALID) return INVALID;
  return {
    policy: policy ?? DEFAULTS.onFault.policy,
    limit: limit ?? DEFAULTS.onFault.limit,
    resetsPerSecond: resetsPerSecond ?? DEFAULTS.onFault.resetsPerSecond,
  };
}

/** Reads and parses a guest ELF once per path; each VM that names a bad one gets its own line. */
function loadGuest(
  vm: ObjectReader,
  guest: string,
  guestPath: string,
  source: ScenarioSource,
  images: Map<string, ElfImage | string>,
): ElfImage | Invalid {
  let loaded = images.get(guestPath);
  if (loaded === undefined) {
    try {
      const bytes = source.readFile(guestPath);
      try {
        loaded = parseElf(bytes);
      } catch (error) {
        loaded = error instanceof ElfError ? error.message : `cannot parse ${describePath(guest)}: ${firstLine(error)}`;
      }
    } catch (error) {
      loaded = `cannot read ${describePath(guest)}: ${firstLine(error)}`;
    }
    images.set(guestPath, loaded);
  }
  return typeof loaded === 'string' ? vm.problem('guest', loaded) : loaded;
}

/** A kernel VM's files, read and laid out as a kernel boot (kernel-boot.ts); each mistake is one line. */
function loadKernel(
  vm: ObjectReader,
  source: ScenarioSource,
  files: { kernel: string; initrd: string | undefined; bootargs: string | undefined },
  vcpus: number,
  ramBytes: number,
): [ElfImage, KernelBootConfig] | Invalid {
  const read = (key: 'kernel' | 'initrd', file: string): Uint8Array | Invalid => {
    try {
      return source.readFile(source.resolve(source.baseDir, file));
    } catch (error) {
      return vm.problem(key, `cannot read ${describePath(file)}: ${firstLine(error)}`);
    }
  };
  const kernel = read('kernel', files.kernel);
  const initrd = files.initrd === undefined ? undefined : read('initrd', files.initrd);
  if (kernel === INVALID || initrd === INVALID) return INVALID;
  try {
    const boot = planKernelBoot({ kernel, ...(initrd !== undefined ? { initrd } : {}), ...(files.bootargs !== undefined ? { bootargs: files.bootargs } : {}) }, vcpus, ramBytes);
    return [boot.image, { ...(files.bootargs !== undefined ? { bootargs: files.bootargs } : {}), ...(boot.initrd !== undefined ? { initrd: boot.initrd } : {}) }];
  } catch (error) {
    if (!(error instanceof KernelBootError)) throw error;
    return vm.problem(/initrd/.test(error.message) ? 'initrd' : 'kernel', error.message);
  }
}

/** Every byte the image loads, and its entry point, must be inside the VM's RAM. */
function checkImageFits(vm: ObjectReader, image: ElfImage, ramBytes: number): void {
  for (const problem of imageFitProblems(image, ramBytes)) vm.problem('guest', problem);
}

function checkUniqueNames(problems: Problems, vms: readonly (VmDraft | Invalid)[]): void {
  const first = new Map<string, number>();
  vms.forEach((vm, i) => {
    if (vm === INVALID || vm.name === INVALID) return;
    const earlier = first.get(vm.name);
    if (earlier === undefined) first.set(vm.name, i);
    else problems.add(`vms[${i}].name`, `${JSON.stringify(vm.name)} is already the name of vms[${earlier}]`);
  });
}

function completeVm(draft: VmDraft, physicalBase: number, placement: number[], cores: number, updateSlot: number | undefined): VmConfig {
  const budget = valid(draft.budget);
  const period = valid(draft.period);
  const watchdog = valid(draft.watchdog);
  const explicitAffinity = valid(draft.affinity);
  return {
    name: valid(draft.name),
    guestPath: valid(draft.guestPath),
    image: valid(draft.image),
    ...(draft.kernel !== undefined ? { kernel: draft.kernel } : {}),
    ramBytes: valid(draft.ramBytes),
    physicalBase,
    vcpus: valid(draft.vcpus),
    priority: valid(draft.priority),
    ...(budget !== undefined && period !== undefined ? { budget, period } : {}),
    // A partitioned vCPU can only ever run on its own core.
    affinity: explicitAffinity ?? (placement.length > 0 ? [...placement] : range(cores)),
    placement,
    onFault: valid(draft.onFault),
    ...(watchdog !== undefined ? { watchdog } : {}),
    autostart: valid(draft.autostart),
    ...(updateSlot !== undefined ? { updateSlot } : {}),
  };
}

// ---- helpers --------------------------------------------------------------------------------

function notMoreThanSwitchCost(switchCost: number): string {
  return `must be more than scheduler.switchCost (${switchCost})`;
}

function range(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i);
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n', 1)[0] ?? '';
}
