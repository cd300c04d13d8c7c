// A short, seeded fuzz run of every target (npm run fuzz in miniature): a fixed number of
// executions each, which must all come out without a finding.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCampaign } from '../../../fuzz/campaign.js';
import { targetNamed } from '../../../fuzz/targets/index.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SEED = 12;

/** Executions per target: two or three socket samples (one execution in 50 is one), a handful of streams. */
const EXECUTIONS: [string, number][] = [['elf', 400], ['scenario', 200], ['control', 51], ['websocket', 101], ['isa', 5]];

describe('fuzz smoke run', () => {
  it.each(EXECUTIONS)('%s: %i executions, no findings', async (name, executions) => {
    const lines: string[] = [];
    const report = await runCampaign({
      targets: [targetNamed(name)!], seed: SEED, executions, root: ROOT, outDir: mkdtempSync(join(tmpdir(), 'tessera-fuzz-smoke-')), log: (line) => lines.push(line), inProcess: true,
    });
    expect(report.findings.fresh().map((g) => `${g.first.kind}: ${g.first.summary}`), lines.join('\n')).toEqual([]);
    expect(report.runs[0].executions).toBe(executions);
  });
});
