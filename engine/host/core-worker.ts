// Entry of a core worker thread: one hart, controlled by the host through comlink.

import { parentPort } from 'node:worker_threads';
import { expose } from 'comlink';
import { nodeEndpoint } from './node-endpoint.js';
import { DEFAULT_QUANTUM, runCore } from '../cores/core-loop.js';
import { readCsr } from '../cores/csr.js';
import { Privilege } from '../cores/trap-cause.js';
import { buildBoard, type Board, type BoardBuffers, type BoardConfig } from './virt-board.js';

export interface HartSnapshot {
  hart: number;
  pc: number;
  priv: Privilege;
  x: number[];
  instret: number;
  cycles: number;
  waiting: boolean;
  trapLoop?: { mcause: number; mtval: number; pc: number; first: { mcause: number; mtval: number; pc: number } };
}

export interface RunOptions {
  quantum?: number;
  instructionLimit?: number;
}

export class CoreWorker {
  private board: Board | undefined;

  init(hartId: number, buffers: BoardBuffers, config: BoardConfig, entry: number, fdt: number): void {
    this.board = buildBoard(hartId, buffers, config);
    this.board.hart.reset(entry, hartId, fdt);
  }

  /** Puts the hart back in its reset state (board reset). */
  reset(entry: number, fdt: number): void {
    const hart = this.hart();
    hart.reset(entry, hart.hartId, fdt);
  }

  /** Runs until the machine exits or the host pauses this hart. */
  run(options: RunOptions = {}): 'exit' | 'paused' {
    const { hart, control, lines } = this.need();
    return runCore(hart, control, lines, {
      quantum: options.quantum ?? DEFAULT_QUANTUM,
      instructionLimit: options.instructionLimit ?? Infinity,
    });
  }

  /** Executes up to `count` instructions (fewer if the hart parks in WFI) and reports the state. */
  step(count: number): HartSnapshot {
    const { hart, lines } = this.need();
    let left = Math.max(0, Math.floor(count));
    while (left > 0 && hart.trapLoop === undefined) {
      hart.mipLines = lines.lines(hart);
      const used = hart.run(1);
      if (used === 0) break;
      left -= used;
    }
    return this.snapshot();
  }

  snapshot(): HartSnapshot {
    const hart = this.hart();
    return {
      hart: hart.hartId,
      pc: hart.pc >>> 0,
      priv: hart.priv,
      x: Array.from(hart.x.subarray(0, 32), (v) => v >>> 0),
      instret: hart.instret,
      cycles: hart.cycles,
      waiting: hart.waiting,
      ...(hart.trapLoop ? { trapLoop: hart.trapLoop } : {}),
    };
  }

  /** Reads a CSR with machine privilege and no side effects; undefined if it does not exist. */
  csr(number: number): number | undefined {
    const hart = this.hart();
    const saved = hart.priv;
    hart.priv = Privilege.Machine;
    const value = readCsr(hart, number);
    hart.priv = saved;
    return value === undefined ? undefined : value >>> 0;
  }

  private need(): Board {
    if (this.board === undefined) throw new Error('core worker: init() was not called');
    return this.board;
  }

  private hart() {
    return this.need().hart;
  }
}

if (parentPort === null) throw new Error('core-worker must run in a worker thread');
expose(new CoreWorker(), nodeEndpoint(parentPort));
