// Shared control words between the host and the core workers: exit requests, per-hart commands,
// status and wake-ups. Everything on the hot path goes through Atomics here, never through messages.

/** Why the machine stopped. */
export const enum ExitKind {
  None = 0,
  /** The guest ended through the test device or HTIF; `exitCode` is its verdict. */
  Guest = 1,
  /** The guest asked the board to reset (test device 0x7777). */
  Reset = 2,
  /** A hart is stuck in a trap loop. */
  TrapLoop = 3,
  /** A hart reached the instruction limit. */
  InstructionLimit = 4,
  /** The host stopped the machine (timeout, user request). */
  Host = 5,
}

export const enum HartStatus {
  NotStarted = 0,
  Running = 1,
  /** In WFI; nothing enabled can wake it except another hart or the host. */
  Parked = 2,
  Paused = 3,
  Stopped = 4,
}

export const enum HartCommand {
  Run = 0,
  Pause = 1,
}

const MACHINE_WORDS = 8;
const HART_WORDS = 4;
const EXIT_KIND = 0;
const EXIT_CODE = 1;
const EXIT_HART = 2;
const WAKE = 0;
const COMMAND = 1;
const STATUS = 2;
const PARKED_ON = 3; // the wake sequence a parked hart went to sleep on

export class CoreControl {
  private readonly words: Int32Array;
  /** Per-hart progress published after every slice: [instret, cycles] as doubles. */
  private readonly progress: Float64Array;

  static create(harts: number): { control: SharedArrayBuffer; progress: SharedArrayBuffer } {
    return {
      control: new SharedArrayBuffer((MACHINE_WORDS + harts * HART_WORDS) * 4),
      progress: new SharedArrayBuffer(harts * 2 * 8),
    };
  }

  constructor(readonly buffers: { control: SharedArrayBuffer; progress: SharedArrayBuffer }) {
    this.words = new Int32Array(buffers.control);
    this.progress = new Float64Array(buffers.progress);
  }

  get harts(): number {
    return (this.words.length - MACHINE_WORDS) / HART_WORDS;
  }

  /** Records the first exit request (later ones lose) and wakes every hart so they all stop. */
  requestExit(kind: ExitKind, code: number, hart: number): boolean {
    if (Atomics.compareExchange(this.words, EXIT_KIND, ExitKind.None, kind) !== ExitKind.None) return false;
    Atomics.store(this.words, EXIT_CODE, code | 0);
    Atomics.store(this.words, EXIT_HART, hart);
    for (let h = 0; h < this.harts; h++) this.wake(h);
    return true;
  }

  exitKind(): ExitKind {
    return Atomics.load(this.words, EXIT_KIND);
  }

  exitCode(): number {
    return Atomics.load(this.words, EXIT_CODE);
  }

  exitHart(): number {
    return Atomics.load(this.words, EXIT_HART);
  }

  clearExit(): void {
    Atomics.store(this.words, EXIT_CODE, 0);
    Atomics.store(this.words, EXIT_KIND, ExitKind.None);
  }

  private at(hart: number, word: number): number {
    return MACHINE_WORDS + hart * HART_WORDS + word;
  }

  /** Wakes a hart sleeping in Atomics.wait (parked in WFI or paused). */
  wake(hart: number): void {
    const i = this.at(hart, WAKE);
    Atomics.add(this.words, i, 1);
    Atomics.notify(this.words, i);
  }

  wakeSequence(hart: number): number {
    return Atomics.load(this.words, this.at(hart, WAKE));
  }

  /** Sleeps until woken (or `timeoutMs` passes) unless the wake sequence already moved past `seen`. */
  sleep(hart: number, seen: number, timeoutMs = Infinity): void {
    Atomics.wait(this.words, this.at(hart, WAKE), seen, timeoutMs);
  }

  command(hart: number): HartCommand {
    return Atomics.load(this.words, this.at(hart, COMMAND));
  }

  setCommand(hart: number, command: HartCommand): void {
    Atomics.store(this.words, this.at(hart, COMMAND), command);
    this.wake(hart);
  }

  status(hart: number): HartStatus {
    return Atomics.load(this.words, this.at(hart, STATUS));
  }

  setStatus(hart: number, status: HartStatus): void {
    Atomics.store(this.words, this.at(hart, STATUS), status);
  }

  /** Marks the hart parked in WFI, asleep on wake sequence `seen`. */
  park(hart: number, seen: number): void {
    Atomics.store(this.words, this.at(hart, PARKED_ON), seen);
    this.setStatus(hart, HartStatus.Parked);
  }

  /**
   * Parked and not woken since: a hart that was woken but whose thread has not run yet (a loaded
   * host may take a while to schedule it) still counts as parked by status, not by this.
   */
  parkedAndAsleep(hart: number): boolean {
    return this.status(hart) === HartStatus.Parked && this.wakeSequence(hart) === Atomics.load(this.words, this.at(hart, PARKED_ON));
  }

  publish(hart: number, instret: number, cycles: number): void {
    this.progress[hart * 2] = instret;
    this.progress[hart * 2 + 1] = cycles;
  }

  instret(hart: number): number {
    return this.progress[hart * 2];
  }

  cycles(hart: number): number {
    return this.progress[hart * 2 + 1];
  }
}
