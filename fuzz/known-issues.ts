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

export const KNOWN_ISSUES: readonly KnownIssue[] = [];

export function knownIssue(target: string, kind: FindingKind, summary: string): KnownIssue | undefined {
  return KNOWN_ISSUES.find((k) => k.target === target && k.kind === kind && k.summary.test(summary));
}
