// The published JSON Schema: strict under ajv, followed by the repository's scenarios, and its
// defaults and descriptions true to the code. That it accepts and rejects what the validator does
// is schema-parity.test.ts.

import { describe, expect, it } from 'vitest';
import { validateScenario, type ScenarioResult } from '../../../engine/scenario/validate.js';
import { SCENARIO_DEFAULTS, SCENARIO_LIMITS, type Scenario } from '../../../engine/scenario/scenario.js';
import { INVALID_REPO_SCENARIO, missingLinuxImage, REPO_SCENARIOS } from './corpus.js';
import { SOURCE, withChannel } from './fixtures.js';
import { compileSchema, describeErrors, schema, schemaErrors } from './schema-check.js';

interface SchemaNode {
  [key: string]: unknown;
  description?: string;
  properties?: Record<string, SchemaNode>;
}

/** Every subschema with its JSON pointer. */
function* walk(node: unknown, pointer = '#'): Generator<[string, SchemaNode]> {
  if (typeof node !== 'object' || node === null) return;
  if (!Array.isArray(node)) yield [pointer, node as SchemaNode];
  for (const [key, value] of Object.entries(node)) {
    if (!['enum', 'required', 'default', 'const'].includes(key)) yield* walk(value, `${pointer}/${key}`);
  }
}

const nodes = new Map(walk(schema));
const node = (pointer: string): SchemaNode => nodes.get(pointer) ?? expect.unreachable(`no ${pointer} in the schema`);
const vm = '#/$defs/vm/properties';

describe('scenarios/scenario.schema.json', () => {
  it('is a draft 2020-12 JSON Schema that ajv compiles in strict mode', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(() => compileSchema()).not.toThrow();
  });

  for (const { file, json, source } of REPO_SCENARIOS) {
    it(`${file}: ${file === INVALID_REPO_SCENARIO ? 'rejected' : 'accepted'} by the schema as by the validator`, () => {
      const validator = validateScenario(json, source).errors.filter((line) => !missingLinuxImage(line));
      expect(validator.length > 0).toBe(file === INVALID_REPO_SCENARIO);
      expect(describeErrors(schemaErrors(json)).length > 0, JSON.stringify(validator)).toBe(file === INVALID_REPO_SCENARIO);
    });
  }

  it('gives every default the validator fills in for an absent field, and no other', () => {
    const { scenario } = validateScenario(withChannel(), SOURCE) as ScenarioResult & { scenario: Scenario };
    const [first] = scenario.vms;
    const scheduler = scenario.scheduler as Scenario['scheduler'] & { preemptionBound: number };
    const filledIn: Record<string, unknown> = {
      '#/properties/timing/properties/mode': scenario.timing.mode,
      '#/properties/timing/properties/quantum': scenario.timing.quantum,
      '#/properties/timing/properties/frequency': scenario.timing.frequency,
      '#/properties/scheduler/properties/preemptionBound': scheduler.preemptionBound,
      '#/properties/scheduler/properties/switchCost': scheduler.switchCost,
      [`${vm}/vcpus`]: first.vcpus,
      [`${vm}/priority`]: first.priority,
      [`${vm}/onFault/properties/policy`]: first.onFault.policy,
      [`${vm}/onFault/properties/limit`]: first.onFault.limit,
      [`${vm}/onFault/properties/resetsPerSecond`]: first.onFault.resetsPerSecond,
      [`${vm}/autostart`]: first.autostart,
      [`${vm}/updatable`]: first.updateSlot !== undefined,
      '#/$defs/endpoint/properties/access': scenario.channels[0].endpoints[0].writable ? 'rw' : 'ro',
    };
    const defaults = Object.fromEntries([...nodes].filter(([, n]) => 'default' in n).map(([pointer, n]) => [pointer, n.default]));
    expect(defaults).toEqual(filledIn);
  });

  it('states the defaults it gives in prose too, as the code has them', () => {
    const { timing, onFault } = SCENARIO_DEFAULTS;
    const mhz = `${timing.frequency / 1e6} MHz`;
    const stated: [string, string][] = [
      ['#', `(timing.frequency, ${mhz} unless set)`],
      ['#/properties/timing', `Optional: mode ${timing.mode}, quantum ${timing.quantum} cycles, frequency ${mhz}.`],
      ['#/properties/timing/properties/frequency', `at the default ${mhz}`],
      [`${vm}/onFault`, `Default: ${onFault.policy}.`],
    ];
    for (const [pointer, text] of stated) expect(node(pointer).description, pointer).toContain(text);
  });

  it('states the minimum of every cycle count that paces the hypervisor, in cycles and at 100 MHz', () => {
    const paced: [string, number][] = [
      ['#/properties/timing/properties/quantum', SCENARIO_LIMITS.quantum.min],
      ['#/properties/scheduler/properties/preemptionBound', SCENARIO_LIMITS.preemptionBound.min],
      ['#/properties/scheduler/properties/majorFrame', SCENARIO_LIMITS.majorFrame.min],
      ['#/$defs/window/properties/duration', SCENARIO_LIMITS.windowDuration.min],
      [`${vm}/budget`, SCENARIO_LIMITS.budget.min],
      [`${vm}/period`, SCENARIO_LIMITS.period.min],
      [`${vm}/watchdog`, SCENARIO_LIMITS.watchdog.min],
    ];
    for (const [pointer, min] of paced) {
      expect(String(node(pointer).description).toLowerCase(), pointer).toContain(`at least ${min} cycles (${min / 100} µs at 100 mhz)`);
    }
    // What the schema cannot check, it says: a budget and a window must outlast a switch.
    expect(node(`${vm}/budget`).description).toContain("more than the scheduler's switchCost");
    expect(node('#/$defs/window/properties/duration').description).toContain("more than the scheduler's switchCost");
  });

  it('describes every field', () => {
    for (const [pointer, n] of nodes) {
      // The policy conditionals (allOf) only restrict fields described where they are defined.
      // So do the guest-or-kernel rules (dependentSchemas).
      if (pointer.includes('/allOf/') || pointer.includes('/dependentSchemas/')) continue;
      for (const [name, field] of Object.entries(n.properties ?? {})) expect(typeof field.description, `${pointer}/properties/${name}`).toBe('string');
    }
  });
});
