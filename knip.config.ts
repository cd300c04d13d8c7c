// knip (npm run lint:unused): unused files, exports and dependencies. Its plugins find the entries of
// vitest, Playwright, electron-vite (under our config's name) and package.json's bin and scripts;
// these are the rest.

import type { KnipConfig } from 'knip';

const config: KnipConfig = {
  entry: [
    // Worker threads, started from URLs that engine/host builds at run time.
    'engine/host/hv-core-worker.ts',
    'engine/host/ts-worker-bootstrap.mjs',
    // npm run monitor:web starts dist/app/web/main.js, built from it.
    'app/web/main.ts',
    // npm run bench:* run dist/bench/*.js, built from them.
    'bench/*.ts',
    // npm run fuzz and npm run soak, and the fuzzer's worker (no matches until fuzz/ lands).
    'fuzz/main.ts',
    'fuzz/soak/main.ts',
    'fuzz/target-worker.ts',
  ],
  project: ['**/*.{ts,mts,js,mjs}', '!dist/**', '!out/**', '!guests/**'],
  'electron-vite': { config: ['electron.config.ts'] },
  // An export that its own module uses is part of that module's interface (a device's ABI numbers,
  // the members of an exported union); an export that nothing uses at all is dead code.
  ignoreExportsUsedInFile: true,
  // Debian's packages, which .ci/run installs and the tests and benchmarks use where they are found.
  ignoreBinaries: ['make', 'dtc', 'riscv64-unknown-elf-gcc', 'riscv64-unknown-elf-objcopy', 'qemu-system-riscv32'],
  ignoreIssues: {
    // The tests' assembler names every register and pseudo-instruction, whether a test uses it yet or not.
    'tests/unit/cores/rv-asm.ts': ['exports'],
  },
};

export default config;
