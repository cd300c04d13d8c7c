// Every scenario shipped in scenarios/ validates, guests included, through the host's file loader.

import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../../engine/host/scenario-file.js';

const FOLDER = fileURLToPath(new URL('../../../scenarios/', import.meta.url));
const files = readdirSync(FOLDER).filter((name) => name.endsWith('.json') && name !== 'scenario.schema.json');

describe('scenarios/*.json', () => {
  it('include bare-two-vms.json', () => {
    expect(files).toContain('bare-two-vms.json');
  });

  for (const name of files) {
    it(`${name} validates`, () => {
      expect(loadScenarioFile(FOLDER + name).errors).toEqual([]);
    });
  }

  it('bare-two-vms runs hello and bench under fixed priorities on one core', () => {
    const { scenario } = loadScenarioFile(FOLDER + 'bare-two-vms.json');
    expect(scenario).toMatchObject({ cores: 1, scheduler: { policy: 'fixed-priority' } });
    expect(scenario?.vms.map((vm) => vm.guestPath.replace(/.*\/guests\//, 'guests/'))).toEqual(['guests/bin/hello.elf', 'guests/bin/bench.elf']);
  });
});
