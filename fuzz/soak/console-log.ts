// Reads a `tessera run SCENARIO.json` transcript: console lines (`[vm] text`, stdout) and lifecycle
// events (`tessera: 1.234567 s: vm: kind (detail)`, stderr), each event with its virtual time.

export interface ConsoleLine {
  vm: string;
  text: string;
}

export interface RunEvent {
  /** Virtual seconds. */
  time: number;
  vm: string;
  kind: string;
  detail?: string;
}

const CONSOLE = /^\[([a-z][a-z0-9-]*)\] (.*)$/;
const EVENT = /^tessera: (\d+(?:\.\d+)?) s: ([a-z][a-z0-9-]*): ([a-z-]+)(?: \((.*)\))?$/;

export function consoleLines(stdout: string): ConsoleLine[] {
  return stdout.split('\n').flatMap((line) => {
    const m = CONSOLE.exec(line);
    return m === null ? [] : [{ vm: m[1], text: m[2] }];
  });
}

export function runEvents(stderr: string): RunEvent[] {
  return stderr.split('\n').flatMap((line) => {
    const m = EVENT.exec(line);
    return m === null ? [] : [{ time: Number(m[1]), vm: m[2], kind: m[3], ...(m[4] !== undefined ? { detail: m[4] } : {}) }];
  });
}
