// What a command reads, writes and listens to: the process's streams and signals, handed in by
// bin/tessera.js (tests hand in their own), so that engine/cli itself uses no Node global.

export interface CommandIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  /** Ctrl-C and SIGTERM (Node's `process`); without it a command leaves signals alone. */
  signals?: ProcessSignals;
}

export type StopSignal = 'SIGINT' | 'SIGTERM';

/** The part of Node's `process` a command needs to stop cleanly on a signal. */
export interface ProcessSignals {
  readonly pid: number;
  on(signal: StopSignal, listener: (signal: StopSignal) => void): unknown;
  once(signal: StopSignal, listener: (signal: StopSignal) => void): unknown;
  off(signal: StopSignal, listener: (signal: StopSignal) => void): unknown;
  /** With the command's listeners removed, ends the process as the signal's default action does. */
  kill(pid: number, signal: StopSignal): unknown;
}
