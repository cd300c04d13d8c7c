// The core worker's scheduler loop for one hart: run a slice, refresh interrupt lines, park in WFI.

import { CoreControl, ExitKind, HartCommand, HartStatus } from './core-control.js';
import type { Hart } from './hart.js';
import { MIP_MTIP } from './trap-cause.js';

/** Where a hart's device-driven interrupt lines come from (the board's CLINT, later a PLIC). */
export interface InterruptLines {
  /** mip bits the devices drive for this hart now. */
  lines(hart: Hart): number;
  /** The hart cycle count at which its timer interrupt line rises, or Infinity. */
  timerCycle(hart: Hart): number;
}

export interface CoreLoopOptions {
  /** Most instructions per slice between checks of signals and interrupt lines. */
  quantum: number;
  /** Stop the machine when this hart has retired this many instructions. */
  instructionLimit: number;
}

export const DEFAULT_QUANTUM = 10_000;

/** Runs the hart until the machine exits ('exit') or the host asks this hart to pause ('paused'). */
export function runCore(hart: Hart, control: CoreControl, irq: InterruptLines, opts: CoreLoopOptions): 'exit' | 'paused' {
  const id = hart.hartId;
  control.setStatus(id, HartStatus.Running);
  for (;;) {
    if (control.exitKind() !== ExitKind.None) {
      control.setStatus(id, HartStatus.Stopped);
      return 'exit';
    }
    if (control.command(id) === HartCommand.Pause) {
      control.setStatus(id, HartStatus.Paused);
      return 'paused';
    }
    if (hart.trapLoop !== undefined) {
      control.requestExit(ExitKind.TrapLoop, 0, id);
      continue;
    }
    if (hart.instret >= opts.instructionLimit) {
      control.requestExit(ExitKind.InstructionLimit, 0, id);
      continue;
    }
    // Read the wake sequence before looking at the lines, so a wake-up in between is not lost.
    const seen = control.wakeSequence(id);
    hart.mipLines = irq.lines(hart);
    const timer = irq.timerCycle(hart);
    if (hart.waiting && (hart.mip() & hart.mie) === 0) {
      if ((hart.mie & MIP_MTIP) !== 0 && Number.isFinite(timer)) {
        hart.idle(timer - hart.cycles); // virtual time: an idle hart skips straight to its deadline
        continue;
      }
      control.park(id, seen);
      control.sleep(id, seen);
      control.setStatus(id, HartStatus.Running);
      continue;
    }
    let budget = opts.quantum;
    if (timer > hart.cycles && timer - hart.cycles < budget) budget = timer - hart.cycles;
    if (opts.instructionLimit - hart.instret < budget) budget = opts.instructionLimit - hart.instret;
    hart.run(Math.max(1, Math.ceil(budget)));
    control.publish(id, hart.instret, hart.cycles);
  }
}
