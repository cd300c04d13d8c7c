import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts', 'tests/app/**/*.test.ts', 'tests/tools/**/*.test.ts'],
    // Wide margins: every run is bounded by instructions or virtual time, so the timeout only catches a hang
    // and must hold on a machine four times slower than the one the suite was sized on.
    testTimeout: 240_000,
    hookTimeout: 120_000,
  },
});
