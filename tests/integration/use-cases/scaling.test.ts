// scenarios/scaling-{1,2,4,8}.json: one software stack on 1 and 8 physical cores by configuration
// alone (npm run test:long adds 2 and 4).

import { describe, it } from 'vitest';
import { expectSameStack } from './scaling-check.js';

describe('scaling-N.json', () => {
  it('gives every VM the same console on 1 and 8 cores, and every VM exits 0', async () => {
    await expectSameStack([1, 8]);
  }, 180_000);
});
