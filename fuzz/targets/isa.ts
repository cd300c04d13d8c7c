// Target `isa`: random instruction streams booted as the new version of the VM `fuzz` (an update
// into its second slot, which rolls back when the stream never reports ready) beside a watched
// neighbour. One System serves many streams; each stream is one execution.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UpdateError } from '../../engine/system/over-the-air.js';
import type { Rng } from '../prng.js';
import { streamElf } from '../rv/stream.js';
import { firstLine, type Executor, type FuzzInput, type Problem, type TargetContext, type TargetFactory } from '../target.js';
import { FuzzSystem, STREAM_SHAPE } from './fuzz-system.js';

/**
 * Virtual cycles a stream may run before its update rolls back (it never reports ready, mostly):
 * short, since a stream that faults on every instruction runs at well under a MIPS.
 */
const RUN_CYCLES = [[5, 10_000], [3, 50_000], [1, 200_000]] as const;

export const isaTarget: TargetFactory = {
  name: 'isa',
  description: 'random RV32IMAC/Zicsr/privileged streams in a VM beside a neighbour whose partition, console and figures are checked',
  hangSeconds: 60,
  inputs: () => ({ generate: generateStream }),
  open: (context) => Promise.resolve(new IsaExecutor(context)),
};

function generateStream(rng: Rng): FuzzInput {
  const cycles = rng.weighted(RUN_CYCLES);
  const { elf, variant } = streamElf(rng, STREAM_SHAPE);
  return { bytes: elf, ext: 'elf', note: `run ${cycles} cycles: ${variant}` };
}

class IsaExecutor implements Executor {
  private system: FuzzSystem | undefined;
  private readonly path: string;

  constructor(private readonly context: TargetContext) {
    this.path = join(context.scratch, 'stream.elf');
  }

  async execute(input: FuzzInput): Promise<Problem[]> {
    this.system ??= await FuzzSystem.start(this.context.scratch);
    const system = this.system;
    const cycles = Number(/^run (\d+)/.exec(input.note ?? '')?.[1] ?? RUN_CYCLES[0][1]);
    writeFileSync(this.path, input.bytes);
    const problems: Problem[] = [];
    let switched = false;
    try {
      await system.system.update('fuzz', this.path, { readyTimeout: cycles });
      switched = true;
    } catch (error) {
      if (!(error instanceof UpdateError && error.rolledBack)) problems.push({ kind: 'crash', summary: `update threw ${firstLine(error)}`, detail: (error as Error).stack });
      else if (/[\r\n]/.test(error.message)) problems.push({ kind: 'contract', summary: `the rollback's error is not one line: ${JSON.stringify(error.message.slice(0, 120))}` });
    }
    problems.push(...system.check());
    // A stream that reported ready now serves (rare); a finding leaves the system suspect. Start afresh.
    if (switched || problems.length > 0) await this.restart();
    return problems;
  }

  private async restart(): Promise<void> {
    const old = this.system;
    this.system = undefined;
    await old?.close();
  }

  async close(): Promise<void> {
    await this.restart();
  }
}
