// Whole-guest runs of the committed ELF files on real core workers.

import { describe, expect, it } from 'vitest';
import { runOnTessera } from './run-guest.js';

describe('committed guests on the bare machine', () => {
  it('hello greets from hart 0 and exits 0', async () => {
    const run = await runOnTessera('hello');
    expect(run.exit).toEqual({ kind: 'guest', code: 0, hart: 0 });
    expect(run.output).toContain('hart 0 of 1');
  });

  it('hello sees the hart count of the device tree', async () => {
    const run = await runOnTessera('hello', { harts: 3 });
    expect(run.exit).toMatchObject({ kind: 'guest', code: 0 });
    expect(run.output).toContain('of 3');
  });

  for (const harts of [1, 2, 4, 8]) {
    it(`smp-counter counts exactly with ${harts} hart(s), AMOADD and LR/SC`, async () => {
      const run = await runOnTessera('smp-counter', { harts });
      expect(run.exit).toMatchObject({ kind: 'guest', code: 0 });
      const total = harts * 100_000;
      expect(run.output).toContain(`${harts} harts x 100000: amoadd ${total} lr/sc ${total} OK`);
    });
  }

  it('HTIF tohost (1) ends the run with exit code 0', async () => {
    const run = await runOnTessera('htif-pass');
    expect(run.exit).toMatchObject({ kind: 'guest', code: 0 });
  });

  it('HTIF tohost ((3 << 1) | 1) ends the run with exit code 3', async () => {
    const run = await runOnTessera('htif-fail');
    expect(run.exit).toMatchObject({ kind: 'guest', code: 3 });
  });

  it('an illegal instruction with no trap handler is reported as a trap loop, not a hang', async () => {
    const run = await runOnTessera('trap-loop');
    expect(run.exit.kind).toBe('trap-loop');
    expect(run.exit).toMatchObject({ message: expect.stringMatching(/^hart 0: trap loop: illegal instruction at pc 0x8/) });
  });

  it('a guest that never ends stops at the instruction limit', async () => {
    const run = await runOnTessera('spin', { instructionLimit: 2_000_000 });
    expect(run.exit.kind).toBe('instruction-limit');
    expect(run.instret[0]).toBe(2_000_000);
  });

  it('a timer interrupt wakes hart 0 from WFI while the other harts stay parked', async () => {
    const run = await runOnTessera('wfi-idle', { harts: 4 });
    expect(run.exit).toMatchObject({ kind: 'guest', code: 0 });
    expect(run.output).toContain('timer fired');
  });
});

describe('harts that can never wake', () => {
  it('every hart parked in WFI with nothing enabled is reported as a deadlock, not a hang', async () => {
    const run = await runOnTessera('park', { harts: 3 });
    expect(run.exit).toEqual({ kind: 'deadlock', message: 'every hart is waiting in WFI for an interrupt that can never arrive' });
  });
});
