// The soak's verdicts on a phone.json run: every PIN call answered (except while the PIN service was
// deliberately down), every modem command delivered (except across a deliberate restart of the rich
// OS), no deadline missed, nothing locked or corrupt. Pure functions of the transcript. A VM reports
// its own time, which stands still while it is paused: it is mapped back to the system's here.

import { SCENARIO_DEFAULTS } from '../../engine/scenario/scenario.js';
import type { ConsoleLine, RunEvent } from './console-log.js';

export interface Check {
  name: string;
  ok: boolean;
  /** One line: the figures, or what failed first. */
  detail: string;
}

/** Virtual seconds around a deliberate outage in which its effects are expected. */
const GRACE_SECONDS = 0.05;

const RICH_STATUS = /^rich: t=(\d+) ms crc 0x[0-9a-f]+ over \d+ KiB \| pin: (\d+) calls, (\d+) answered \(\d+ yes, \d+ no\), (\d+) wrong, (\d+) lost, (\d+) dup \| modem: (\d+) sent, \d+ ring full$/;
const RICH_BOOT = /^rich: \d+ harts of CRC32 load/;
const BASEBAND_REPORT = /^baseband: n=(\d+) min=\d+ avg=[\d.]+ max=(\d+) misses=(\d+) \(total (\d+) periods, (\d+) misses\) \| modem (\d+) ok, (\d+) bad, (\d+) lost, (\d+) dup, (\d+) ring errors, \d+ doorbells$/;
const BASEBAND_BOOT = /^baseband: 1 kHz task/;
const BASEBAND_PERIOD_SECONDS = 0.001;
/** phone.json's clock: the default frequency. */
const CYCLES_PER_SECOND = SCENARIO_DEFAULTS.timing.frequency;

/** [from, to] in virtual seconds. */
type Window = [number, number];

/**
 * When a VM was deliberately down: from a wipe (or stop) until its next start or restart, and
 * around a restart. A pause is no outage: a paused VM loses nothing, it only answers later.
 */
function outages(events: readonly RunEvent[], vm: string): Window[] {
  const windows: Window[] = [];
  let downSince: number | undefined;
  for (const e of events.filter((x) => x.vm === vm)) {
    if (e.kind === 'wiped' || e.kind === 'stopped' || e.kind === 'destroyed') downSince ??= e.time;
    if (e.kind === 'restarted' || e.kind === 'started') {
      windows.push([downSince ?? e.time, e.time]);
      downSince = undefined;
    }
  }
  if (downSince !== undefined) windows.push([downSince, Infinity]);
  return windows.map(([a, b]) => [a - GRACE_SECONDS, b + GRACE_SECONDS]);
}

function overlaps(windows: readonly Window[], from: number, to: number): boolean {
  return windows.some(([a, b]) => a <= to && from <= b);
}

/** Boot times of a VM in virtual seconds: 0, then each restart. */
function boots(events: readonly RunEvent[], vm: string): number[] {
  return [0, ...events.filter((e) => e.vm === vm && e.kind === 'restarted').map((e) => e.time)];
}

/**
 * A VM's own clock, which stands still while it is paused: the system's virtual time at which the
 * VM's boot number `boot` (see boots) had run for `seconds` of its own time.
 */
function vmClock(events: readonly RunEvent[], vm: string): (boot: number, seconds: number) => number {
  const starts = boots(events, vm);
  // Pauses as [from, to] in system time; a restart, stop or wipe ends one too.
  const pauses: Window[] = [];
  let pausedAt: number | undefined;
  for (const e of events.filter((x) => x.vm === vm)) {
    if (e.kind === 'paused') pausedAt ??= e.time;
    else if (pausedAt !== undefined && ['resumed', 'restarted', 'stopped', 'wiped', 'destroyed'].includes(e.kind)) {
      // The resume says how long the clock stood still: from the VM's own latest time, which may
      // lie before the system time the pause was logged at (another core may have run ahead).
      const frozen = /its clock stood still for (\d+) cycles/.exec(e.detail ?? '');
      pauses.push([frozen === null ? pausedAt : e.time - Number(frozen[1]) / CYCLES_PER_SECOND, e.time]);
      pausedAt = undefined;
    }
  }
  if (pausedAt !== undefined) pauses.push([pausedAt, Infinity]);
  return (boot, seconds) => {
    let time = (starts[boot] ?? 0) + seconds;
    for (const [from, to] of pauses) if (from >= (starts[boot] ?? 0) && from <= time) time += to - from;
    return time;
  };
}

/**
 * The PIN calls the rich OS made. Per boot of the rich OS (its counters start again): no wrong or
 * duplicated answer, every call answered or counted lost, and a call lost only while the PIN
 * service was deliberately down (wiped until restarted, or restarting).
 */
export function pinCalls(lines: readonly ConsoleLine[], events: readonly RunEvent[]): Check {
  const pinDown = outages(events, 'pin');
  const richBoots = boots(events, 'rich');
  const richClock = vmClock(events, 'rich');
  let boot = -1;
  let previous = { time: 0, calls: 0, lost: 0 };
  let calls = 0;
  let lost = 0;
  let expectedLost = 0;
  const fail = (detail: string): Check => ({ name: 'PIN calls', ok: false, detail });
  for (const { vm, text } of lines) {
    if (vm !== 'rich') continue;
    if (RICH_BOOT.test(text)) {
      boot++;
      previous = { time: richBoots[boot] ?? previous.time, calls: 0, lost: 0 };
      continue;
    }
    if (/^rich: PIN call \d+: /.test(text)) return fail(`the rich OS got a wrong answer: ${text}`);
    const m = RICH_STATUS.exec(text);
    if (m === null) continue;
    const [t, c, answered, wrong, l, dup] = m.slice(1, 7).map(Number);
    const time = richClock(boot, t / 1000);
    if (wrong !== 0 || dup !== 0) return fail(`${wrong} wrong and ${dup} duplicated answers by virtual ${time.toFixed(3)} s: ${text}`);
    if (c !== answered + l) return fail(`${c} calls but ${answered} answered and ${l} lost at virtual ${time.toFixed(3)} s`);
    if (l > previous.lost) {
      if (!overlaps(pinDown, previous.time, time)) return fail(`${l - previous.lost} PIN calls lost between virtual ${previous.time.toFixed(3)} s and ${time.toFixed(3)} s, while the PIN service was up`);
      expectedLost += l - previous.lost;
    }
    calls += c - previous.calls;
    lost += l - previous.lost;
    previous = { time, calls: c, lost: l };
  }
  if (calls === 0) return fail('the rich OS reported no PIN call');
  return { name: 'PIN calls', ok: true, detail: `${calls} calls over ${boot + 1} boots of the rich OS, all answered but ${lost} lost while the PIN service was deliberately down (${expectedLost} allowed)` };
}

/**
 * The baseband's deadlines and modem commands, report by report (one a second of virtual time):
 * no missed period ever, and no bad, lost or duplicated command nor ring error except in a
 * report that overlaps a deliberate restart of the rich OS (which lays the ring out again).
 */
export function baseband(lines: readonly ConsoleLine[], events: readonly RunEvent[]): Check[] {
  const richDisturbed = outages(events, 'rich');
  const basebandClock = vmClock(events, 'baseband');
  let boot = -1;
  let previous = { periods: 0, bad: 0, lost: 0, dup: 0, ring: 0 };
  let reports = 0;
  let periods = 0;
  let disturbed = 0;
  let worst = 0;
  let deadlines: Check | undefined;
  let modem: Check | undefined;
  for (const { vm, text } of lines) {
    if (vm !== 'baseband') continue;
    if (/^baseband: unexpected trap/.test(text)) deadlines ??= { name: 'deadlines', ok: false, detail: text };
    if (BASEBAND_BOOT.test(text)) {
      boot++;
      previous = { periods: 0, bad: 0, lost: 0, dup: 0, ring: 0 };
      continue;
    }
    const m = BASEBAND_REPORT.exec(text);
    if (m === null) continue;
    const [, max, misses, total, totalMisses, , bad, lost, dup, ring] = m.slice(1).map(Number);
    reports++;
    periods += total - previous.periods;
    worst = Math.max(worst, max);
    const end = basebandClock(boot, total * BASEBAND_PERIOD_SECONDS);
    const start = basebandClock(boot, previous.periods * BASEBAND_PERIOD_SECONDS);
    if (misses !== 0 || totalMisses !== 0) deadlines ??= { name: 'deadlines', ok: false, detail: `missed deadlines in the report ending at virtual ${end.toFixed(3)} s: ${text}` };
    const grew = bad > previous.bad || lost > previous.lost || dup > previous.dup || ring > previous.ring;
    if (grew) {
      if (overlaps(richDisturbed, start, end)) disturbed++;
      else modem ??= { name: 'modem commands', ok: false, detail: `bad, lost or duplicated commands or ring errors at virtual ${start.toFixed(3)}..${end.toFixed(3)} s, the rich OS undisturbed: ${text}` };
    }
    previous = { periods: total, bad, lost, dup, ring };
  }
  if (reports === 0) deadlines ??= { name: 'deadlines', ok: false, detail: 'the baseband printed no report' };
  return [
    deadlines ?? { name: 'deadlines', ok: true, detail: `${periods} periods in ${reports} reports, 0 missed; worst wake-up ${worst} ticks` },
    modem ?? { name: 'modem commands', ok: true, detail: `no bad, lost or duplicated command and no ring error outside the ${disturbed} reports overlapping a deliberate restart of the rich OS` },
  ];
}

/** Nothing a guest prints only when something is broken. */
export function incidents(lines: readonly ConsoleLine[]): Check {
  const bad = lines.find(({ text }) => /LOCKED|no more commands|needs a Tessera VM|cannot lay out|unexpected trap/.test(text));
  return bad === undefined ? { name: 'incidents', ok: true, detail: 'no PIN lock-out, broken ring or unexpected trap' } : { name: 'incidents', ok: false, detail: `[${bad.vm}] ${bad.text}` };
}

/** No VM faulted: every restart, wipe and pause the soak asks for is one the system must survive. */
export function faults(events: readonly RunEvent[]): Check {
  const fault = events.find((e) => e.kind === 'fault' || e.kind === 'halted' || e.kind === 'update-rolled-back');
  return fault === undefined
    ? { name: 'faults', ok: true, detail: `no fault, halt or rolled-back update in ${events.length} lifecycle events` }
    : { name: 'faults', ok: false, detail: `${fault.vm}: ${fault.kind}${fault.detail !== undefined ? ` (${fault.detail})` : ''} at virtual ${fault.time.toFixed(6)} s` };
}
