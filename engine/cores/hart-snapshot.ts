// A hart's registers as plain data, for hosts and debuggers: what a paused hart looks like.

import { readCsr } from './csr.js';
import type { Hart, TrapLoop } from './hart.js';
import { Privilege } from './trap-cause.js';

export interface HartSnapshot {
  hart: number;
  pc: number;
  priv: Privilege;
  /** x0..x31, unsigned. */
  x: number[];
  instret: number;
  cycles: number;
  waiting: boolean;
  trapLoop?: TrapLoop;
}

export function snapshotOf(hart: Hart): HartSnapshot {
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
export function peekCsr(hart: Hart, csr: number): number | undefined {
  const saved = hart.priv;
  hart.priv = Privilege.Machine;
  const value = readCsr(hart, csr);
  hart.priv = saved;
  return value === undefined ? undefined : value >>> 0;
}
