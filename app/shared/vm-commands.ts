// In which VM states each lifecycle command is legal, so the UI can grey out the others. It mirrors
// the engine's table (engine/hypervisor/vm-state.ts, a test keeps them equal); the engine decides.

import type { VmCommand } from './monitor-types.js';

export const LEGAL_FROM: Record<VmCommand, readonly string[]> = {
  start: ['created', 'stopped'],
  pause: ['running'],
  resume: ['paused'],
  stop: ['running', 'paused', 'halted', 'exited'],
  restart: ['running', 'paused', 'stopped', 'halted', 'exited', 'wiped'],
  destroy: ['created', 'stopped', 'halted', 'exited', 'wiped'],
  wipe: ['created', 'running', 'paused', 'stopped', 'halted', 'exited'],
};

export function commandAllowed(command: VmCommand, state: string): boolean {
  return LEGAL_FROM[command].includes(state);
}
