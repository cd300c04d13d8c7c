// Firmware over the air: boot a new version of a running VM in its other (A/B) slot while the old
// one keeps serving, hand the channels over when the new one reports ready, then stop the old one.
// If the new version faults, exits or is not ready in time, it is stopped and the old one stays.

import { parseElf, ElfError, type ElfImage } from '../loader/elf.js';
import { KernelBootError, nextKernelImage } from '../loader/kernel-boot.js';
import type { KernelBootConfig } from '../scenario/scenario.js';
import { imageFitProblems } from '../scenario/image-fit.js';
import type { SystemTables } from '../hypervisor/system-tables.js';
import { VM_READY, VM_IMAGE_VERSION } from '../hypervisor/system-tables.js';
import { VmState } from '../hypervisor/vm-state.js';

/** What an update reports once the new version serves. */
export interface UpdateReport {
  vm: string;
  /** The slot now serving: 'a' (the scenario's partition) or 'b' (the update slot). */
  slot: 'a' | 'b';
  /** Virtual time of the switch (cycles). */
  switchedAt: number;
  /** Virtual cycles from boot to ready of the new version. */
  bootCycles: number;
  /**
   * The longest time, over the VM's channel endpoints, during which no version was ready to
   * use it: from the switch until the new version first used it (waited for a message, sent or
   * called on it, or rang its doorbell) (cycles).
   */
  downtimeCycles: number;
  downtimeMicroseconds: number;
  /**
   * Channels the new version had not yet used when the update returned (the ready timeout
   * passed, or virtual time stood still): their downtime is still running, so it is a lower bound.
   */
  unservedChannels: string[];
}

export class UpdateError extends Error {
  override readonly name = 'UpdateError';

  /** `rolledBack`: the new version was booted and then undone; otherwise nothing was changed. */
  constructor(message: string, readonly rolledBack = false) {
    super(message);
  }
}

/** What the update needs of the system that runs it. */
export interface UpdateHost {
  readonly tables: SystemTables;
  /** Boots `slot` from `image` (its partition rebuilt) and marks it running. */
  bootSlot(slot: number, image: ElfImage, detail: string): void;
  /** Stops a slot and resolves once no core runs it. */
  stopSlot(slot: number): Promise<void>;
  /** Emits an update event after every event the cores recorded before it (the new version's ready). */
  emit(slot: number, kind: 'update-started' | 'update-switched' | 'update-rolled-back', detail: string): void;
  /** Resolves after a short while (the host's poll period); the update checks progress then. */
  tick(): Promise<void>;
  /** False once the system has stopped running. */
  running(): boolean;
}

export interface UpdateOptions {
  /** Virtual cycles the new version has to report ready (and then to take its channels over). */
  readyTimeout: number;
}

/**
 * An update of a kernel VM: a RISC-V Image (or an ELF kernel) booted as the VM's kernel was, with its
 * initrd and command line; throws UpdateError with one line.
 */
export function kernelUpdateImage(bytes: Uint8Array, source: string, previous: ElfImage, config: KernelBootConfig, harts: number, ramBytes: number): ElfImage {
  try {
    return nextKernelImage(previous, bytes, config, harts, ramBytes);
  } catch (error) {
    if (error instanceof KernelBootError) throw new UpdateError(`update image ${source}: ${error.message}`);
    throw error;
  }
}

/** Parses and checks an update image for a VM of `ramBytes`; throws UpdateError with one line. */
export function updateImage(bytes: Uint8Array, source: string, ramBytes: number): ElfImage {
  let image: ElfImage;
  try {
    image = parseElf(bytes);
  } catch (error) {
    throw new UpdateError(`update image ${source}: ${error instanceof ElfError ? error.message : String(error)}`);
  }
  const problems = imageFitProblems(image, ramBytes);
  if (problems.length > 0) throw new UpdateError(`update image ${source}: ${problems[0]}`);
  return image;
}

/**
 * Runs one update of the VM whose serving slot is `from`, into slot `to`. Resolves with the report
 * once `to` serves and `from` is stopped; rejects with an UpdateError after rolling back.
 */
export async function runUpdate(host: UpdateHost, from: number, to: number, image: ElfImage, source: string, options: UpdateOptions): Promise<UpdateReport> {
  const t = host.tables;
  const layout = t.layout;
  const name = layout.vms[from].name;
  const ends = layout.channels.flatMap((c, channel) => c.endpoints.flatMap((e, endpoint) => (e.vm === layout.vms[from].logical ? [{ channel, endpoint }] : [])));

  t.addVmInt(to, VM_IMAGE_VERSION, 1);
  host.emit(to, 'update-started', `booting ${source} in slot ${slotName(to, layout.vms[to].logical)}`);
  const bootedAt = t.now();
  host.bootSlot(to, image, source);

  const deadline = bootedAt + options.readyTimeout;
  const stall = stallWatch(t);
  let readyAt = -1;
  for (;;) {
    await host.tick();
    const state = t.vmState(to);
    if (!host.running()) return rollBack('the system stopped');
    if (stall()) return rollBack(`virtual time stood still: no vCPU runs or has anything due, so the new version cannot ${readyAt < 0 ? 'report ready' : 'take over'}`);
    if (state !== VmState.Running && state !== VmState.Paused) return rollBack(`the new version ${stateName(state)} before it took over`);
    if (t.now() > deadline) return rollBack(readyAt < 0 ? `the new version did not report ready within ${options.readyTimeout} cycles` : 'the old version never became idle for the handover');
    if (readyAt < 0 && t.vmInt(to, VM_READY) !== 0) readyAt = t.now();
    if (readyAt < 0) continue;
    // Every endpoint moves at a quiet moment of the old version (now, or when it next waits).
    let all = true;
    for (const { channel, endpoint } of ends) if (!t.ipc.handover(channel, endpoint, to, t.now())) all = false;
    if (all) break;
  }

  const switchedAt = t.now();
  await host.stopSlot(from);
  // The downtime ends when the new version first uses each endpoint (often before the switch);
  // one it does not serve within the timeout counts as down until then.
  const serveStall = stallWatch(t);
  while (host.running() && !serveStall() && ends.some(({ channel, endpoint }) => !t.ipc.serving(channel, endpoint)) && t.now() < switchedAt + options.readyTimeout) await host.tick();
  const downtimeCycles = Math.max(0, ...ends.map(({ channel, endpoint }) => t.ipc.downtime(channel, endpoint, t.now())));
  const unservedChannels = ends.filter(({ channel, endpoint }) => !t.ipc.serving(channel, endpoint)).map(({ channel }) => layout.channels[channel].name);
  const report: UpdateReport = {
    vm: name,
    slot: slotName(to, layout.vms[to].logical),
    switchedAt,
    bootCycles: Math.max(0, readyAt - bootedAt),
    downtimeCycles,
    downtimeMicroseconds: (downtimeCycles / layout.frequency) * 1e6,
    unservedChannels,
  };
  host.emit(to, 'update-switched', `now serving from slot ${report.slot}; ${describeDowntime(report)}`);
  return report;

  async function rollBack(reason: string): Promise<never> {
    for (const { channel, endpoint } of ends) {
      // A handover that happened already is undone: the old version takes its endpoint back.
      if (!t.ipc.abandonHandover(channel, endpoint, to)) t.ipc.handover(channel, endpoint, from, t.now(), true);
    }
    await host.stopSlot(to);
    host.emit(from, 'update-rolled-back', reason);
    throw new UpdateError(`update of '${name}' rolled back: ${reason}; the old version keeps running`, true);
  }
}

/** Host ticks without any core moving virtual time on before an update gives up waiting (about 1 s). */
const STALL_TICKS = 100;

/**
 * Virtual time stands still when no vCPU runs or has anything due: then no wait bounded by it ever
 * ends. Called once a tick, the result says true once time has not moved for STALL_TICKS ticks.
 */
function stallWatch(t: SystemTables): () => boolean {
  let last = t.now();
  let still = 0;
  return () => {
    const now = t.now();
    still = now === last ? still + 1 : 0;
    last = now;
    return still >= STALL_TICKS;
  };
}

/** The downtime as a sentence's end: exact, or a lower bound naming the channels still waiting. */
export function describeDowntime(report: UpdateReport): string {
  const figure = `${report.downtimeCycles} cycles (${report.downtimeMicroseconds.toFixed(2)} us)`;
  if (report.unservedChannels.length === 0) return `downtime ${figure}`;
  return `downtime ${figure} so far: the new version has not yet used channel ${report.unservedChannels.join(', ')}`;
}

/** 'a' for a VM's own partition, 'b' for its update slot. */
export function slotName(slot: number, logical: number): 'a' | 'b' {
  return slot === logical ? 'a' : 'b';
}

function stateName(state: VmState): string {
  switch (state) {
    case VmState.Halted: return 'faulted';
    case VmState.Exited: return 'exited';
    default: return 'stopped';
  }
}
