// A word list with labels for the fuzzer's hand-made guests: branches and jumps name a label and
// are patched once every label is known.

import { bType, jal, li } from './encode.js';

type Fixup = { at: number; label: string; make: (offset: number) => number };

export class Asm {
  private readonly words: number[] = [];
  private readonly labels = new Map<string, number>();
  private readonly fixups: Fixup[] = [];

  constructor(readonly base: number) {}

  get here(): number {
    return this.base + this.words.length * 4;
  }

  emit(...words: number[]): this {
    this.words.push(...words);
    return this;
  }

  li(rd: number, value: number): this {
    return this.emit(...li(rd, value));
  }

  label(name: string): this {
    this.labels.set(name, this.words.length * 4);
    return this;
  }

  /** A conditional branch (funct3: beq 0, bne 1, blt 4, bge 5, bltu 6, bgeu 7) to a label. */
  branch(f3: number, rs1: number, rs2: number, label: string): this {
    this.fixups.push({ at: this.words.length, label, make: (offset) => bType(f3, rs1, rs2, offset) });
    return this.emit(0);
  }

  jump(rd: number, label: string): this {
    this.fixups.push({ at: this.words.length, label, make: (offset) => jal(rd, offset) });
    return this.emit(0);
  }

  /** The address a label stands for. */
  address(label: string): number {
    const at = this.labels.get(label);
    if (at === undefined) throw new Error(`no label ${label}`);
    return this.base + at;
  }

  assemble(): number[] {
    for (const f of this.fixups) this.words[f.at] = f.make(this.address(f.label) - (this.base + f.at * 4));
    return [...this.words];
  }
}
