// What the soak does to the running phone, in turn: update pin to version 2, pause and resume a
// VM, wipe a VM and restart it, update pin back to version 1, restart a VM; each through the CLI
// (`tessera update|wipe|vm ... --control SOCKET`), as a user would.

import { execFile } from 'node:child_process';
import { join } from 'node:path';
import type { SoakArgs } from './args.js';

export interface ActionResult {
  /** Wall seconds since the run started. */
  at: number;
  command: string;
  code: number;
  /** The command's output, first line. */
  said: string;
}

/** One step: one or more commands with pauses between them. */
type Step = { label: string; commands: { args: string[]; thenWait?: number }[] };

export class ActionPlan {
  private index = 0;
  private readonly turns = new Map<string, number>();

  constructor(private readonly args: SoakArgs, private readonly root: string) {}

  /** The next step; the cycle skips what the flags leave empty. */
  next(): Step {
    const kinds = [
      this.args.update ? () => this.update('pin-v2.elf') : undefined,
      this.args.pause.length > 0 ? () => { const vm = this.turn('pause', this.args.pause); return { label: `pause ${vm}`, commands: [{ args: ['vm', 'pause', vm], thenWait: this.args.interval / 2 }, { args: ['vm', 'resume', vm] }] }; } : undefined,
      this.args.wipe.length > 0 ? () => { const vm = this.turn('wipe', this.args.wipe); return { label: `wipe ${vm}`, commands: [{ args: ['wipe', vm], thenWait: 1 }, { args: ['vm', 'restart', vm] }] }; } : undefined,
      this.args.update ? () => this.update('pin.elf') : undefined,
      this.args.restart.length > 0 ? () => { const vm = this.turn('restart', this.args.restart); return { label: `restart ${vm}`, commands: [{ args: ['vm', 'restart', vm] }] }; } : undefined,
    ].filter((k) => k !== undefined);
    if (kinds.length === 0) return { label: 'nothing', commands: [] };
    return kinds[this.index++ % kinds.length]();
  }

  private update(image: string): Step {
    return { label: `update pin to ${image}`, commands: [{ args: ['update', 'pin', join(this.root, 'guests', 'bin', image)] }] };
  }

  private turn(kind: string, list: readonly string[]): string {
    const n = this.turns.get(kind) ?? 0;
    this.turns.set(kind, n + 1);
    return list[n % list.length];
  }
}

/** Runs `tessera ARGS --control SOCKET` and resolves with its exit code and first line of output. */
export function tesseraCommand(root: string, socket: string, args: string[]): Promise<{ code: number; said: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(root, 'bin', 'tessera.js'), ...args, '--control', socket], { cwd: root, timeout: 120_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, said: `${stdout}${stderr}`.trim().split('\n', 1)[0] ?? '' });
    });
  });
}
