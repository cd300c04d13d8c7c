// A one-line progress indication on a terminal's stderr for runs that take more than a moment.

const START_AFTER_MS = 2000;
const EVERY_MS = 1000;

export class Progress {
  private readonly timer: NodeJS.Timeout | undefined;
  private shown = false;
  private readonly started = Date.now();
  private lastCount = 0;
  private lastTime = Date.now();

  constructor(private readonly out: NodeJS.WritableStream & { isTTY?: boolean }, private readonly instructions: () => number) {
    if (!out.isTTY) return;
    this.timer = setInterval(() => this.show(), EVERY_MS);
    this.timer.unref();
  }

  private show(): void {
    const now = Date.now();
    if (now - this.started < START_AFTER_MS) return;
    const count = this.instructions();
    const mips = (count - this.lastCount) / ((now - this.lastTime) * 1000);
    this.lastCount = count;
    this.lastTime = now;
    const seconds = ((now - this.started) / 1000).toFixed(0);
    this.out.write(`\r\x1b[K[tessera] ${seconds} s, ${(count / 1e6).toFixed(0)} M instructions, ${mips.toFixed(0)} MIPS`);
    this.shown = true;
  }

  stop(): void {
    clearInterval(this.timer);
    if (this.shown) this.out.write('\r\x1b[K');
  }
}
