// Target `elf`: mutated guest ELF files through every path that loads one: parseElf, loadElf into a
// RAM buffer, an update's image check and a scenario's image-fit rule, which must all agree.

import { ElfError, loadElf, parseElf, type ElfImage } from '../../engine/loader/elf.js';
import { RAM_BASE } from '../../engine/memory/memory-map.js';
import { imageFitProblems } from '../../engine/scenario/image-fit.js';
import { validateScenario } from '../../engine/scenario/validate.js';
import { updateImage, UpdateError } from '../../engine/system/over-the-air.js';
import { mutateBytes } from '../mutate/bytes.js';
import { mutateElf } from '../mutate/elf.js';
import type { Rng } from '../prng.js';
import { crash, notOneLine, type Executor, type FuzzInput, type InputGenerator, type Problem, type TargetContext, type TargetFactory } from '../target.js';
import { guestSeeds } from './seeds.js';

const RAM_SIZES = [0x1000, 0x4000, 0x10000, 0x20000, 0x40000, 0x100000];
const CANARY = 0xa5;

export const elfTarget: TargetFactory = {
  name: 'elf',
  description: 'mutated guests/bin ELF files through parseElf, loadElf, the update image check and scenario validation',
  hangSeconds: 10,
  inputs: (context) => new ElfInputs(context),
  open: () => Promise.resolve(new ElfExecutor()),
};

class ElfInputs implements InputGenerator {
  private readonly seeds: Uint8Array[];
  private readonly names: string[];

  constructor(context: TargetContext) {
    const seeds = guestSeeds(context.root);
    this.names = [...seeds.keys()];
    this.seeds = [...seeds.values()];
  }

  generate(rng: Rng): FuzzInput {
    const index = rng.below(this.seeds.length);
    const donor = rng.pick(this.seeds);
    let bytes = this.seeds[index];
    const style = rng.weighted([[6, 'fields'], [3, 'bytes'], [1, 'both']] as const);
    if (style !== 'bytes') bytes = mutateElf(rng, bytes, donor);
    if (style !== 'fields') bytes = mutateBytes(rng, bytes, donor);
    const ramBytes = rng.pick(RAM_SIZES);
    return { bytes, ext: 'elf', note: `ram ${ramBytes} (from ${this.names[index]})` };
  }
}

class ElfExecutor implements Executor {
  private readonly ram = Buffer.alloc(Math.max(...RAM_SIZES));
  /** What RAM holds before a load; compared natively, a megabyte per execution costs little. */
  private readonly canary = Buffer.alloc(this.ram.length, CANARY);

  execute(input: FuzzInput): Problem[] {
    const ramBytes = Number(/^ram (\d+)/.exec(input.note ?? '')?.[1] ?? RAM_SIZES[0]);
    const problems: Problem[] = [];
    const add = (p: Problem | undefined) => { if (p !== undefined) problems.push(p); };

    let image: ElfImage | undefined;
    try {
      image = parseElf(input.bytes);
    } catch (error) {
      if (!(error instanceof ElfError)) return [crash('parseElf', error)];
      add(notOneLine('parseElf error', error.message));
    }
    const fits = image !== undefined && imageFitProblems(image, ramBytes).length === 0;
    if (image !== undefined) {
      try {
        add(this.load(image, ramBytes));
      } catch (error) {
        add(crash('loadElf', error));
      }
    }
    add(this.update(input.bytes, ramBytes, image !== undefined, fits));
    add(this.validate(input.bytes, ramBytes, image !== undefined, fits));
    return problems;
  }

  /** loadElf must refuse exactly what the fit rule refuses (the entry aside), and write nothing when it does. */
  private load(image: ElfImage, ramBytes: number): Problem | undefined {
    const ram = this.ram.subarray(0, ramBytes);
    ram.fill(CANARY);
    const unchanged = (start: number, end: number) => ram.subarray(start, end).equals(this.canary.subarray(start, end));
    const segmentsFit = imageFitProblems({ ...image, entry: RAM_BASE }, ramBytes).length === 0;
    let refused: string | undefined;
    try {
      loadElf(image, ram, RAM_BASE);
    } catch (error) {
      if (!(error instanceof ElfError)) throw error;
      refused = error.message;
    }
    if (refused !== undefined) {
      if (segmentsFit) return { kind: 'contract', summary: `loadElf refused an image the fit rule accepts: ${refused}` };
      if (!unchanged(0, ramBytes)) return { kind: 'breach', summary: `loadElf refused the image (${refused}) but changed RAM` };
      return notOneLine('loadElf error', refused);
    }
    if (!segmentsFit) return { kind: 'contract', summary: `loadElf loaded an image the fit rule refuses: ${imageFitProblems(image, ramBytes)[0]}` };
    // Outside every segment, RAM keeps what it held.
    const spans = image.segments.filter((g) => g.memSize > 0).map((g) => [g.paddr - RAM_BASE, g.paddr - RAM_BASE + g.memSize]).sort((a, b) => a[0] - b[0]);
    let at = 0;
    for (const [start, end] of [...spans, [ramBytes, ramBytes]]) {
      if (at < start && !unchanged(at, start)) return { kind: 'breach', summary: `loadElf wrote RAM in 0x${at.toString(16)}..0x${start.toString(16)}, outside every segment` };
      at = Math.max(at, end);
    }
    return undefined;
  }

  private update(bytes: Uint8Array, ramBytes: number, parsed: boolean, fits: boolean): Problem | undefined {
    try {
      updateImage(bytes, 'fuzz.elf', ramBytes);
      if (!fits) return { kind: 'contract', summary: 'the update image check accepted an image that does not fit or does not parse' };
    } catch (error) {
      if (!(error instanceof UpdateError)) return crash('updateImage', error);
      if (parsed && fits) return { kind: 'contract', summary: `the update image check refused a fitting image: ${error.message}` };
      return notOneLine('update image error', error.message);
    }
    return undefined;
  }

  private validate(bytes: Uint8Array, ramBytes: number, parsed: boolean, fits: boolean): Problem | undefined {
    const json = {
      name: 'fuzz', cores: 1, memory: 0x200000, scheduler: { policy: 'partitioned' },
      vms: [{ name: 'vm', guest: 'guest.elf', ram: ramBytes }],
    };
    try {
      const result = validateScenario(json, { baseDir: '/fuzz', resolve: (base, rel) => `${base}/${rel}`, readFile: () => bytes });
      for (const line of result.errors) {
        const problem = notOneLine('scenario error', line);
        if (problem !== undefined) return problem;
      }
      if ((result.errors.length === 0) !== (parsed && fits)) {
        return { kind: 'contract', summary: `scenario validation ${result.errors.length === 0 ? 'accepted' : 'refused'} a guest that parseElf and the fit rule ${parsed && fits ? 'accept' : 'refuse'}: ${result.errors[0] ?? ''}` };
      }
    } catch (error) {
      return crash('validateScenario', error);
    }
    return undefined;
  }

  async close(): Promise<void> {}
}
