// The execution trace as Chrome Trace Event JSON, which ui.perfetto.dev and chrome://tracing open,
// produced in text chunks so a long run streams to a file instead of piling up in memory.
//
// Layout: process "cores" with a thread (track) per emulated core carrying the vCPU runs ('X'),
// interrupts (thread instants), and IPC as flow arrows; process "VMs" with a track per VM carrying
// its lifecycle events. Timestamps are microseconds of virtual time. Thread ids count from 0 within
// each process (Perfetto keys threads by pid and tid; older importers named them by tid alone).
//
// Flows follow Perfetto's JSON importer: a v1 flow event ('s', or 'f' with "bp":"e") binds to the
// slice on top of its thread's stack when it is imported, and events of equal ts are imported
// longest-duration first, then in file order. A zero-length instant (an interrupt) stays on top of
// the stack until the next slice starts, so a flow written on its own could bind to an earlier
// interrupt; each flow event is therefore written right after an instant of its own at the same ts
// (a doorbell taken by a trap right after that interrupt's instant), which it binds to: a point
// nested in the run slice, so the arrow joins the exact send and receive times.

export const CORES_PID = 1;
export const VMS_PID = 2;

/** One trace record (engine/host's TraceEntry has this shape). */
export interface ChromeTraceEntry {
  /** Virtual time in cycles. */
  time: number;
  /** The core whose ring held the record. */
  core: number;
  kind: string;
  vm: string;
  /** The vCPU index within the VM (per-vCPU records). */
  vcpu?: number;
  /** run: end time; interrupt: code; IPC and doorbells: direction slot (channel * 2 + sending endpoint). */
  a: number;
  /** interrupt: latency in cycles; IPC and doorbells: sequence number on the direction. */
  b: number;
}

/** A lifecycle event (engine/host's SystemEvent has this shape). */
export interface ChromeTraceLifecycle {
  time: number;
  vm: string;
  kind: string;
  detail?: string;
}

export interface ChromeTraceSetup {
  /** Virtual cycles per second. */
  frequency: number;
  cores: number;
  vmNames: readonly string[];
  /** Channels, for naming IPC flows: the VM at each endpoint. */
  channels?: readonly { name: string; endpoints: readonly [string, string] }[];
}

/**
 * The flow id of message `seq` on direction `slot`: unique across every direction and both kinds
 * (synchronous IPC and doorbells), as Perfetto requires of v1 flow ids.
 */
export function flowId(doorbell: boolean, slot: number, seq: number, slots: number): number {
  return (seq * Math.max(1, slots) + slot) * 2 + (doorbell ? 1 : 0);
}

/**
 * JSON text of `value` in ASCII only (other characters as \u escapes, which parse back the same):
 * the trace text then stays in V8's one-byte strings and goes to a file without re-encoding.
 */
export function asciiJson(value: unknown): string {
  const text = JSON.stringify(value);
  if (!/[^\u0000-\u007e]/.test(text)) return text;
  const escaped = text.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  // Parts of a two-byte string stay two-byte: rebuild it from char codes, so it is one-byte.
  let oneByte = '';
  for (let i = 0; i < escaped.length; i += 4096) oneByte += String.fromCharCode(...Array.from(escaped.slice(i, i + 4096), (c) => c.charCodeAt(0)));
  return oneByte;
}

/** Streams one trace document (ASCII text): begin(), then write() any number of times, then end(). */
export class ChromeTraceStream {
  /** Events written so far, metadata not counted. */
  eventCount = 0;
  private first = true;
  private readonly vmTid: Map<string, number>;
  private readonly slots: number;
  /** Per core, the ts of the last interrupt instant written (a doorbell taken then binds to it). */
  private readonly lastInterrupt = new Map<number, number>();
  private readonly directions = new Map<number, Direction>();
  private readonly quoted = new Map<string, string>();

  constructor(private readonly setup: ChromeTraceSetup) {
    this.vmTid = new Map(setup.vmNames.map((vm, i) => [vm, i]));
    this.slots = (setup.channels?.length ?? 0) * 2;
  }

  /** Virtual cycles as microseconds, rounded to the nanosecond (so equal times print equal). */
  micros(cycles: number): number {
    return Math.round((cycles / this.setup.frequency) * 1e9) / 1000;
  }

  /** The document's start and the names of the processes and their tracks. */
  begin(): string {
    const { cores, vmNames } = this.setup;
    const meta: string[] = [
      `{"name":"process_name","ph":"M","pid":${CORES_PID},"tid":0,"args":{"name":"cores"}}`,
      `{"name":"process_name","ph":"M","pid":${VMS_PID},"tid":0,"args":{"name":"VMs"}}`,
    ];
    for (let core = 0; core < cores; core++) meta.push(`{"name":"thread_name","ph":"M","pid":${CORES_PID},"tid":${core},"args":{"name":"core ${core}"}}`);
    vmNames.forEach((vm, i) => meta.push(`{"name":"thread_name","ph":"M","pid":${VMS_PID},"tid":${i},"args":{"name":${this.quote(vm)}}}`));
    return '{"traceEvents":[\n' + this.join(meta);
  }

  /** The events of some trace records and lifecycle events, as text to append ('' if none). */
  write(entries: readonly ChromeTraceEntry[], lifecycle: readonly ChromeTraceLifecycle[] = []): string {
    // Text built directly (no event objects): the host converts while the cores run, on the same CPUs.
    const out: string[] = [];
    for (const e of entries) this.entry(e, out);
    for (const ev of lifecycle) {
      const args = ev.detail !== undefined ? `{"detail":${asciiJson(ev.detail)}}` : '{}';
      out.push(`{"name":${this.quote(ev.kind)},"cat":"lifecycle","ph":"i","s":"t","pid":${VMS_PID},"tid":${this.vmTid.get(ev.vm) ?? 0},"ts":${this.micros(ev.time)},"args":${args}}`);
    }
    this.eventCount += out.length;
    return this.join(out);
  }

  /** The document's end, with `otherData` (run metadata, dropped record counts). */
  end(otherData: Record<string, unknown> = {}): string {
    const other = { clock: `virtual, ${this.setup.frequency} Hz`, ...otherData };
    return `\n],"displayTimeUnit":"ns","otherData":${asciiJson(other)}}\n`;
  }

  /** The events as one flat string (a join, not a concatenation, which a write would have to flatten). */
  private join(events: string[]): string {
    if (events.length === 0) return '';
    if (!this.first) events.unshift(''); // the separator from the previous chunk
    this.first = false;
    return events.join(',\n');
  }

  private entry(e: ChromeTraceEntry, out: string[]): void {
    const ts = this.micros(e.time);
    const vcpu = e.vcpu ?? 0;
    const track = `"pid":${CORES_PID},"tid":${e.core},"ts":${ts}`;
    const who = `"vm":${this.quote(e.vm)},"vcpu":${vcpu}`;
    switch (e.kind) {
      case 'run': {
        const dur = Math.round((this.micros(e.a) - ts) * 1000) / 1000;
        out.push(`{"name":${this.quote(`${e.vm} vCPU ${vcpu}`)},"cat":"run","ph":"X",${track},"dur":${dur},"args":{${who}}}`);
        return;
      }
      case 'interrupt':
        this.lastInterrupt.set(e.core, ts);
        out.push(`{"name":"interrupt ${e.a}","cat":"interrupt","ph":"i","s":"t",${track},"args":{${who},"code":${e.a},"latencyCycles":${e.b},"latencyUs":${this.micros(e.b)}}}`);
        return;
      case 'ipc-send':
      case 'ipc-receive':
      case 'doorbell': {
        const d = this.direction(e.a);
        const cat = e.kind === 'doorbell' ? 'doorbell' : 'ipc';
        const name = e.kind === 'doorbell' ? d.ring : e.kind === 'ipc-send' ? d.send : d.receive;
        out.push(`{"name":${name},"cat":"${cat}","ph":"i","s":"t",${track},"args":{${who},"seq":${e.b}}}`);
        out.push(this.flow(e, d, cat, e.kind !== 'ipc-receive', track));
        return;
      }
      case 'doorbell-take': {
        // Taken by a trap: the interrupt's instant is there to bind to; else (a wake from WFI, or a
        // take moved after the ring) an instant of its own.
        const d = this.direction(e.a);
        if (this.lastInterrupt.get(e.core) !== ts) out.push(`{"name":${d.taken},"cat":"doorbell","ph":"i","s":"t",${track},"args":{${who},"seq":${e.b}}}`);
        out.push(this.flow(e, d, 'doorbell', false, track));
        return;
      }
      default:
        out.push(`{"name":${this.quote(e.kind)},"cat":"vm","ph":"i","s":"t","pid":${VMS_PID},"tid":${this.vmTid.get(e.vm) ?? 0},"ts":${ts},"args":{"core":${e.core},"a":${e.a},"b":${e.b}}}`);
    }
  }

  private flow(e: ChromeTraceEntry, d: Direction, cat: string, start: boolean, track: string): string {
    const id = flowId(cat === 'doorbell', e.a, e.b, this.slots);
    return start ? `{"name":${d.flow},"cat":"${cat}","ph":"s","id":${id},${track}}` : `{"name":${d.flow},"cat":"${cat}","ph":"f","bp":"e","id":${id},${track}}`;
  }

  /** Direction `slot` of a channel, its names as JSON text (made once). */
  private direction(slot: number): Direction {
    let d = this.directions.get(slot);
    if (d !== undefined) return d;
    const c = this.setup.channels?.[slot >> 1];
    const name = c?.name ?? `channel ${slot >> 1}`;
    const from = c?.endpoints[slot & 1] ?? `endpoint ${slot & 1}`;
    const to = c?.endpoints[1 - (slot & 1)] ?? `endpoint ${1 - (slot & 1)}`;
    const q = (text: string) => asciiJson(text);
    d = {
      send: q(`send ${name}`), receive: q(`receive ${name}`), ring: q(`doorbell ${name}`), taken: q(`doorbell taken ${name}`),
      flow: q(`${name} ${from}→${to}`),
    };
    this.directions.set(slot, d);
    return d;
  }

  /** A name as JSON text; names repeat (VMs, vCPUs), so each is escaped once. */
  private quote(text: string): string {
    let q = this.quoted.get(text);
    if (q === undefined) {
      q = asciiJson(text);
      if (this.quoted.size < 4096) this.quoted.set(text, q);
    }
    return q;
  }
}

/** A channel direction's names, as JSON text. */
interface Direction {
  send: string;
  receive: string;
  ring: string;
  taken: string;
  /** The flow's name: channel and direction. */
  flow: string;
}

/** A whole trace document at once (the monitor's export). */
export function chromeTraceDocument(
  setup: ChromeTraceSetup, entries: readonly ChromeTraceEntry[], lifecycle: readonly ChromeTraceLifecycle[], otherData: Record<string, unknown> = {},
): string {
  const stream = new ChromeTraceStream(setup);
  return stream.begin() + stream.write(entries, lifecycle) + stream.end(otherData);
}
