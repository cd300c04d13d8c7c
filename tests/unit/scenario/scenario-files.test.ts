// Every scenario shipped in scenarios/ validates, guests included, through the host's file loader.

import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../../engine/host/scenario-file.js';
import { LINUX_IMAGE_BUILT, missingLinuxImage } from './corpus.js';

const FOLDER = fileURLToPath(new URL('../../../scenarios/', import.meta.url));
const files = readdirSync(FOLDER).filter((name) => name.endsWith('.json') && name !== 'scenario.schema.json');

describe('scenarios/*.json', () => {
  it('include bare-two-vms.json', () => {
    expect(files).toContain('bare-two-vms.json');
  });

  for (const name of files) {
    const needsLinux = readFileSync(FOLDER + name, 'utf8').includes('guests/linux/out/Image') && !LINUX_IMAGE_BUILT;
    it(`${name} validates${needsLinux ? ' but for its kernel (not built here: guests/linux/build.sh)' : ''}`, () => {
      const errors = loadScenarioFile(FOLDER + name).errors;
      expect(errors.filter((line) => !missingLinuxImage(line))).toEqual([]);
      expect(errors.length).toBe(needsLinux ? 1 : 0);
    });
  }

  it('bare-two-vms runs hello and bench under fixed priorities on one core', () => {
    const { scenario } = loadScenarioFile(FOLDER + 'bare-two-vms.json');
    expect(scenario).toMatchObject({ cores: 1, scheduler: { policy: 'fixed-priority' } });
    expect(scenario?.vms.map((vm) => vm.guestPath.replace(/.*\/guests\//, 'guests/'))).toEqual(['guests/bin/hello.elf', 'guests/bin/bench.elf']);
  });
});
