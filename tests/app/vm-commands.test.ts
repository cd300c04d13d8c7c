// The UI's table of legal lifecycle commands must agree with the engine's, which decides.

import { describe, expect, it } from 'vitest';
import { illegalTransition, VM_STATE_NAMES } from '../../engine/hypervisor/vm-state.js';
import { VM_COMMANDS } from '../../app/shared/monitor-types.js';
import { commandAllowed } from '../../app/shared/vm-commands.js';

describe('commandAllowed', () => {
  it('matches the engine for every state and command', () => {
    VM_STATE_NAMES.forEach((state, index) => {
      for (const command of VM_COMMANDS) {
        expect(commandAllowed(command, state), `${command} from ${state}`).toBe(illegalTransition('vm', index, command) === undefined);
      }
    });
  });
});
