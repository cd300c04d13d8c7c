// The VM lifecycle state machine: states, commands and which transitions are legal.

export const enum VmState {
  Created = 0,
  Running = 1,
  Paused = 2,
  Stopped = 3,
  /** Failed against its fault policy (or halted by it); memory kept for inspection. */
  Halted = 4,
  /** Ended by itself through its test device with exit code 0. */
  Exited = 5,
  /** Remotely disabled: partition zeroed, never runs again until restarted. */
  Wiped = 6,
  Destroyed = 7,
}

export const VM_STATE_NAMES = ['created', 'running', 'paused', 'stopped', 'halted', 'exited', 'wiped', 'destroyed'] as const;
export type VmStateName = (typeof VM_STATE_NAMES)[number];

export type LifecycleCommand = 'start' | 'pause' | 'resume' | 'stop' | 'restart' | 'destroy' | 'wipe';
export const LIFECYCLE_COMMANDS: readonly LifecycleCommand[] = ['start', 'pause', 'resume', 'stop', 'restart', 'destroy', 'wipe'];

const LEGAL_FROM: Record<LifecycleCommand, readonly VmState[]> = {
  start: [VmState.Created, VmState.Stopped],
  pause: [VmState.Running],
  resume: [VmState.Paused],
  stop: [VmState.Running, VmState.Paused, VmState.Halted, VmState.Exited],
  restart: [VmState.Running, VmState.Paused, VmState.Stopped, VmState.Halted, VmState.Exited, VmState.Wiped],
  destroy: [VmState.Created, VmState.Stopped, VmState.Halted, VmState.Exited, VmState.Wiped],
  wipe: [VmState.Created, VmState.Running, VmState.Paused, VmState.Stopped, VmState.Halted, VmState.Exited],
};

/** The state a command leads to. */
export const TARGET_STATE: Record<LifecycleCommand, VmState> = {
  start: VmState.Running,
  pause: VmState.Paused,
  resume: VmState.Running,
  stop: VmState.Stopped,
  restart: VmState.Running,
  destroy: VmState.Destroyed,
  wipe: VmState.Wiped,
};

/** Undefined when `command` is legal in `state`, else a one-line reason. */
export function illegalTransition(vm: string, state: VmState, command: LifecycleCommand): string | undefined {
  if (LEGAL_FROM[command].includes(state)) return undefined;
  return `cannot ${command} VM '${vm}': it is ${VM_STATE_NAMES[state]}`;
}
