// Target `scenario`: mutated scenarios/*.json (JSON-aware and raw byte mutations) through the
// scenario parser and validator; what it accepts must keep every partition apart.

import { mkdirSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadScenarioFile } from '../../engine/host/scenario-file.js';
import { parseScenarioText, type ScenarioResult, type ScenarioSource } from '../../engine/scenario/validate.js';
import { mutateBytes } from '../mutate/bytes.js';
import { mutateTree, toTree, writeTree } from '../mutate/json.js';
import type { Rng } from '../prng.js';
import { crash, notOneLine, type Executor, type FuzzInput, type InputGenerator, type Problem, type TargetContext, type TargetFactory } from '../target.js';
import { scenarioInvariantProblem } from './scenario-invariants.js';
import { guestSeeds, scenarioSeeds } from './seeds.js';

/** One execution in this many reads the scenario from a real file, guests from disk. */
const FROM_DISK_EVERY = 64;

export const scenarioTarget: TargetFactory = {
  name: 'scenario',
  description: 'mutated scenarios/*.json (JSON-aware and byte mutations) through the scenario parser and validator',
  hangSeconds: 20,
  inputs: (context) => new ScenarioInputs(context),
  open: (context) => Promise.resolve(new ScenarioExecutor(context)),
};

class ScenarioInputs implements InputGenerator {
  private readonly texts: string[];
  private readonly names: string[];
  private readonly encoder = new TextEncoder();

  constructor(context: TargetContext) {
    const seeds = scenarioSeeds(context.root);
    this.names = [...seeds.keys()];
    this.texts = [...seeds.values()];
  }

  generate(rng: Rng, execution: number): FuzzInput {
    const index = rng.below(this.texts.length);
    const seed = this.texts[index];
    const style = rng.weighted([[6, 'tree'], [2, 'tree+bytes'], [2, 'bytes']] as const);
    let bytes: Uint8Array;
    if (style === 'bytes') {
      bytes = mutateBytes(rng, this.encoder.encode(seed), this.encoder.encode(rng.pick(this.texts)));
    } else {
      const text = writeTree(mutateTree(rng, toTree(JSON.parse(seed))));
      bytes = this.encoder.encode(text);
      if (style === 'tree+bytes') bytes = mutateBytes(rng, bytes, this.encoder.encode(rng.pick(this.texts)), 1 + rng.below(2));
    }
    const disk = execution % FROM_DISK_EVERY === 0;
    return { bytes, ext: 'json', note: `${disk ? 'file' : 'text'} (from ${this.names[index]}; guest paths relative to scenarios/)` };
  }
}

class ScenarioExecutor implements Executor {
  private readonly decoder = new TextDecoder();
  private readonly memory: ScenarioSource;
  private readonly diskFolder: string;

  constructor(context: TargetContext) {
    const guests = guestSeeds(context.root);
    const guestDir = join(context.root, 'guests', 'bin');
    const baseDir = join(context.root, 'scenarios');
    // Guests come from memory: the fast path never touches the disk.
    this.memory = {
      baseDir,
      resolve: (base, relative) => resolve(base, relative),
      readFile: (path) => {
        const bytes = path.startsWith(guestDir + '/') ? guests.get(path.slice(guestDir.length + 1)) : undefined;
        if (bytes === undefined) throw new Error('no such file');
        return bytes;
      },
    };
    // The disk path: scenario files in a scratch folder whose ../guests is the repository's.
    this.diskFolder = join(context.scratch, 'scenarios');
    mkdirSync(this.diskFolder, { recursive: true });
    if (!existsSync(join(context.scratch, 'guests'))) symlinkSync(join(context.root, 'guests'), join(context.scratch, 'guests'));
  }

  execute(input: FuzzInput): Problem[] {
    let result: ScenarioResult;
    try {
      if (input.note?.startsWith('file')) {
        const path = join(this.diskFolder, 'fuzz.json');
        writeFileSync(path, input.bytes);
        result = loadScenarioFile(path);
      } else {
        result = parseScenarioText(this.decoder.decode(input.bytes), this.memory);
      }
    } catch (error) {
      return [crash('scenario validation', error)];
    }
    if ((result.scenario === undefined) === (result.errors.length === 0)) {
      return [{ kind: 'contract', summary: `scenario validation returned ${result.errors.length} errors ${result.scenario === undefined ? 'and no scenario' : 'and a scenario'}` }];
    }
    for (const line of result.errors) {
      const problem = notOneLine('scenario error', line);
      if (problem !== undefined) return [problem];
    }
    if (result.scenario !== undefined) {
      const broken = scenarioInvariantProblem(result.scenario);
      if (broken !== undefined) return [{ kind: 'breach', summary: `an accepted scenario breaks isolation or its own rules: ${broken}` }];
    }
    return [];
  }

  async close(): Promise<void> {}
}
