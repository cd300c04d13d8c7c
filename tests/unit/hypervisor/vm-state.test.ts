// The VM lifecycle state machine: every command is legal from exactly the states that make sense.

import { describe, expect, it } from 'vitest';
import { illegalTransition, LIFECYCLE_COMMANDS, VmState } from '../../../engine/hypervisor/vm-state.js';

const legal: Record<string, VmState[]> = {
  start: [VmState.Created, VmState.Stopped],
  pause: [VmState.Running],
  resume: [VmState.Paused],
  stop: [VmState.Running, VmState.Paused, VmState.Halted, VmState.Exited],
  restart: [VmState.Running, VmState.Paused, VmState.Stopped, VmState.Halted, VmState.Exited, VmState.Wiped],
  destroy: [VmState.Created, VmState.Stopped, VmState.Halted, VmState.Exited, VmState.Wiped],
  wipe: [VmState.Created, VmState.Running, VmState.Paused, VmState.Stopped, VmState.Halted, VmState.Exited],
};

describe('VM lifecycle transitions', () => {
  for (const command of LIFECYCLE_COMMANDS) {
    for (let state = VmState.Created; state <= VmState.Destroyed; state++) {
      const ok = legal[command].includes(state);
      it(`${command} from state ${state} is ${ok ? 'legal' : 'refused'}`, () => {
        const reason = illegalTransition('rtos', state, command);
        if (ok) expect(reason).toBeUndefined();
        else expect(reason).toMatch(new RegExp(`^cannot ${command} VM 'rtos': it is [a-z]+$`));
      });
    }
  }

  it('names the state in the refusal', () => {
    expect(illegalTransition('pin', VmState.Paused, 'pause')).toBe("cannot pause VM 'pin': it is paused");
  });
});
