// The flags of `npm run soak`.

import { parseArgs } from 'node:util';

export const SOAK_USAGE = `usage: npm run soak -- [--minutes N] [--interval SECONDS] [--pause VMS] [--restart VMS] [--wipe VMS] [--no-update] [--max-rss-growth MIB] [--out DIR]

Runs scenarios/phone.json through the real CLI (tessera run ... --control SOCKET --json FILE) and
drives it over the control socket: firmware updates of pin (pin-v2.elf, then back to pin.elf),
pauses and resumes, wipes followed by a restart, restarts. Then checks that no message was lost,
that the baseband missed no deadline and that memory stayed flat.

  --minutes N            length of the run (default 5)
  --interval SECONDS     wall-clock time between two actions (default 5)
  --pause VMS            VMs to pause and resume, in turn (default rich,pin,baseband: a paused VM's
                         timers and watchdog stand still, so the baseband resumes on time)
  --restart VMS          VMs to restart, in turn (default rich,pin)
  --wipe VMS             VMs to wipe and then restart, in turn (default pin)
  --no-update            no firmware updates of pin
  --max-rss-growth MIB   allowed growth of resident memory after warm-up (default 32)
  --out DIR              where the transcript, the JSON report and the RSS samples go (default test-results/soak)

Exit code: 0 every check passed, 1 a check failed, 2 usage error.`;

export interface SoakArgs {
  minutes: number;
  interval: number;
  pause: string[];
  restart: string[];
  wipe: string[];
  update: boolean;
  maxRssGrowthBytes: number;
  outDir: string;
  help: boolean;
}

export class SoakUsageError extends Error {}

const PHONE_VMS = ['baseband', 'pin', 'rich'];

export function parseSoakArgs(argv: string[]): SoakArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        minutes: { type: 'string' }, interval: { type: 'string' }, pause: { type: 'string' }, restart: { type: 'string' }, wipe: { type: 'string' },
        'no-update': { type: 'boolean' }, 'max-rss-growth': { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    throw new SoakUsageError((error as Error).message);
  }
  const number = (name: string, text: string | undefined, fallback: number, min: number) => {
    if (text === undefined) return fallback;
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n) || n < min) throw new SoakUsageError(`--${name} must be a number of at least ${min}, got '${text}'`);
    return n;
  };
  const vms = (name: string, text: string | undefined, fallback: string[]) => {
    if (text === undefined) return fallback;
    const list = text.split(',').filter((v) => v !== '');
    const unknown = list.find((v) => !PHONE_VMS.includes(v));
    if (unknown !== undefined) throw new SoakUsageError(`--${name}: no VM '${unknown}' in phone.json (${PHONE_VMS.join(', ')})`);
    return list;
  };
  return {
    minutes: number('minutes', values.minutes, 5, 0.1),
    interval: number('interval', values.interval, 5, 1),
    pause: vms('pause', values.pause, ['rich', 'pin', 'baseband']),
    restart: vms('restart', values.restart, ['rich', 'pin']),
    wipe: vms('wipe', values.wipe, ['pin']),
    update: values['no-update'] !== true,
    maxRssGrowthBytes: number('max-rss-growth', values['max-rss-growth'], 32, 0) * 2 ** 20,
    outDir: values.out ?? 'test-results/soak',
    help: values.help === true,
  };
}
