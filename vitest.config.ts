import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts', 'tests/app/**/*.test.ts', 'tests/tools/**/*.test.ts'],
    // Wide margins: every run is bounded by instructions or virtual time, so the timeout only catches a hang
    // and must hold on a machine four times slower than the one the suite was sized on.
    testTimeout: 240_000,
    hookTimeout: 120_000,
    // Two files at a time even on a 2-CPU machine: many tests spend their time waiting on their own
    // worker threads, child processes or sockets, and none can fail from the contention (virtual time).
    maxWorkers: 2,
  },
});
