// `npm run soak`: scenarios/phone.json through the real CLI for N minutes with firmware updates,
// pauses, wipes and restarts over its control socket; then every message accounted for, no
// deadline missed, memory flat. Prints a report; exits 1 when a check fails.

import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ActionPlan, tesseraCommand, type ActionResult } from './actions.js';
import { parseSoakArgs, SOAK_USAGE, SoakUsageError, type SoakArgs } from './args.js';
import { consoleLines, runEvents } from './console-log.js';
import { baseband, faults, incidents, pinCalls, type Check } from './phone-checks.js';
import { readRss, rssVerdict, type RssSample } from './rss.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const MIB = 2 ** 20;

async function main(argv: string[]): Promise<number> {
  let args: SoakArgs;
  try {
    args = parseSoakArgs(argv);
  } catch (error) {
    if (!(error instanceof SoakUsageError)) throw error;
    process.stderr.write(`soak: ${error.message}\n${SOAK_USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${SOAK_USAGE}\n`);
    return 0;
  }
  const out = resolve(args.outDir);
  mkdirSync(out, { recursive: true });
  const socket = join(out, 'control.sock');
  const jsonPath = join(out, 'phone-report.json');
  rmSync(jsonPath, { force: true });
  console.log(`soak: scenarios/phone.json for ${args.minutes} min on ${cpus()[0]?.model ?? 'unknown CPU'} (${cpus().length} CPUs), Node ${process.versions.node}; an action every ${args.interval} s`);
  console.log(`soak: pause ${args.pause.join(',') || 'nothing'}; restart ${args.restart.join(',') || 'nothing'}; wipe and restart ${args.wipe.join(',') || 'nothing'}; ${args.update ? 'update pin to v2 and back' : 'no updates'}; files in ${out}`);

  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'tessera.js'), 'run', join(ROOT, 'scenarios', 'phone.json'), '--control', socket, '--json', jsonPath], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const transcript = createWriteStream(join(out, 'transcript.txt'));
  child.stdout.setEncoding('utf8').on('data', (text: string) => { stdout += text; transcript.write(text); });
  child.stderr.setEncoding('utf8').on('data', (text: string) => { stderr += text; transcript.write(text); });
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  let running = true;
  void exited.then(() => { running = false; });

  const samples: RssSample[] = [];
  const sampler = setInterval(() => {
    const bytes = readRss(child.pid!);
    if (bytes !== undefined) samples.push({ seconds: seconds(), bytes });
  }, 1000);

  const actions: ActionResult[] = [];
  const sleep = (s: number) => new Promise((done) => setTimeout(done, s * 1000));
  // The socket exists once the run serves commands.
  while (running && !existsSync(socket) && seconds() < 60) await sleep(0.1);
  const plan = new ActionPlan(args, ROOT);
  const end = args.minutes * 60;
  await sleep(Math.min(args.interval, end / 4));
  while (running && seconds() + args.interval < end) {
    const step = plan.next();
    for (const command of step.commands) {
      const at = seconds();
      const result = await tesseraCommand(ROOT, socket, command.args);
      actions.push({ at, command: `tessera ${command.args.map((a) => a.replace(ROOT, '')).join(' ')}`, ...result });
      if (result.code !== 0) console.log(`soak: ${at.toFixed(0)} s: tessera ${command.args.join(' ')} exited ${result.code}: ${result.said}`);
      if (command.thenWait !== undefined) await sleep(command.thenWait);
    }
    await sleep(args.interval);
  }
  while (running && seconds() < end) await sleep(0.2);
  child.kill('SIGINT');
  const code = await exited;
  clearInterval(sampler);
  transcript.end();
  writeFileSync(join(out, 'rss.csv'), `seconds,bytes\n${samples.map((s) => `${s.seconds.toFixed(1)},${s.bytes}`).join('\n')}\n`);

  const checks = verdicts(args, code, stdout, stderr, jsonPath, actions, samples);
  const virtual = readVirtualSeconds(jsonPath);
  console.log(`soak: ran ${seconds().toFixed(0)} s of wall time${virtual !== undefined ? `, ${virtual.toFixed(1)} s of virtual time` : ''}; ${actions.length} commands`);
  for (const check of checks) console.log(`${check.ok ? 'PASS' : 'FAIL'} ${check.name.padEnd(15)} ${check.detail}`);
  const failed = checks.filter((c) => !c.ok);
  console.log(failed.length === 0 ? 'soak: passed' : `soak: ${failed.length} checks failed (transcript: ${join(out, 'transcript.txt')})`);
  return failed.length === 0 ? 0 : 1;
}

function readVirtualSeconds(jsonPath: string): number | undefined {
  try {
    return (JSON.parse(readFileSync(jsonPath, 'utf8')) as { virtualSeconds: number }).virtualSeconds;
  } catch {
    return undefined;
  }
}

function verdicts(args: SoakArgs, code: number | null, stdout: string, stderr: string, jsonPath: string, actions: ActionResult[], samples: RssSample[]): Check[] {
  const lines = consoleLines(stdout);
  const events = runEvents(stderr);
  const checks: Check[] = [runCheck(code, jsonPath)];
  const refused = actions.filter((a) => a.code !== 0);
  checks.push(refused.length === 0
    ? { name: 'commands', ok: actions.length > 0, detail: actions.length > 0 ? `${actions.length} commands, all done (${summarise(actions)})` : 'no command was sent (run longer than two intervals)' }
    : { name: 'commands', ok: false, detail: `${refused.length} of ${actions.length} failed; first: ${refused[0].command} exited ${refused[0].code}: ${refused[0].said}` });
  checks.push(faults(events), pinCalls(lines, events), ...baseband(lines, events), incidents(lines));
  const rss = rssVerdict(samples, args.maxRssGrowthBytes);
  const mib = (b: number) => `${(b / MIB).toFixed(0)} MiB`;
  checks.push(rss === undefined
    ? { name: 'memory', ok: false, detail: 'no RSS sample (not Linux?)' }
    : {
      name: 'memory', ok: rss.ok,
      detail: `RSS first ${mib(rss.first)}, peak ${mib(rss.peak)}, last ${mib(rss.last)}; median ${mib(rss.baseline)} after warm-up, ${mib(rss.end)} in the last minute (${rss.end >= rss.baseline ? '+' : ''}${((rss.end - rss.baseline) / MIB).toFixed(1)} MiB, bound ${mib(args.maxRssGrowthBytes)})`,
    });
  return checks;
}

/** The run ended cleanly on SIGINT, wrote its report, and every VM was running at the end. */
function runCheck(code: number | null, jsonPath: string): Check {
  if (code !== 0) return { name: 'run', ok: false, detail: `tessera run exited with ${code}` };
  let report: { vms: { name: string; state: string }[]; failed: string[] };
  try {
    report = JSON.parse(readFileSync(jsonPath, 'utf8')) as typeof report;
  } catch (error) {
    return { name: 'run', ok: false, detail: `no JSON report: ${(error as Error).message}` };
  }
  const down = report.vms.filter((v) => v.state !== 'running');
  if (down.length > 0 || report.failed.length > 0) return { name: 'run', ok: false, detail: `at the end: ${report.vms.map((v) => `${v.name} ${v.state}`).join(', ')}; failed: ${report.failed.join(', ') || 'none'}` };
  return { name: 'run', ok: true, detail: 'exit 0 on SIGINT; every VM running at the end, none failed against its policy' };
}

function summarise(actions: readonly ActionResult[]): string {
  const counts = new Map<string, number>();
  for (const a of actions) {
    const words = a.command.split(' ');
    const verb = words[1] === 'vm' ? words[2] : words[1];
    counts.set(verb, (counts.get(verb) ?? 0) + 1);
  }
  return [...counts].map(([verb, n]) => `${n} ${verb}`).join(', ');
}

process.exitCode = await main(process.argv.slice(2));
