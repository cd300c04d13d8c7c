// Per-channel metrics: doorbells and synchronous IPC counted by the hypervisor, ring traffic read
// from the ring's telemetry words in the window (never trusted: only reported), latency histograms.

import type { LatencyHistogramJson } from '../metrics/latency-histogram.js';
import type { SystemTables } from '../hypervisor/system-tables.js';

/** One direction of a channel: from endpoint `from` to the other. Counters are cumulative. */
export interface ChannelFlow {
  from: string;
  to: string;
  /** Messages delivered: ring messages the receiver released plus synchronous IPC messages. */
  messages: number;
  /** Their payload bytes. */
  bytes: number;
  /** Ring slots published and not yet released (0 without a ring in this direction). */
  queueDepth: number;
  /** Doorbells the sender rang. */
  doorbellsRung: number;
  /** Publishes where the sender's ring library skipped the doorbell because the peer was busy. */
  doorbellsSuppressed: number;
  /** Of `messages`, those that went through synchronous IPC. */
  syncMessages: number;
  /** End-to-end latency in cycles of the messages the hypervisor could time (sync IPC, SENT_AT). */
  latency: LatencyHistogramJson;
  /** Send times the receiver reported (SENT_AT) that cannot be true (before the channel existed, or in the future): not in `latency`. */
  latencyRejected: number;
}

export interface ChannelSnapshot {
  name: string;
  endpoints: [string, string];
  /** Doorbells each endpoint rang (as flows[i].doorbellsRung). */
  doorbells: [number, number];
  flows: [ChannelFlow, ChannelFlow];
}

// Ring layout (guests/include/tessera-ring.h), in 32-bit words from the window base.
const RING_MAGIC = 0x474e_5254;
const SLOT_COUNT = 0x08 / 4;
const HEAD = 0x40 / 4;
const TAIL = 0x80 / 4;
const PRODUCER_TELEMETRY = 0x4c / 4;
const CONSUMER_TELEMETRY = 0x8c / 4;
const T_MESSAGES = 0;
const T_BYTES_LO = 1;
const T_BYTES_HI = 2;
const T_SUPPRESSED = 4;

/** A guest counter that may restart from 0 (the guest rebooted): kept monotonic across restarts. */
class RestartingCounter {
  private base = 0;
  private last = 0;

  update(raw: number): number {
    if (raw < this.last) this.base += this.last;
    this.last = raw;
    return this.base + raw;
  }
}

interface RingCounters {
  messages: RestartingCounter;
  bytes: RestartingCounter;
  suppressed: [RestartingCounter, RestartingCounter];
}

export class ChannelMetrics {
  private readonly rings: (RingCounters | undefined)[];

  constructor(private readonly tables: SystemTables) {
    this.rings = tables.layout.channels.map((c) => c.ringProducer < 0 ? undefined : {
      messages: new RestartingCounter(), bytes: new RestartingCounter(), suppressed: [new RestartingCounter(), new RestartingCounter()],
    });
  }

  read(): ChannelSnapshot[] {
    const t = this.tables;
    return t.layout.channels.map((c, i) => {
      const names = c.endpoints.map((e) => t.layout.vms[e.vm].name) as [string, string];
      const ring = this.readRing(i);
      const flow = (from: 0 | 1): ChannelFlow => {
        const slot = 2 * i + from;
        const sync = t.ipc.flow(slot);
        const carriesRing = ring !== undefined && ring.producer === from;
        return {
          from: names[from],
          to: names[1 - from],
          messages: sync.messages + (carriesRing ? ring.messages : 0),
          bytes: sync.bytes + (carriesRing ? ring.bytes : 0),
          queueDepth: carriesRing ? ring.depth : 0,
          doorbellsRung: t.doorbellCount(slot),
          doorbellsSuppressed: ring === undefined ? 0 : ring.suppressed[from],
          syncMessages: sync.messages,
          latency: t.channelLatency[slot].snapshot().toJSON(),
          latencyRejected: Atomics.load(t.latencyRejected, slot),
        };
      };
      return { name: c.name, endpoints: names, doorbells: [t.doorbellCount(2 * i), t.doorbellCount(2 * i + 1)], flows: [flow(0), flow(1)] };
    });
  }

  /** The ring's counters, or undefined when the channel names no ring or the window holds none (yet). */
  private readRing(channel: number) {
    const counters = this.rings[channel];
    if (counters === undefined) return undefined;
    const c = this.tables.layout.channels[channel];
    const words = new Uint32Array(this.tables.buffers.physical, c.physicalBase, 0x100 / 4);
    const slots = words[SLOT_COUNT];
    if (words[0] !== RING_MAGIC || slots < 2 || (slots & (slots - 1)) !== 0) return undefined;
    const producer = c.ringProducer as 0 | 1;
    // The consumer's counters: what was delivered, not merely sent.
    const consumer = CONSUMER_TELEMETRY;
    const depth = (words[HEAD] - words[TAIL]) >>> 0;
    const bySide = [words[PRODUCER_TELEMETRY + T_SUPPRESSED], words[CONSUMER_TELEMETRY + T_SUPPRESSED]];
    const suppressed: [number, number] = [0, 0];
    suppressed[producer] = counters.suppressed[0].update(bySide[0]);
    suppressed[1 - producer] = counters.suppressed[1].update(bySide[1]);
    return {
      producer,
      messages: counters.messages.update(words[consumer + T_MESSAGES]),
      bytes: counters.bytes.update(words[consumer + T_BYTES_HI] * 2 ** 32 + words[consumer + T_BYTES_LO]),
      depth: Math.min(depth, slots),
      suppressed,
    };
  }
}
