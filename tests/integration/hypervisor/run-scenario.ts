// Builds scenarios inline for tests and runs them on real core workers, collecting consoles and traces.

import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { scenarioFromObject } from '../../../engine/host/scenario-file.js';
import { System, type SystemOptions, type SystemSnapshot, type TraceEntry, type SystemEvent } from '../../../engine/host/system.js';
import type { Scenario } from '../../../engine/scenario/scenario.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Validates a scenario given as an object; guest paths are relative to the repository root. */
export function scenario(json: object): Scenario {
  const result = scenarioFromObject(json, ROOT);
  expect(result.errors).toEqual([]);
  return result.scenario!;
}

export interface ScenarioRun {
  snapshot: SystemSnapshot;
  consoles: Record<string, string>;
  events: readonly SystemEvent[];
  trace: readonly TraceEntry[];
  failed: string[];
  /** Every VM's partition at the end, with the capturePartitions option. */
  partitions?: Record<string, Uint8Array>;
}

/** Runs to the end (or the duration); `during` may drive the system while it runs. */
/** What `during` may ask of the run: whether it has ended (its duration reached, or stopped). */
export interface RunProgress {
  ended(): boolean;
}

export async function runScenario(s: Scenario, options: SystemOptions & { capturePartitions?: boolean } = {}, during?: (system: System, run: RunProgress) => Promise<void>): Promise<ScenarioRun> {
  const consoles: Record<string, string> = {};
  const system = await System.create(s, {
    recordTrace: true,
    ...options,
    onConsole: (vm, bytes) => {
      consoles[vm] = (consoles[vm] ?? '') + Buffer.from(bytes).toString('latin1');
      options.onConsole?.(vm, bytes);
    },
  });
  try {
    let ended = false;
    const running = system.run().finally(() => { ended = true; });
    if (during) await during(system, { ended: () => ended });
    const snapshot = await running;
    const partitions = options.capturePartitions ? Object.fromEntries(system.vmNames().map((vm) => [vm, system.readPartition(vm)])) : undefined;
    return { snapshot, consoles, events: system.eventLog(), trace: system.trace(), failed: system.failed(), ...(partitions ? { partitions } : {}) };
  } finally {
    await system.dispose();
  }
}

export const guest = (name: string) => `guests/bin/${name}.elf`;
