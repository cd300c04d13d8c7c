// `tessera validate FILE...`: one line per valid file on stdout, one per problem on stderr, exit 0, 1 or 2.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tessera } from '../cli/captured-io.js';

const GOOD = fileURLToPath(new URL('../../../scenarios/bare-two-vms.json', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'tessera-validate-'));

function scenarioFile(name: string, text: string): string {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
}

describe('tessera validate', () => {
  it('says ok with the VM count, cores and policy, and exits 0', async () => {
    const r = await tessera('validate', GOOD);
    expect(r).toEqual({ code: 0, stdout: `${GOOD}: ok (2 VMs on 1 core, policy fixed-priority)\n`, stderr: '' });
  });

  it('prints every problem of every file prefixed with the file, and exits 1', async () => {
    const bad = scenarioFile('bad.json', JSON.stringify({ name: 'bad', cores: 0, memory: '1M', scheduler: { policy: 'partitioned' }, vms: [{ name: 'a', guest: 'x.elf', ram: '4K' }] }));
    const broken = scenarioFile('broken.json', '{\n  "name": "x",\n}');
    const r = await tessera('validate', GOOD, bad, broken, join(scratch, 'absent.json'));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(`${GOOD}: ok (2 VMs on 1 core, policy fixed-priority)\n`);
    expect(r.stderr.split('\n').filter(Boolean)).toEqual([
      `${bad}: cores: must be an integer from 1 to 64 (got 0)`,
      `${bad}: vms[0].guest: cannot read x.elf: no such file`,
      `${broken}: scenario: invalid JSON at line 3 column 1: trailing comma before '}'`,
      `${join(scratch, 'absent.json')}: scenario: cannot read the file: no such file`,
    ]);
  });

  it('--json reports each file as data', async () => {
    const r = await tessera('validate', '--json', GOOD);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ files: [{ file: GOOD, ok: true, errors: [], vms: 2, cores: 1, policy: 'fixed-priority' }] });
  });

  it('without a file, or with an unknown option, is a usage error (exit 2)', async () => {
    expect(await tessera('validate')).toMatchObject({ code: 2, stderr: "tessera: validate needs at least one scenario file (see 'tessera --help')\n" });
    expect(await tessera('validate', '--strict', GOOD)).toMatchObject({ code: 2, stderr: "tessera: unknown option --strict (see 'tessera --help')\n" });
  });

  it('--help shows the usage; the top-level help lists the command', async () => {
    expect((await tessera('validate', '--help')).stdout).toContain('usage: tessera validate SCENARIO.json...');
    expect((await tessera('--help')).stdout).toContain('validate FILE...');
  });
});
