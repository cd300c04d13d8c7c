// What a result file records so that someone else can reproduce it: versions, commit, hashes, host.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus, release, totalmem, type as osType } from 'node:os';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ReproducibilityInfo } from '../experiment/sweep-record.js';
import type { Scenario } from '../scenario/scenario.js';

/** The Tessera checkout this module belongs to: compiled to dist/engine/host, or run from engine/host by vitest. */
function packageRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [join(here, '..', '..'), join(here, '..', '..', '..')]) {
    try {
      const pkg = JSON.parse(readFileSync(join(candidate, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'tessera') return candidate;
    } catch {
      // not this one
    }
  }
  return process.cwd();
}

export function tesseraVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** HEAD of the checkout, "-dirty" when tracked files changed; "unknown" without git or outside a checkout. */
export function gitCommit(): string {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: packageRoot(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 }).trim();
  try {
    const head = git('rev-parse', 'HEAD');
    const dirty = git('status', '--porcelain', '--untracked-files=no') !== '';
    return dirty ? `${head}-dirty` : head;
  } catch {
    return 'unknown';
  }
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function hostInfo(): ReproducibilityInfo['host'] {
  const list = cpus();
  return {
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    cpuCount: list.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${osType()} ${release()}`,
    node: process.version,
  };
}

/** The record for a run of `scenario` loaded from `scenarioPath` by `commandLine`. */
export function reproducibilityInfo(scenarioPath: string, scenario: Scenario, commandLine: readonly string[]): ReproducibilityInfo {
  const guests = [...new Set(scenario.vms.map((vm) => vm.guestPath))];
  // Relative to where the command ran when inside it, so a checkout elsewhere reproduces it.
  const shown = (path: string) => {
    const rel = relative(process.cwd(), path);
    return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? path : rel;
  };
  return {
    tessera: tesseraVersion(),
    gitCommit: gitCommit(),
    scenario: {
      path: shown(scenarioPath),
      sha256: sha256(readFileSync(scenarioPath)),
      guests: guests.map((path) => ({ path: shown(path), sha256: sha256(readFileSync(path)) })),
    },
    host: hostInfo(),
    timingMode: scenario.timing.mode,
    seed: 0,
    commandLine: [...commandLine],
    date: new Date().toISOString(),
  };
}
