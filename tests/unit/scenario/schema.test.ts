// The published JSON Schema and the validator describe the same format: fields, enums, bounds, defaults.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHANNEL_ACCESS, CHANNEL_FIELDS, ENDPOINT_FIELDS } from '../../../engine/scenario/channels.js';
import { UART_IRQ } from '../../../engine/scenario/guest-map.js';
import { NAME_PATTERN, SCENARIO_DEFAULTS, SCENARIO_LIMITS } from '../../../engine/scenario/scenario.js';
import {
  FAULT_POLICIES,
  MAX_WINDOWS,
  ON_FAULT_FIELDS,
  SCENARIO_FIELDS,
  SCHEDULER_FIELDS,
  SCHEDULER_POLICIES,
  TIMING_FIELDS,
  TIMING_MODES,
  validateScenario,
  VM_FIELDS,
  WINDOW_FIELDS,
} from '../../../engine/scenario/validate.js';
import { baseScenario, SOURCE } from './fixtures.js';

interface SchemaNode {
  [key: string]: unknown;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  required?: string[];
  enum?: string[];
}

const schema = JSON.parse(readFileSync(new URL('../../../scenarios/scenario.schema.json', import.meta.url), 'utf8')) as SchemaNode & {
  $defs: Record<string, SchemaNode>;
};
const root = schema.properties!;
const vm = schema.$defs.vm.properties!;
const window = schema.$defs.window.properties!;
const channel = schema.$defs.channel.properties!;
const endpoint = schema.$defs.endpoint.properties!;

const keys = (node: SchemaNode | undefined): string[] => Object.keys(node?.properties ?? {}).sort();
const sorted = (list: readonly string[]): string[] => [...list].sort();

/** Every subschema that defines fields, with its JSON pointer (allOf conditionals only restrict them). */
function* walk(node: unknown, pointer = '#'): Generator<[string, SchemaNode]> {
  if (typeof node !== 'object' || node === null) return;
  if (Array.isArray(node)) {
    for (const [i, item] of node.entries()) yield* walk(item, `${pointer}/${i}`);
    return;
  }
  yield [pointer, node as SchemaNode];
  for (const [key, value] of Object.entries(node)) {
    if (!['enum', 'required', 'default', 'allOf'].includes(key)) yield* walk(value, `${pointer}/${key}`);
  }
}

describe('scenarios/scenario.schema.json', () => {
  it('is a draft 2020-12 JSON Schema', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.type).toBe('object');
  });

  it('lists exactly the fields the validator accepts, object by object', () => {
    expect(keys(schema)).toEqual(sorted(SCENARIO_FIELDS));
    expect(keys(root.timing)).toEqual(sorted(TIMING_FIELDS));
    expect(keys(root.scheduler)).toEqual(sorted(SCHEDULER_FIELDS));
    expect(keys(schema.$defs.window)).toEqual(sorted(WINDOW_FIELDS));
    expect(keys(schema.$defs.vm)).toEqual(sorted(VM_FIELDS));
    expect(keys(vm.onFault)).toEqual(sorted(ON_FAULT_FIELDS));
    expect(keys(schema.$defs.channel)).toEqual(sorted(CHANNEL_FIELDS));
    expect(keys(schema.$defs.endpoint)).toEqual(sorted(ENDPOINT_FIELDS));
    expect(root.vms.items?.$ref).toBe('#/$defs/vm');
    expect(root.channels.items?.$ref).toBe('#/$defs/channel');
    expect(channel.endpoints.items?.$ref).toBe('#/$defs/endpoint');
  });

  it('requires the fields the validator requires', () => {
    const missing = (json: unknown) =>
      validateScenario(json, SOURCE)
        .errors.filter((e) => e.endsWith(': required but missing'))
        .map((e) => e.slice(0, e.indexOf(':')));
    expect(sorted(schema.required ?? [])).toEqual(sorted(missing({})));
    const vmRequired = missing({ ...baseScenario(), vms: [{}] }).map((path) => path.replace('vms[0].', ''));
    expect(sorted(schema.$defs.vm.required ?? [])).toEqual(sorted(vmRequired));
    expect(root.scheduler.required).toEqual(['policy']);
    expect(sorted(schema.$defs.window.required ?? [])).toEqual(sorted(WINDOW_FIELDS));
    const channelRequired = missing({ ...baseScenario(), channels: [{}] }).map((path) => path.replace('channels[0].', ''));
    expect(sorted(schema.$defs.channel.required ?? [])).toEqual(sorted(channelRequired));
    const endpointRequired = missing({ ...baseScenario(), channels: [{ name: 'c', size: 4096, endpoints: [{}, {}] }] })
      .filter((path) => path.startsWith('channels[0].endpoints[0].'))
      .map((path) => path.replace('channels[0].endpoints[0].', ''));
    expect(sorted(schema.$defs.endpoint.required ?? [])).toEqual(sorted(endpointRequired));
  });

  it('has the same choices, bounds and defaults as the validator', () => {
    expect(root.timing.properties!.mode.enum).toEqual(TIMING_MODES);
    expect(root.scheduler.properties!.policy.enum).toEqual(SCHEDULER_POLICIES);
    expect(vm.onFault.properties!.policy.enum).toEqual(FAULT_POLICIES);
    expect(endpoint.access.enum).toEqual(CHANNEL_ACCESS);

    const bounded: [SchemaNode, { min: number; max: number }][] = [
      [root.cores, SCENARIO_LIMITS.cores],
      [root.memory, SCENARIO_LIMITS.memoryBytes],
      [root.timing.properties!.quantum, SCENARIO_LIMITS.quantum],
      [root.timing.properties!.frequency, SCENARIO_LIMITS.frequency],
      [root.scheduler.properties!.preemptionBound, SCENARIO_LIMITS.preemptionBound],
      [root.scheduler.properties!.switchCost, SCENARIO_LIMITS.switchCost],
      [root.scheduler.properties!.majorFrame, SCENARIO_LIMITS.majorFrame],
      [window.offset, SCENARIO_LIMITS.windowOffset],
      [window.duration, SCENARIO_LIMITS.windowDuration],
      [window.core, { min: 0, max: SCENARIO_LIMITS.cores.max - 1 }],
      [vm.ram, SCENARIO_LIMITS.ramBytes],
      [vm.physicalBase, SCENARIO_LIMITS.physicalBase],
      [vm.vcpus, SCENARIO_LIMITS.vcpus],
      [vm.priority, SCENARIO_LIMITS.priority],
      [vm.budget, SCENARIO_LIMITS.budget],
      [vm.period, SCENARIO_LIMITS.period],
      [vm.onFault.properties!.limit, SCENARIO_LIMITS.faultLimit],
      [vm.onFault.properties!.resetsPerSecond, SCENARIO_LIMITS.resetsPerSecond],
      [vm.watchdog, SCENARIO_LIMITS.watchdog],
      [vm.affinity.items!, { min: 0, max: SCENARIO_LIMITS.cores.max - 1 }],
      [channel.size, SCENARIO_LIMITS.channelSize],
      [channel.physicalBase, SCENARIO_LIMITS.physicalBase],
      [endpoint.address, SCENARIO_LIMITS.channelAddress],
      [endpoint.irq, SCENARIO_LIMITS.channelIrq],
    ];
    for (const [node, bounds] of bounded) expect({ min: node.minimum, max: node.maximum }).toEqual(bounds);
    expect([root.name.minLength, root.name.maxLength]).toEqual([SCENARIO_LIMITS.nameLength.min, SCENARIO_LIMITS.nameLength.max]);
    expect([root.vms.minItems, root.vms.maxItems]).toEqual([SCENARIO_LIMITS.vms.min, SCENARIO_LIMITS.vms.max]);
    expect(root.scheduler.properties!.windows.maxItems).toBe(MAX_WINDOWS);
    expect([root.channels.minItems, root.channels.maxItems]).toEqual([SCENARIO_LIMITS.channels.min, SCENARIO_LIMITS.channels.max]);
    expect([channel.endpoints.minItems, channel.endpoints.maxItems]).toEqual([2, 2]);
    expect(endpoint.irq.not).toEqual({ const: UART_IRQ });
    expect(vm.name.pattern).toBe(NAME_PATTERN.source);
    expect(channel.name.pattern).toBe(NAME_PATTERN.source);

    expect(root.timing.properties!.mode.default).toBe(SCENARIO_DEFAULTS.timing.mode);
    expect(root.timing.properties!.quantum.default).toBe(SCENARIO_DEFAULTS.timing.quantum);
    expect(root.timing.properties!.frequency.default).toBe(SCENARIO_DEFAULTS.timing.frequency);
    expect(root.scheduler.properties!.preemptionBound.default).toBe(SCENARIO_DEFAULTS.preemptionBound);
    expect(root.scheduler.properties!.switchCost.default).toBe(SCENARIO_DEFAULTS.switchCost);
    expect(vm.vcpus.default).toBe(SCENARIO_DEFAULTS.vcpus);
    expect(vm.priority.default).toBe(SCENARIO_DEFAULTS.priority);
    expect(vm.onFault.properties!.policy.default).toBe(SCENARIO_DEFAULTS.onFault.policy);
    expect(vm.onFault.properties!.limit.default).toBe(SCENARIO_DEFAULTS.onFault.limit);
    expect(vm.onFault.properties!.resetsPerSecond.default).toBe(SCENARIO_DEFAULTS.onFault.resetsPerSecond);
    expect(vm.autostart.default).toBe(SCENARIO_DEFAULTS.autostart);
    expect(endpoint.access.default).toBe(SCENARIO_DEFAULTS.channelAccess);
  });

  it('states the minimum of every cycle count that paces the hypervisor, in cycles and at 100 MHz', () => {
    const paced: [string, SchemaNode, number][] = [
      ['quantum', root.timing.properties!.quantum, SCENARIO_LIMITS.quantum.min],
      ['preemptionBound', root.scheduler.properties!.preemptionBound, SCENARIO_LIMITS.preemptionBound.min],
      ['majorFrame', root.scheduler.properties!.majorFrame, SCENARIO_LIMITS.majorFrame.min],
      ['window duration', window.duration, SCENARIO_LIMITS.windowDuration.min],
      ['budget', vm.budget, SCENARIO_LIMITS.budget.min],
      ['period', vm.period, SCENARIO_LIMITS.period.min],
      ['watchdog', vm.watchdog, SCENARIO_LIMITS.watchdog.min],
    ];
    for (const [name, node, min] of paced) {
      expect(String(node.description).toLowerCase(), name).toContain(`at least ${min} cycles (${min / 100} µs at 100 mhz)`);
    }
    // What the schema cannot check, it says: a budget and a window must outlast a switch.
    expect(vm.budget.description).toContain("more than the scheduler's switchCost");
    expect(window.duration.description).toContain("more than the scheduler's switchCost");
  });

  it('accepts the same address strings as the validator', () => {
    const strings = (schema.$defs.address.anyOf as SchemaNode[]).find((node) => node.type === 'string')!;
    const pattern = new RegExp(strings.pattern as string);
    for (const text of ['0x90000000', '0X9000A000', ' 0x1000 ', '0x0', '2G', '4096', '0x', '-0x1000', '0x9000_0000']) {
      const json = { ...baseScenario(), channels: [{ name: 'c', size: 4096, endpoints: [{ vm: 'alpha', address: text, irq: 1 }, { vm: 'beta', address: 0x9000_0000, irq: 1 }] }] };
      const rejected = validateScenario(json, SOURCE).errors.some((e) => e.includes('must be an address such as'));
      expect(pattern.test(text), text).toBe(!rejected);
    }
  });

  it('describes every field and allows no others anywhere', () => {
    for (const [pointer, node] of walk(schema)) {
      if (node.properties === undefined) continue;
      expect(node.additionalProperties, pointer).toBe(false);
      for (const [name, field] of Object.entries(node.properties)) {
        expect(typeof field.description, `${pointer}/properties/${name}`).toBe('string');
      }
    }
  });
});
