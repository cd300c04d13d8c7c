// A campaign's findings: grouped by signature (the summary with its numbers blanked), each group's
// first reproducers written to the output folder with a note saying how to replay them.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { knownIssue, type KnownIssue } from './known-issues.js';
import type { FuzzInput, Problem } from './target.js';

/** Reproducer files written (and findings printed) per signature; later ones are only counted. */
export const FILES_PER_SIGNATURE = 3;

export interface Finding extends Problem {
  target: string;
  seed: number;
  execution: number;
  /** The reproducer, when one was written. */
  file?: string;
  known?: KnownIssue;
  /** How many findings of this signature there are so far, this one included. */
  repeat: number;
}

export interface FindingGroup {
  signature: string;
  first: Finding;
  count: number;
}

export class Findings {
  private readonly groups = new Map<string, FindingGroup>();

  constructor(private readonly outDir: string, private readonly useKnown: boolean, private readonly command: string) {}

  /** Records a finding; writes its reproducer if its group has few so far. Returns it (with `file` when written). */
  add(target: string, seed: number, execution: number, problem: Problem, input: FuzzInput | undefined): Finding {
    const finding: Finding = { ...problem, target, seed, execution, repeat: 1 };
    const known = this.useKnown ? knownIssue(target, problem.kind, problem.summary) : undefined;
    if (known !== undefined) finding.known = known;
    const signature = `${target} ${problem.kind} ${problem.summary.replace(/0x[0-9a-f]+|\d+/gi, '#')}`;
    const group = this.groups.get(signature);
    if (group === undefined) this.groups.set(signature, { signature, first: finding, count: 1 });
    else finding.repeat = ++group.count;
    const limit = known === undefined ? FILES_PER_SIGNATURE : 1;
    if (input !== undefined && finding.repeat <= limit) finding.file = this.write(finding, input);
    return finding;
  }

  /** Groups of findings not filtered as known issues. */
  fresh(): FindingGroup[] {
    return [...this.groups.values()].filter((g) => g.first.known === undefined);
  }

  known(): FindingGroup[] {
    return [...this.groups.values()].filter((g) => g.first.known !== undefined);
  }

  count(target?: string, known = false): number {
    let n = 0;
    for (const g of this.groups.values()) if ((target === undefined || g.first.target === target) && (g.first.known !== undefined) === known) n += g.count;
    return n;
  }

  private write(finding: Finding, input: FuzzInput): string {
    mkdirSync(this.outDir, { recursive: true });
    const base = join(this.outDir, `${finding.target}-${finding.kind}-s${finding.seed}-e${finding.execution}`);
    const file = `${base}.${input.ext}`;
    writeFileSync(file, input.bytes);
    writeFileSync(`${base}.finding.txt`, [
      `${finding.kind} in target ${finding.target}, seed ${finding.seed}, execution ${finding.execution}`,
      finding.summary,
      ...(input.note !== undefined ? [`input: ${input.note}`] : []),
      `replay: ${this.command} -- --target ${finding.target} --seed ${finding.seed} --replay ${finding.execution}`,
      ...(finding.known !== undefined ? [`known issue: ${finding.known.why}`] : []),
      ...(finding.detail !== undefined ? ['', finding.detail] : []),
      '',
    ].join('\n'));
    return file;
  }
}

