// The host controls core workers: pause, single-step, read registers and CSRs, resume, stop.

import { readFileSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { Machine } from '../../engine/host/machine.js';
import { guestPath } from './run-guest.js';

const MHARTID = 0xf14;
const MINSTRET = 0xb02;
const MISA = 0x301;

describe('machine control through comlink and shared control words', () => {
  it('boots every hart at the ELF entry with a0 = mhartid and a1 = the device tree', async () => {
    const machine = await Machine.create(readFileSync(guestPath('spin')), { harts: 2 });
    try {
      for (const hart of [0, 1]) {
        const s = await machine.snapshot(hart);
        expect(s.x[10]).toBe(hart);
        expect(s.x[11]).toBeGreaterThan(0x8000_0000);
        expect(await machine.csr(hart, MHARTID)).toBe(hart);
      }
      expect(await machine.csr(0, MISA)).toBe(0x4014_1105);
      expect(await machine.csr(0, 0x7c0)).toBeUndefined();
    } finally {
      await machine.dispose();
    }
  });

  it('single-steps a hart that has not started: minstret counts each step', async () => {
    const machine = await Machine.create(readFileSync(guestPath('spin')));
    try {
      const before = await machine.snapshot(0);
      const after = await machine.step(0, 5);
      expect(after.instret - before.instret).toBe(5);
      expect(await machine.csr(0, MINSTRET)).toBe(after.instret);
      expect(after.pc).not.toBe(before.pc);
    } finally {
      await machine.dispose();
    }
  });

  it('pauses a running machine, steps it, resumes it and stops it', async () => {
    const machine = await Machine.create(readFileSync(guestPath('spin')), { harts: 2 });
    try {
      const running = machine.run();
      await machine.pause();
      const paused = await machine.snapshot(0);
      const stepped = await machine.step(0, 3);
      expect(stepped.instret).toBe(paused.instret + 3);
      machine.resume();
      await machine.pause();
      const later = await machine.snapshot(0);
      expect(later.instret).toBeGreaterThanOrEqual(stepped.instret);
      machine.resume();
      machine.stop('stopped by the test');
      expect(await running).toEqual({ kind: 'stopped', message: 'stopped by the test' });
    } finally {
      await machine.dispose();
    }
  });

  it('reports a crashed core worker instead of hanging', async () => {
    const machine = await Machine.create(readFileSync(guestPath('spin')), { harts: 2 });
    try {
      const running = machine.run();
      // Kill a worker from outside, as a crash of its thread would.
      void (machine as unknown as { system: { cores: { worker: Worker }[] } }).system.cores[1].worker.terminate();
      const exit = await running;
      expect(exit).toMatchObject({ kind: 'crash', hart: 1, message: expect.stringMatching(/^hart 1: core worker exited unexpectedly/) });
    } finally {
      await machine.dispose();
    }
  });
});
