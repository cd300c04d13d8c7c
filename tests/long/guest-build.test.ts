// The committed guest ELFs are exactly what the sources build to (reproducible in any folder).

import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const GUESTS = fileURLToPath(new URL('../../guests/', import.meta.url));
const HAVE_GCC = spawnSync('riscv64-unknown-elf-gcc', ['--version'], { stdio: 'ignore' }).status === 0;

const SKIP_REASON = HAVE_GCC ? '' : ' (skipped: riscv64-unknown-elf-gcc is not installed; apt-get install gcc-riscv64-unknown-elf)';

describe.skipIf(!HAVE_GCC)(`guest build${SKIP_REASON}`, () => {
  it('rebuilding guests/ from source in another folder reproduces guests/bin byte for byte', () => {
    const copy = join(mkdtempSync(join(tmpdir(), 'tessera-guests-')), 'guests');
    cpSync(GUESTS, copy, { recursive: true, filter: (src) => !src.includes('/build') });
    const r = spawnSync('make', ['-s', '-C', copy, 'check'], { encoding: 'utf8', timeout: 300_000 });
    expect(r.stderr + r.stdout).toContain('match a fresh build');
    expect(r.status).toBe(0);
  });
});

