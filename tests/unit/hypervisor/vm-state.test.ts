// The VM lifecycle state machine: every command is legal from exactly the states that make sense.

import { describe, expect, it } from 'vitest';
import { illegalTransition, LIFECYCLE_COMMANDS, VmState, VM_STATE_NAMES } from '../../../engine/hypervisor/vm-state.js';

// Written out as a grid rather than as the module's lists, so that a change to the machine shows up
// here as one mark moved: a row a command, a column a state, 'x' where the command is legal.
const GRID = `
          created running paused stopped halted exited wiped destroyed
  start      x       .      .      x       .      .     .       .
  pause      .       x      .      .       .      .     .       .
  resume     .       .      x      .       .      .     .       .
  stop       .       x      x      .       x      x     .       .
  restart    .       x      x      x       x      x     x       .
  destroy    x       .      .      x       x      x     x       .
  wipe       x       x      x      x       x      x     .       .
`;

const [header, ...rows] = GRID.trim().split('\n').map((line) => line.trim().split(/\s+/));
const legal = new Map(rows.map(([command, ...marks]) => [command, new Set(header.filter((_, i) => marks[i] === 'x'))]));

describe('VM lifecycle transitions', () => {
  it('the grid has a row for every command and a column for every state', () => {
    expect([...legal.keys()]).toEqual(LIFECYCLE_COMMANDS);
    expect(header).toEqual(VM_STATE_NAMES);
  });

  for (const command of LIFECYCLE_COMMANDS) {
    VM_STATE_NAMES.forEach((name, state: VmState) => {
      const ok = legal.get(command)!.has(name);
      it(`${command} from ${name} is ${ok ? 'legal' : 'refused'}`, () => {
        const reason = illegalTransition('rtos', state, command);
        if (ok) expect(reason).toBeUndefined();
        else expect(reason).toBe(`cannot ${command} VM 'rtos': it is ${name}`);
      });
    });
  }

  it('names the state in the refusal', () => {
    expect(illegalTransition('pin', VmState.Paused, 'pause')).toBe("cannot pause VM 'pin': it is paused");
  });
});
