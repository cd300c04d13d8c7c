// Measures how the page keeps up: the interval between animation frames, and the time spent taking in
// and drawing each batch of samples. Shown in the footer and read by the end-to-end tests.

import { setText } from './dom.js';

/** Figures cover about the last 5 seconds: the steady state, not the start-up. */
const KEEP_FRAMES = 300;
const KEEP_BATCHES = 50;

function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export class FrameMeter {
  private readonly frames: number[] = [];
  private readonly work: number[] = [];
  private last: number | undefined;
  private samples = 0;
  private readonly panelMs = new Map<string, number>();

  constructor(private readonly footer: HTMLElement) {
    const tick = (now: number) => {
      if (this.last !== undefined) this.keep(this.frames, now - this.last, KEEP_FRAMES);
      this.last = now;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }

  /** Runs one panel's work, adding its time to that panel's total (shown per panel in the footer's data). */
  timePanel(name: string, work: () => void): void {
    const began = performance.now();
    work();
    this.panelMs.set(name, (this.panelMs.get(name) ?? 0) + performance.now() - began);
  }

  /** Records the milliseconds one batch of samples cost to apply and draw. */
  recordWork(ms: number, samples: number): void {
    this.keep(this.work, ms, KEEP_BATCHES);
    this.samples += samples;
  }

  private keep(list: number[], value: number, limit: number): void {
    list.push(value);
    if (list.length > limit) list.shift();
  }

  show(seq: number, sampleHz: number): void {
    const f = this.footer.dataset;
    f.seq = String(seq);
    f.samples = String(this.samples);
    f.frameP50 = percentile(this.frames, 50).toFixed(2);
    f.frameP95 = percentile(this.frames, 95).toFixed(2);
    f.frameMax = Math.max(0, ...this.frames).toFixed(2);
    f.workAvg = (this.work.reduce((a, b) => a + b, 0) / Math.max(1, this.work.length)).toFixed(2);
    f.workP95 = percentile(this.work, 95).toFixed(2);
    f.workMax = Math.max(0, ...this.work).toFixed(2);
    f.panelMs = JSON.stringify(Object.fromEntries([...this.panelMs].map(([name, ms]) => [name, +(ms / Math.max(1, this.samples)).toFixed(2)])));
    setText(this.footer, `sample #${seq} · ${sampleHz}/s · update ${f.workAvg} ms (p95 ${f.workP95}) · frame p50 ${f.frameP50} ms, p95 ${f.frameP95} ms`);
  }
}
