// The soak's verdicts on hand-written transcripts: what counts as a lost call, a missed deadline, a
// lost modem command, and memory that did not stay flat.

import { describe, expect, it } from 'vitest';
import { consoleLines, runEvents } from '../../../fuzz/soak/console-log.js';
import { baseband, faults, pinCalls } from '../../../fuzz/soak/phone-checks.js';
import { rssVerdict } from '../../../fuzz/soak/rss.js';

const BOOT = '[rich] rich: 2 harts of CRC32 load; a PIN check every 10 ms on channel 0; 8 modem commands every 1 ms on channel 1';
const status = (ms: number, calls: number, lost: number, extra = { wrong: 0, dup: 0 }) =>
  `[rich] rich: t=${ms} ms crc 0x12345678 over 10 KiB | pin: ${calls} calls, ${calls - lost} answered (${calls - lost} yes, 0 no), ${extra.wrong} wrong, ${lost} lost, ${extra.dup} dup | modem: 8 sent, 0 ring full`;
const report = (total: number, { misses = 0, lost = 0, ring = 0 } = {}) =>
  `[baseband] baseband: n=1000 min=10 avg=10.0 max=10 misses=${misses} (total ${total} periods, ${misses} misses) | modem 8000 ok, 0 bad, ${lost} lost, 0 dup, ${ring} ring errors, 100 doorbells`;

describe('soak checks', () => {
  it('allows PIN calls lost only while the PIN service was wiped until its restart', () => {
    const lines = consoleLines([BOOT, status(100, 10, 0), status(200, 20, 3), status(300, 30, 3)].join('\n'));
    const wiped = runEvents('tessera: 0.150000 s: pin: wiped\ntessera: 0.170000 s: pin: restarted\n');
    expect(pinCalls(lines, wiped)).toMatchObject({ ok: true, detail: expect.stringMatching(/30 calls .* 3 lost/) });
    expect(pinCalls(lines, runEvents('tessera: 0.150000 s: pin: paused\ntessera: 0.170000 s: pin: resumed\n'))).toMatchObject({ ok: false });
    expect(pinCalls(lines, [])).toMatchObject({ ok: false, detail: expect.stringMatching(/lost .* while the PIN service was up/) });
  });

  it('counts per boot of the rich OS and fails on a wrong or unanswered call', () => {
    const restarted = runEvents('tessera: 0.500000 s: rich: restarted\n');
    expect(pinCalls(consoleLines([BOOT, status(100, 10, 0), BOOT, status(100, 10, 0)].join('\n')), restarted)).toMatchObject({ ok: true, detail: expect.stringMatching(/^20 calls over 2 boots/) });
    expect(pinCalls(consoleLines([BOOT, status(100, 10, 0, { wrong: 1, dup: 0 })].join('\n')), [])).toMatchObject({ ok: false });
    expect(pinCalls(consoleLines([BOOT, status(100, 10, 0).replace('10 answered', '9 answered')].join('\n')), [])).toMatchObject({ ok: false });
  });

  it('fails a missed deadline, and modem losses outside a restart of the rich OS', () => {
    const boot = '[baseband] baseband: 1 kHz task (10000 ticks), kicking the watchdog, modem ring on channel 0';
    const [deadlines, modem] = baseband(consoleLines([boot, report(1000), report(2000, { ring: 1 })].join('\n')), runEvents('tessera: 1.500000 s: rich: restarted\n'));
    expect([deadlines.ok, modem.ok]).toEqual([true, true]);
    expect(baseband(consoleLines([boot, report(1000), report(2000, { ring: 1 })].join('\n')), [])[1].ok).toBe(false);
    expect(baseband(consoleLines([boot, report(1000, { misses: 1 })].join('\n')), [])[0].ok).toBe(false);
  });

  it('reads a VM\'s times on its own clock, which stood still while it was paused', () => {
    // rich was paused for 10 s before its t=200 ms report: that report is from system time 10.2 s.
    const lines = consoleLines([BOOT, status(100, 10, 0), status(200, 20, 3)].join('\n'));
    const pausedThenWiped = runEvents([
      'tessera: 0.150000 s: rich: paused', 'tessera: 10.150000 s: rich: resumed',
      'tessera: 10.170000 s: pin: wiped', 'tessera: 10.180000 s: pin: restarted',
    ].join('\n'));
    expect(pinCalls(lines, pausedThenWiped).ok).toBe(true);
    // The same losses with the wipe after that report: they happened while the PIN service was up.
    expect(pinCalls(lines, runEvents('tessera: 0.150000 s: rich: paused\ntessera: 10.150000 s: rich: resumed\ntessera: 20.170000 s: pin: wiped\ntessera: 20.180000 s: pin: restarted\n')).ok).toBe(false);
    // And the baseband: its second report ends 5 s later in system time when it was paused for 5 s.
    const boot = '[baseband] baseband: 1 kHz task (10000 ticks), kicking the watchdog, modem ring on channel 0';
    const restartDuringPause = runEvents('tessera: 1.200000 s: baseband: paused\ntessera: 6.200000 s: baseband: resumed\ntessera: 6.500000 s: rich: restarted\n');
    expect(baseband(consoleLines([boot, report(1000), report(2000, { ring: 1 })].join('\n')), restartDuringPause)[1].ok).toBe(true);
  });

  it('fails on any fault of a VM', () => {
    expect(faults(runEvents('tessera: 1.184853 s: baseband: fault (watchdog expired)\n'))).toMatchObject({ ok: false, detail: 'baseband: fault (watchdog expired) at virtual 1.184853 s' });
    expect(faults(runEvents('tessera: 1.0 s: rich: paused\n')).ok).toBe(true);
  });

  it('calls memory flat when the last minute stays within the bound of the minute after warm-up', () => {
    const samples = (grow: number) => Array.from({ length: 300 }, (_, s) => ({ seconds: s, bytes: 100e6 + s * grow }));
    expect(rssVerdict(samples(0), 32 * 2 ** 20)?.ok).toBe(true);
    expect(rssVerdict(samples(200_000), 32 * 2 ** 20)?.ok).toBe(false);
  });
});
