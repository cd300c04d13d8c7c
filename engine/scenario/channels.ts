// Inter-VM channels: a shared window of physical memory mapped into two VMs, with a doorbell each way.

import { describeValue, hexRange, INVALID, known, ObjectReader, present, valid, type Invalid, type Problems } from './fields.js';
import { ADDRESS_SPACE_END, GUEST_DEVICES, guestRam, UART_IRQ, type GuestRange } from './guest-map.js';
import type { ChannelWindowRequest } from './placement.js';
import {
  NAME_PATTERN,
  NAME_RULE,
  SCENARIO_DEFAULTS as DEFAULTS,
  SCENARIO_LIMITS as LIMITS,
  type ChannelAccess,
  type ChannelConfig,
  type ChannelEndpoint,
} from './scenario.js';

/** The fields each object of a channel accepts; scenarios/scenario.schema.json lists the same. */
export const CHANNEL_FIELDS = ['name', 'size', 'physicalBase', 'endpoints', 'ring'] as const;
export const ENDPOINT_FIELDS = ['vm', 'address', 'access', 'irq'] as const;
export const CHANNEL_ACCESS: readonly ChannelAccess[] = ['rw', 'ro'];

/** What the channel rules need to know of a VM; undefined for a VM whose name was invalid. */
export interface ChannelVm {
  name: string;
  /** Undefined when the VM's ram was invalid (the RAM overlap rule is then skipped). */
  ramBytes: number | undefined;
}

interface EndpointDraft {
  vmIndex: number | Invalid;
  address: number | Invalid;
  writable: boolean | Invalid;
  irq: number | Invalid;
}

/** A channel as read; a field that was wrong is INVALID (and reported). */
export interface ChannelDraft {
  name: string | Invalid;
  size: number | Invalid;
  physicalBase: number | undefined | Invalid;
  /** Exactly two when valid. */
  endpoints: EndpointDraft[] | Invalid;
  /** The endpoint that produces the window's Tessera ring; undefined: no ring named. */
  ring: 0 | 1 | undefined | Invalid;
}

/**
 * Reads `channels` (absent: none) and checks every channel rule but physical placement: names
 * unique, endpoints in two different existing VMs, each window clear of its VM's RAM, devices and
 * other windows, doorbell interrupts unique within a VM. `vms` is undefined when the VM list itself
 * was invalid: the rules that need VMs are then skipped.
 */
export function readChannels(problems: Problems, root: ObjectReader, vms: readonly (ChannelVm | undefined)[] | undefined): ChannelDraft[] {
  const items = root.array('channels', LIMITS.channels, 'channels');
  if (items === undefined || items === INVALID) return [];
  const drafts = items.map((item, i) => readChannel(problems, item, i, vms));
  checkNames(problems, drafts);
  checkVmMaps(problems, drafts, vms);
  return drafts;
}

/** What placeMemory needs of each channel (undefined: its size or physicalBase was invalid). */
export function windowRequests(drafts: readonly ChannelDraft[]): (ChannelWindowRequest | undefined)[] {
  return drafts.map((draft) => {
    if (draft.size === INVALID || draft.physicalBase === INVALID) return undefined;
    return draft.physicalBase === undefined ? { size: draft.size } : { size: draft.size, physicalBase: draft.physicalBase };
  });
}

/** The normalized channel, once no problem was reported and its window has a physical base. */
export function completeChannel(draft: ChannelDraft, physicalBase: number): ChannelConfig {
  const endpoints = valid(draft.endpoints).map(
    (e): ChannelEndpoint => ({ vmIndex: valid(e.vmIndex), address: valid(e.address), writable: valid(e.writable), irq: valid(e.irq) }),
  );
  if (endpoints.length !== 2) throw new Error('scenario validation: a channel without two endpoints was not reported');
  const ring = valid(draft.ring);
  return { name: valid(draft.name), size: valid(draft.size), physicalBase, endpoints: [endpoints[0], endpoints[1]], ...(ring === undefined ? {} : { ringProducer: ring }) };
}

// ---- one channel ------------------------------------------------------------------------------

function readChannel(problems: Problems, item: unknown, index: number, vms: readonly (ChannelVm | undefined)[] | undefined): ChannelDraft {
  const channel = ObjectReader.open(problems, item, `channels[${index}]`, CHANNEL_FIELDS);
  if (channel === INVALID) return { name: INVALID, size: INVALID, physicalBase: INVALID, endpoints: INVALID, ring: INVALID };
  const name = channel.matching('name', NAME_PATTERN, NAME_RULE, true);
  const size = channel.size('size', LIMITS.channelSize, true);
  const physicalBase = channel.size('physicalBase', LIMITS.physicalBase);

  const ringVm = channel.string('ring', { min: 1, max: Infinity });
  const items = channel.array('endpoints', { min: 2, max: 2 }, 'endpoints', true);
  if (items === INVALID) return { name, size, physicalBase, endpoints: INVALID, ring: ringVm === undefined ? undefined : INVALID };
  const endpoints = items.map((endpoint, k) => readEndpoint(problems, endpoint, `${channel.pathOf('endpoints')}[${k}]`, vms));
  const [first, second] = endpoints;
  if (first.vmIndex !== INVALID && first.vmIndex === second.vmIndex) {
    // One line; the second endpoint's VM is then unknown, so its window and irq raise nothing more.
    const vmName = present(vms?.[first.vmIndex]).name;
    problems.add(`channels[${index}].endpoints[1].vm`, `${JSON.stringify(vmName)} is already endpoints[0]: a channel joins two different VMs`);
    second.vmIndex = INVALID;
  }
  return { name, size, physicalBase, endpoints, ring: ringProducer(channel, ringVm, endpoints, vms) };
}

/** `ring` names the VM that produces the window's ring: it must be one of the two endpoints. */
function ringProducer(channel: ObjectReader, ringVm: string | undefined | Invalid, endpoints: EndpointDraft[], vms: readonly (ChannelVm | undefined)[] | undefined): 0 | 1 | undefined | Invalid {
  if (ringVm === undefined || ringVm === INVALID) return ringVm;
  const names = endpoints.map((e) => (e.vmIndex === INVALID ? undefined : vms?.[e.vmIndex]?.name));
  const index = names.indexOf(ringVm);
  if (index === 0 || index === 1) return index;
  // An endpoint whose VM was not recognised has its own error already.
  if (names.some((n) => n === undefined)) return INVALID;
  return channel.problem('ring', `${describeValue(ringVm)} is not an endpoint of this channel (${names.map((n) => JSON.stringify(n)).join(' or ')})`);
}

function readEndpoint(problems: Problems, item: unknown, path: string, vms: readonly (ChannelVm | undefined)[] | undefined): EndpointDraft {
  const endpoint = ObjectReader.open(problems, item, path, ENDPOINT_FIELDS);
  if (endpoint === INVALID) return { vmIndex: INVALID, address: INVALID, writable: INVALID, irq: INVALID };

  const vm = endpoint.string('vm', { min: 1, max: Infinity }, true);
  let vmIndex: number | Invalid = INVALID;
  if (vm !== INVALID && vms !== undefined) {
    const found = vms.findIndex((candidate) => candidate?.name === vm);
    // A VM whose name was invalid might be the one meant: say nothing more than its own error.
    if (found >= 0) vmIndex = found;
    else if (vms.every((candidate) => candidate !== undefined)) endpoint.problem('vm', `no VM is named ${describeValue(vm)}`);
  }

  const address = endpoint.address('address', LIMITS.channelAddress, true);
  const access = endpoint.oneOf('access', CHANNEL_ACCESS) ?? DEFAULTS.channelAccess;
  let irq = endpoint.integer('irq', LIMITS.channelIrq, true);
  if (irq === UART_IRQ) irq = endpoint.problem('irq', `${UART_IRQ} is the UART's interrupt in every VM`);
  return { vmIndex, address, writable: access === INVALID ? INVALID : access === 'rw', irq };
}

// ---- rules across channels --------------------------------------------------------------------

function checkNames(problems: Problems, drafts: readonly ChannelDraft[]): void {
  const first = new Map<string, number>();
  drafts.forEach((draft, i) => {
    if (draft.name === INVALID) return;
    const earlier = first.get(draft.name);
    if (earlier === undefined) first.set(draft.name, i);
    else problems.add(`channels[${i}].name`, `${JSON.stringify(draft.name)} is already the name of channels[${earlier}]`);
  });
}

interface PlacedWindow {
  path: string;
  start: number;
  end: number;
}

/**
 * Each endpoint's window in its VM's guest-physical map: inside the 32-bit space, clear of the VM's
 * RAM, of every device, and of the VM's earlier windows; and each VM's doorbell interrupts unique.
 * A conflict is reported on the later endpoint, naming the earlier one.
 */
function checkVmMaps(problems: Problems, drafts: readonly ChannelDraft[], vms: readonly (ChannelVm | undefined)[] | undefined): void {
  const windowsOf = new Map<number, PlacedWindow[]>();
  const irqsOf = new Map<number, Map<number, string>>();
  drafts.forEach((draft, i) => {
    if (draft.endpoints === INVALID) return;
    draft.endpoints.forEach((endpoint, k) => {
      const path = `channels[${i}].endpoints[${k}]`;
      const vmIndex = known(endpoint.vmIndex);

      if (vmIndex !== undefined && endpoint.irq !== INVALID) {
        const irqs = irqsOf.get(vmIndex) ?? new Map<number, string>();
        irqsOf.set(vmIndex, irqs);
        const holder = irqs.get(endpoint.irq);
        if (holder !== undefined) problems.add(`${path}.irq`, `${endpoint.irq} is already taken in vms[${vmIndex}] by ${holder}`);
        else irqs.set(endpoint.irq, path);
      }

      if (endpoint.address === INVALID || draft.size === INVALID) return;
      const start = endpoint.address;
      const end = start + draft.size;
      const window = `window ${hexRange(start, end)}`;
      const where = `${path}.address`;
      if (end > ADDRESS_SPACE_END) problems.add(where, `${window} ends past the 32-bit address space`);

      const ramBytes = vmIndex === undefined ? undefined : vms?.[vmIndex]?.ramBytes;
      const fixed: GuestRange[] = ramBytes === undefined ? [...GUEST_DEVICES] : [...GUEST_DEVICES, guestRam(ramBytes)];
      for (const range of fixed) {
        if (start < range.base + range.size && range.base < end) {
          problems.add(where, `${window} overlaps the ${range.name} (${hexRange(range.base, range.base + range.size)})`);
        }
      }

      if (vmIndex === undefined) return;
      const placed = windowsOf.get(vmIndex) ?? [];
      windowsOf.set(vmIndex, placed);
      for (const other of placed) {
        if (start < other.end && other.start < end) problems.add(where, `${window} overlaps ${other.path} (${hexRange(other.start, other.end)})`);
      }
      placed.push({ path, start, end });
    });
  });
}

