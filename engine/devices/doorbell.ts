// A VM's doorbell device (ivshmem style): describes its channel windows and rings a peer's interrupt.
//
// Registers, 32-bit aligned only:
//   0x000 CHANNELS  (RO) number of channels of this VM
//   per channel i at 0x100 + 0x20*i:
//     +0x00 BASE     (RO) guest-physical address of the window
//     +0x04 SIZE     (RO) window size in bytes
//     +0x08 FLAGS    (RO) bit 0: the window is writable by this VM
//     +0x0C IRQ      (RO) PLIC source on which this VM receives the peer's doorbell
//     +0x10 RING     (WO) any value: raise the channel's interrupt in the peer VM
//     +0x14 RECEIVED (RO) doorbells the peer has rung on this channel so far (low 32 bits)
//     +0x18 SENT_AT  (WO) low 32 bits of the peer's cycle counter when it sent a message this VM
//                         just received: the hypervisor records the end-to-end latency

import type { AccessSize, MmioDevice } from '../memory/mmio-device.js';

export const DOORBELL_CHANNELS = 0x000;
export const DOORBELL_CHANNEL_BASE = 0x100;
export const DOORBELL_CHANNEL_STRIDE = 0x20;
export const DOORBELL_MAX_CHANNELS = 64;

export interface DoorbellChannel {
  base: number;
  size: number;
  writable: boolean;
  irq: number;
  /** Rings the peer; called for every write to RING. */
  ring(): void;
  /** Doorbells received from the peer. */
  received(): number;
  /** SENT_AT: the send time (low 32 bits of cycles) of a message just received from the peer. */
  sentAt(cycleLow: number): void;
}

export class Doorbells implements MmioDevice {
  readonly name = 'doorbell';

  constructor(private readonly channels: readonly DoorbellChannel[]) {
    if (channels.length > DOORBELL_MAX_CHANNELS) throw new RangeError(`doorbell: at most ${DOORBELL_MAX_CHANNELS} channels`);
  }

  private decode(offset: number, size: AccessSize): { channel: DoorbellChannel; register: number } | 'count' | undefined {
    if (size !== 4 || (offset & 3) !== 0) return undefined;
    if (offset === DOORBELL_CHANNELS) return 'count';
    const index = Math.floor((offset - DOORBELL_CHANNEL_BASE) / DOORBELL_CHANNEL_STRIDE);
    const channel = offset >= DOORBELL_CHANNEL_BASE ? this.channels[index] : undefined;
    if (channel === undefined) return undefined;
    const register = (offset - DOORBELL_CHANNEL_BASE) % DOORBELL_CHANNEL_STRIDE;
    return register <= 0x18 ? { channel, register } : undefined;
  }

  read(offset: number, size: AccessSize): number | undefined {
    const reg = this.decode(offset, size);
    if (reg === undefined) return undefined;
    if (reg === 'count') return this.channels.length;
    const c = reg.channel;
    switch (reg.register) {
      case 0x00: return c.base >>> 0;
      case 0x04: return c.size >>> 0;
      case 0x08: return c.writable ? 1 : 0;
      case 0x0c: return c.irq;
      case 0x14: return c.received() >>> 0;
      default: return undefined; // RING and SENT_AT are write-only
    }
  }

  write(offset: number, size: AccessSize, value: number): boolean {
    const reg = this.decode(offset, size);
    if (reg === undefined || reg === 'count') return false;
    if (reg.register === 0x10) reg.channel.ring();
    else if (reg.register === 0x18) reg.channel.sentAt(value >>> 0);
    else return false;
    return true;
  }

  /** SENT_AT only records a figure: the vCPU's slice goes on. */
  plainStore(offset: number): boolean {
    const reg = this.decode(offset, 4);
    return reg !== undefined && reg !== 'count' && reg.register === 0x18;
  }
}
