// scenarios/scaling-{1,2,4,8}.json, every core count (npm run test:long; npm test runs 1 and 2).

import { describe, it } from 'vitest';
import { expectSameStack } from '../integration/use-cases/scaling-check.js';

describe('scaling-N.json on every core count', () => {
  it('gives every VM the same console on 1, 2, 4 and 8 cores, and every VM exits 0', async () => {
    await expectSameStack([1, 2, 4, 8]);
  }, 300_000);
});
