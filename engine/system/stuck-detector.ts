// Tells a machine that can never go on from one that is merely idle: every core asleep with nothing
// due, no wake-up moving, and no input that could raise an interrupt (the bare machine then ends).

import { CORE_SLEEPING, CORE_WAKE, SLEEPING_IDLE, type SystemTables } from '../hypervisor/system-tables.js';

/** Consecutive host polls that must agree before a machine counts as stuck. */
const POLLS = 3;

export class StuckDetector {
  private polls = 0;
  private lastWakes = '';

  /**
   * Called at every host poll; true once the machine has been stuck for POLLS polls in a row. A
   * core woken by another stays "asleep" until its thread runs again, so a machine whose wake-ups
   * still move is not stuck.
   */
  observe(tables: SystemTables, inputCanInterrupt: boolean): boolean {
    let asleep = true;
    const wakes: number[] = [];
    for (let c = 0; c < tables.layout.cores; c++) {
      if (tables.coreInt(c, CORE_SLEEPING) !== SLEEPING_IDLE) asleep = false;
      wakes.push(tables.coreInt(c, CORE_WAKE));
    }
    const key = wakes.join(',');
    const moved = key !== this.lastWakes;
    this.lastWakes = key;
    this.polls = asleep && !moved && !inputCanInterrupt ? this.polls + 1 : 0;
    return this.polls >= POLLS;
  }
}
