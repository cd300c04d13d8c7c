// `npm run fuzz`: runs the fuzz targets against the engine, prints executions per target and
// every finding with its reproducer, and exits non-zero on any finding.

import { availableParallelism, cpus } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseFuzzArgs, UsageError, USAGE, type FuzzArgs } from './args.js';
import { runCampaign } from './campaign.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

async function main(argv: string[]): Promise<number> {
  let args: FuzzArgs;
  try {
    args = parseFuzzArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`fuzz: ${error.message}\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n\ntargets:\n${args.targets.map((t) => `  ${t.name.padEnd(10)} ${t.description}`).join('\n')}\n`);
    return 0;
  }
  const budget = [args.seconds !== undefined ? `${args.seconds} s` : '', args.executions !== undefined ? `${args.executions} executions per target` : ''].filter(Boolean).join(', at most ');
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(`fuzz: seed ${args.seed}${args.seedGiven ? '' : ` (random; --seed ${args.seed} repeats this run)`}, targets ${args.targets.map((t) => t.name).join(', ')}, ${budget}`);
  console.log(`fuzz: on ${cpu}, ${availableParallelism()} CPUs, Node ${process.versions.node}; reproducers in ${resolve(args.outDir)}`);
  const started = performance.now();
  const report = await runCampaign({
    targets: args.targets, seed: args.seed, root: ROOT, outDir: args.outDir, useKnownIssues: args.useKnownIssues,
    ...(args.seconds !== undefined ? { seconds: args.seconds } : {}),
    ...(args.executions !== undefined ? { executions: args.executions } : {}),
    ...(args.first !== undefined ? { first: args.first } : {}),
    log: (line) => console.log(line),
  });
  const seconds = (performance.now() - started) / 1000;
  const total = report.runs.reduce((n, r) => n + r.executions, 0);
  console.log(`fuzz: ${total.toLocaleString('en-US')} executions in ${seconds.toFixed(1)} s (${(total / seconds).toFixed(1)}/s overall)`);
  const fresh = report.findings.fresh();
  for (const group of report.findings.known()) console.log(`known issue (${group.count}x): ${group.first.summary} — ${group.first.known!.why}`);
  if (fresh.length === 0) {
    console.log('fuzz: no findings');
    return 0;
  }
  console.log(`fuzz: ${fresh.reduce((n, g) => n + g.count, 0)} findings of ${fresh.length} kinds:`);
  for (const group of fresh) console.log(`  ${group.count}x ${group.first.kind} in ${group.first.target}: ${group.first.summary}${group.first.file !== undefined ? ` (${group.first.file})` : ''}`);
  return 1;
}

process.exitCode = await main(process.argv.slice(2));
