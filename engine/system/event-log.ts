// The lifecycle event log of a system: every event in time order, each with its virtual and wall time.

/** What happened to a VM, when (virtual cycles and wall milliseconds since the system started). */
export interface SystemEvent {
  time: number;
  wallMs: number;
  vm: string;
  kind: 'started' | 'paused' | 'resumed' | 'stopped' | 'restarted' | 'destroyed' | 'wiped' | 'fault' | 'halted' | 'exited' | 'ready' | 'reset'
    | 'update-started' | 'update-switched' | 'update-rolled-back';
  detail?: string;
}

export class EventLog {
  private readonly list: SystemEvent[] = [];
  private lastTime = 0;

  constructor(private readonly wallMs: () => number, private readonly onEvent: (event: SystemEvent) => void) {}

  /**
   * Logs an event. Its time never precedes the previous event's: cores keep their clocks only
   * within a quantum of each other, so an event a core records may carry a slightly earlier time
   * than one logged already; it is logged at the later time.
   */
  add(vm: string, kind: SystemEvent['kind'], at: number, detail?: string): void {
    const time = Math.max(at, this.lastTime);
    this.lastTime = time;
    const event: SystemEvent = { time, wallMs: this.wallMs(), vm, kind, ...(detail !== undefined ? { detail } : {}) };
    this.list.push(event);
    this.onEvent(event);
  }

  get events(): readonly SystemEvent[] {
    return this.list;
  }
}
