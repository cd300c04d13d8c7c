import { defineConfig } from 'vitest/config';

// The long suite: runs too big for every `npm test` (ten million messages, every core count, the
// guests rebuilt from source, Linux updated, rebooted, wiped), run by CI after the main suite with
// `npm run test:long`.
export default defineConfig({
  test: {
    include: ['tests/long/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 120_000,
    maxWorkers: 2, // as in the main suite: the runs are bounded by virtual time, so contention cannot fail them
  },
});
