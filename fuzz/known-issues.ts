// Known engine defects the fuzzer keeps finding, filtered so a campaign can look past them. Each
// entry is narrow (one target, one kind, one message) and names where the defect lives; remove an
// entry once the engine is fixed, and `--no-known` shows them all again.

import type { FindingKind } from './target.js';

export interface KnownIssue {
  target: string;
  kind: FindingKind;
  /** Matched against the finding's one-line summary. */
  summary: RegExp;
  /** What is wrong and where, for the report. */
  why: string;
}

export const KNOWN_ISSUES: readonly KnownIssue[] = [
  {
    target: 'control',
    kind: 'contract',
    summary: /^the control server closed the connection without an answer$/,
    why: 'engine/host/control-server.ts listens without allowHalfOpen, so a client that half-closes after its request '
      + '(nc -N, socat) has its socket ended by Node before an answer that takes time (update, pause, wipe) is written; '
      + 'the command still runs, its answer is lost',
  },
  ...(['control', 'websocket'] as const).map((target): KnownIssue => ({
    target,
    kind: 'hang',
    summary: /^no answer on the (control socket|WebSocket) within \d+ s while virtual time stood still at \d+ cycles$/,
    why: 'engine/host/over-the-air.ts runUpdate bounds its waits (for ready, and for the new version to serve its channels) '
      + 'by virtual time only; when every other VM is wiped or idle without a timer, virtual time stands still and the update '
      + '(tessera update, the monitor\'s updateVm) never returns',
  })),
];

export function knownIssue(target: string, kind: FindingKind, summary: string): KnownIssue | undefined {
  return KNOWN_ISSUES.find((k) => k.target === target && k.kind === kind && k.summary.test(summary));
}
