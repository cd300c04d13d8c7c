// The validator's cases as tests: a describe block a topic, a test a case, its lines asserted exactly.

import { describe, expect, it } from 'vitest';
import { validateScenario } from '../../../engine/scenario/validate.js';
import type { ValidatorCase } from './case-topic.js';
import { SOURCE } from './fixtures.js';

/** Each case gives exactly its lines, and a scenario exactly when it gives none. */
export function describeCases(topics: Record<string, ValidatorCase[]>): void {
  for (const [topic, cases] of Object.entries(topics)) {
    describe(topic, () => {
      for (const { name, json, errors } of cases) {
        it(name, () => {
          const result = validateScenario(json, SOURCE);
          expect(result.scenario === undefined).toBe(result.errors.length > 0);
          expect(result.errors).toEqual(errors);
        });
      }
    });
  }
}
