// The options of `tessera run`, for an ELF guest or a scenario (shared by run-command and run-scenario).

import type { ParsedArgs } from './args.js';

export const RUN_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  harts: { type: 'string' },
  mem: { type: 'string' },
  'max-instructions': { type: 'string' },
  timeout: { type: 'string' },
  quantum: { type: 'string' },
  duration: { type: 'string' },
  json: { type: 'string' },
  trace: { type: 'string' },
  control: { type: 'string' },
  kernel: { type: 'string' },
  initrd: { type: 'string' },
  append: { type: 'string' },
  bios: { type: 'string' },
} as const;

export type RunArgs = ParsedArgs<typeof RUN_OPTIONS>;
