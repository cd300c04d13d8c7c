// The flags of `npm run fuzz`.

import { parseArgs } from 'node:util';
import type { TargetFactory } from './target.js';
import { TARGETS, targetNamed } from './targets/index.js';

export const USAGE = `usage: npm run fuzz -- [--seconds N] [--executions N] [--seed S] [--target NAME]... [--out DIR] [--replay N] [--no-known]

  --seconds N     wall-clock budget of the whole run, shared evenly by the targets (default 60
                  unless --executions is given)
  --executions N  executions per target (with --seconds, whichever ends first)
  --seed S        the seed (0..4294967295; default: a random one, printed); with the execution
                  number it makes every input again
  --target NAME   run only this target (repeatable, or comma-separated): ${TARGETS.map((t) => t.name).join(', ')}
  --out DIR       where reproducers go (default test-results/fuzz)
  --replay N      run execution N only (with --target and --seed): a finding's replay
  --no-known      report the known engine issues (fuzz/known-issues.ts) as findings too

Exit code: 0 no findings, 1 findings, 2 usage error.`;

export interface FuzzArgs {
  seconds?: number;
  executions?: number;
  seed: number;
  seedGiven: boolean;
  targets: TargetFactory[];
  outDir: string;
  first?: number;
  useKnownIssues: boolean;
  help: boolean;
}

export class UsageError extends Error {}

export function parseFuzzArgs(argv: string[]): FuzzArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        seconds: { type: 'string' }, executions: { type: 'string' }, seed: { type: 'string' }, target: { type: 'string', multiple: true },
        out: { type: 'string' }, replay: { type: 'string' }, 'no-known': { type: 'boolean' }, help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const number = (name: string, text: string | undefined, min: number, max: number) => {
    if (text === undefined) return undefined;
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n) || n < min || n > max || (name !== 'seconds' && !Number.isInteger(n))) throw new UsageError(`--${name} must be a number from ${min} to ${max}, got '${text}'`);
    return n;
  };
  const names = (values.target ?? []).flatMap((t) => t.split(',')).filter((t) => t !== '');
  const targets = names.map((name) => {
    const target = targetNamed(name);
    if (target === undefined) throw new UsageError(`unknown target '${name}' (targets: ${TARGETS.map((t) => t.name).join(', ')})`);
    return target;
  });
  const seed = number('seed', values.seed, 0, 2 ** 32 - 1);
  const replay = number('replay', values.replay, 0, Number.MAX_SAFE_INTEGER);
  if (replay !== undefined && (seed === undefined || targets.length !== 1)) throw new UsageError('--replay needs --seed and exactly one --target');
  let seconds = number('seconds', values.seconds, 0.001, 1e9);
  let executions = number('executions', values.executions, 1, Number.MAX_SAFE_INTEGER);
  if (replay !== undefined) executions = 1;
  if (seconds === undefined && executions === undefined) seconds = 60;
  return {
    ...(seconds !== undefined ? { seconds } : {}),
    ...(executions !== undefined ? { executions } : {}),
    ...(replay !== undefined ? { first: replay } : {}),
    seed: seed ?? Math.floor(Math.random() * 2 ** 32),
    seedGiven: seed !== undefined,
    targets: targets.length > 0 ? targets : [...TARGETS],
    outDir: values.out ?? 'test-results/fuzz',
    useKnownIssues: values['no-known'] !== true,
    help: values.help === true,
  };
}
