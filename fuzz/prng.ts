// The fuzzer's seeded random numbers: sfc32 keyed by (seed, target, execution), so any one execution
// is regenerated from those three numbers alone. Hand-written rather than a package: Math.random
// cannot be seeded, and a reproducer must mean the same input for as long as the harness exists.

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** The generator of one execution: independent of every other execution's. */
  static forExecution(seed: number, target: string, execution: number): Rng {
    let h = mix32(seed >>> 0);
    for (let i = 0; i < target.length; i++) h = mix32(h ^ target.charCodeAt(i));
    // Executions beyond 2^32 still differ: the high part is mixed in separately.
    return new Rng(h, mix32(h ^ (execution >>> 0)), mix32(h + Math.floor(execution / 2 ** 32)), 0x9e3779b9);
  }

  constructor(a: number, b: number, c: number, d: number) {
    this.a = a >>> 0;
    this.b = b >>> 0;
    this.c = c >>> 0;
    this.d = d >>> 0;
    for (let i = 0; i < 12; i++) this.u32();
  }

  /** A uniform unsigned 32-bit integer. */
  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** An integer in [0, n) for n >= 1 (n up to 2^32). */
  below(n: number): number {
    return Math.floor((this.u32() / 2 ** 32) * n);
  }

  /** An integer in [min, max]. */
  between(min: number, max: number): number {
    return min + this.below(max - min + 1);
  }

  chance(probability: number): boolean {
    return this.u32() / 2 ** 32 < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)];
  }

  /** Picks by weight: `choices` are [weight, value] pairs. */
  weighted<T>(choices: readonly (readonly [number, T])[]): T {
    let total = 0;
    for (const [w] of choices) total += w;
    let at = this.u32() / 2 ** 32 * total;
    for (const [w, value] of choices) {
      if (at < w) return value;
      at -= w;
    }
    return choices[choices.length - 1][1];
  }

  /** Small sizes far more often than large ones: 2^(0..bits) scaled. */
  size(maxBits: number): number {
    return this.below(2 ** this.below(maxBits + 1) + 1);
  }

  bytes(length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i += 4) {
      let v = this.u32();
      for (let k = 0; k < 4 && i + k < length; k++, v >>>= 8) out[i + k] = v & 0xff;
    }
    return out;
  }
}

/** A 32-bit finaliser (murmur3's), to spread a seed's bits before sfc32 starts. */
function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}
