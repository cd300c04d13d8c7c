// scenarios/scaling-{1,2,4,8}.json: one software stack on 1 and 2 physical cores by configuration
// alone (npm run test:long runs all four, 8 cores sharing threads included).

import { describe, it } from 'vitest';
import { expectSameStack } from './scaling-check.js';

describe('scaling-N.json', () => {
  it('gives every VM the same console on 1 and 2 cores, and every VM exits 0', async () => {
    await expectSameStack([1, 2]);
  }, 180_000);
});
