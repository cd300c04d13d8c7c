// Firmware over the air on synchronous IPC: each channel endpoint has an owner VM, which an update
// moves from the old version to the new one (handover). Until then the new version's IPC on that
// channel waits (Standby). The handover happens only at a quiet moment, when the old owner holds no
// request it has not answered and no message of its own in flight, so no message is lost or
// answered twice. The operations themselves are sync-ipc.ts.

import type { TraceRing } from '../metrics/trace-ring.js';
import {
  BLOCK, CHANNEL_INTS, DOWNTIME, FLOW_NUMS, HANDOVER_AT, HANDOVER_TO, IpcBlock, IpcOp, IpcTables, OWNER, PENDING_OP, RECV_WAITER, SEND_WAITER, SLOT,
} from './ipc-tables.js';

export abstract class IpcHandover extends IpcTables {
  /** One operation, the channel's lock held (sync-ipc.ts). */
  protected abstract operateLocked(vcpu: number, op: IpcOp, channel: number, endpoint: number, now: number, trace: TraceRing | undefined): void;

  /**
   * Hands endpoint `endpoint` of `channel` from its owner to VM `to` (a new version) when the owner
   * is quiet: it holds no unanswered request and has no message in flight. Otherwise remembers the
   * handover, which then happens when the old owner next comes back to receive (or at a later try).
   * Returns true once `to` owns the endpoint.
   */
  handover(channel: number, endpoint: number, to: number, now: number, force = false): boolean {
    this.lock(channel);
    try {
      if (this.owner(channel, endpoint) === to) return true;
      if (!force && !this.quiet(channel, endpoint)) {
        Atomics.store(this.ints, channel * CHANNEL_INTS + HANDOVER_TO + endpoint, to + 1);
        return false;
      }
      this.switchOwner(channel, endpoint, to, now, undefined);
      return true;
    } finally {
      this.unlock(channel);
    }
  }

  /** False between a handover and the moment the new owner first uses the endpoint. */
  serving(channel: number, endpoint: number): boolean {
    return this.flows[(channel * 2 + endpoint) * FLOW_NUMS + HANDOVER_AT] === 0;
  }

  /** Gives up a pending handover (the update was rolled back); true if `to` did not get the endpoint. */
  abandonHandover(channel: number, endpoint: number, to: number): boolean {
    this.lock(channel);
    try {
      Atomics.store(this.ints, channel * CHANNEL_INTS + HANDOVER_TO + endpoint, 0);
      return this.owner(channel, endpoint) !== to;
    } finally {
      this.unlock(channel);
    }
  }

  /** The owner of the endpoint has nothing in progress on the channel (lock held). */
  protected quiet(channel: number, endpoint: number): boolean {
    const owner = this.owner(channel, endpoint);
    const out = channel * 2 + endpoint;
    // A peer waiting for the owner's reply, or the owner's own send not yet taken.
    const replyWaiter = this.waiter(out, RECV_WAITER);
    if (replyWaiter >= 0 && this.block(replyWaiter) === IpcBlock.Reply) return false;
    const sender = this.waiter(out, SEND_WAITER);
    if (sender >= 0 && this.host.vmOf(sender) === owner) return false;
    const caller = this.waiter(out ^ 1, RECV_WAITER);
    return !(caller >= 0 && this.host.vmOf(caller) === owner && this.block(caller) === IpcBlock.Reply);
  }

  /**
   * Moves the endpoint to `to` (lock held): the old owner's receive ends (it retires), and the
   * operations that `to`'s vCPUs left waiting on the endpoint (standby, or retired when an update
   * is rolled back) run now.
   */
  protected switchOwner(channel: number, endpoint: number, to: number, now: number, trace: TraceRing | undefined): void {
    const back = channel * 2 + 1 - endpoint;
    const old = this.waiter(back, RECV_WAITER);
    if (old >= 0 && this.host.vmOf(old) === this.owner(channel, endpoint)) {
      this.setWaiter(back, RECV_WAITER, -1);
      this.retire(old, channel, endpoint);
    }
    Atomics.store(this.ints, channel * CHANNEL_INTS + OWNER + endpoint, to);
    Atomics.store(this.ints, channel * CHANNEL_INTS + HANDOVER_TO + endpoint, 0);
    const f = (channel * 2 + endpoint) * FLOW_NUMS;
    this.flows[f + HANDOVER_AT] = now + 1;
    this.flows[f + DOWNTIME] = 0;
    for (const v of this.host.vcpusOf(to)) {
      const kind = this.block(v);
      if ((kind !== IpcBlock.Standby && kind !== IpcBlock.Retired) || this.int(v, SLOT) !== channel * 2 + endpoint) continue;
      this.setInt(v, BLOCK, IpcBlock.Rerun);
      this.operateLocked(v, this.int(v, PENDING_OP), channel, endpoint, now, trace);
      // Still Rerun: the operation completed at once (a waiting kind was set otherwise).
      if (this.block(v) === IpcBlock.Rerun) {
        this.setInt(v, BLOCK, IpcBlock.None);
        this.host.wake(v, now);
      }
    }
  }

  /** An old owner's receive, parked: it runs again only if the endpoint comes back (a rollback). */
  protected retire(vcpu: number, channel: number, endpoint: number): void {
    this.setInt(vcpu, SLOT, channel * 2 + endpoint);
    this.setInt(vcpu, PENDING_OP, IpcOp.Recv);
    this.setInt(vcpu, BLOCK, IpcBlock.Retired);
  }

  /**
   * VM `vm` used endpoint `endpoint` of `channel` otherwise than by synchronous IPC (it rang the
   * peer's doorbell): if it is the new owner after a handover, its downtime ends.
   */
  noteActive(channel: number, endpoint: number, vm: number, now: number): void {
    const out = channel * 2 + endpoint;
    if (this.flows[out * FLOW_NUMS + HANDOVER_AT] === 0) return; // the common case: no handover under way
    this.lock(channel);
    try {
      if (this.owner(channel, endpoint) === vm) this.noteServing(out, now);
    } finally {
      this.unlock(channel);
    }
  }

  /**
   * The owner of the endpoint sending on `out` uses it (waits to receive, sends, calls or rings):
   * ends the downtime of a handover.
   */
  protected noteServing(out: number, now: number): void {
    const f = out * FLOW_NUMS;
    const since = this.flows[f + HANDOVER_AT];
    if (since === 0) return;
    this.flows[f + DOWNTIME] = Math.max(0, now - (since - 1));
    this.flows[f + HANDOVER_AT] = 0;
  }

}
