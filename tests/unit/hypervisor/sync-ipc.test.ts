// Synchronous IPC state machine: rendezvous both ways, CALL/REPLY, and every refusal, with a fake hypervisor.

import { beforeEach, describe, expect, it } from 'vitest';
import { createSyncIpcBuffers, IpcBlock, IpcOp, IpcStatus, SyncIpc } from '../../../engine/hypervisor/sync-ipc.js';

// Two VMs joined by channel 0: VM 0 has vCPUs 0 and 1 (endpoint 0), VM 1 has vCPU 2 (endpoint 1).
// VM 2 (vCPU 3) is a new version of VM 1, for firmware-over-the-air handovers.
const VM_OF = [0, 0, 1, 2];

function setup() {
  const status = new Map<number, number>();
  const latencies: [number, number][] = [];
  const woken: number[] = [];
  const alive = [true, true, true];
  const ipc = new SyncIpc(createSyncIpcBuffers(1, 4), 1, {
    vmOf: (v) => VM_OF[v],
    vcpusOf: (vm) => VM_OF.flatMap((v, i) => (v === vm ? [i] : [])),
    alive: (vm) => alive[vm],
    setStatus: (v, s) => status.set(v, s),
    recordLatency: (slot, cycles) => latencies.push([slot, cycles]),
    wake: (v) => woken.push(v),
  });
  ipc.initOwners([[0, 1]]);
  const message = (vcpu: number, words: number[]) => {
    expect(ipc.setLength(vcpu, words.length)).toBe(true);
    words.forEach((w, i) => ipc.setRegister(vcpu, i, w));
  };
  const registers = (vcpu: number) => Array.from({ length: ipc.length(vcpu) }, (_, i) => ipc.register(vcpu, i));
  return { ipc, status, latencies, woken, alive, message, registers };
}

describe('synchronous IPC', () => {
  let s: ReturnType<typeof setup>;
  beforeEach(() => { s = setup(); });

  it('a send to a waiting receiver copies the registers, unblocks it and records latency when it resumes', () => {
    s.ipc.operate(2, IpcOp.Recv, 0, 1, 100);
    expect(s.ipc.block(2)).toBe(IpcBlock.Recv);
    s.message(0, [7, 8, 9]);
    s.ipc.operate(0, IpcOp.Send, 0, 0, 250);
    expect(s.status.get(0)).toBe(IpcStatus.Ok);
    expect(s.ipc.block(2)).toBe(IpcBlock.None);
    expect(s.status.get(2)).toBe(IpcStatus.Ok);
    expect(s.registers(2)).toEqual([7, 8, 9]);
    expect(s.woken).toEqual([2]);
    s.ipc.resumed(2, 400);
    s.ipc.resumed(2, 900); // recorded once
    expect(s.latencies).toEqual([[0, 150]]);
    expect(s.ipc.flow(0)).toEqual({ messages: 1, bytes: 12 });
  });

  it('a sender blocks until the receiver comes; the receiver then takes the message at once', () => {
    s.message(2, [1, 2, 3, 4, 5, 6, 7, 8]);
    s.ipc.operate(2, IpcOp.Send, 0, 1, 10);
    expect(s.ipc.block(2)).toBe(IpcBlock.Send);
    s.ipc.operate(0, IpcOp.Recv, 0, 0, 60);
    expect(s.ipc.block(0)).toBe(IpcBlock.None);
    expect(s.registers(0)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(s.ipc.block(2)).toBe(IpcBlock.None);
    expect(s.status.get(2)).toBe(IpcStatus.Ok);
    expect(s.latencies).toEqual([[1, 50]]);
  });

  it('CALL waits for the reply; REPLY reaches only a caller', () => {
    s.message(2, [5]);
    expect((s.ipc.operate(2, IpcOp.Reply, 0, 1, 0), s.status.get(2))).toBe(IpcStatus.Again);
    s.ipc.operate(2, IpcOp.Recv, 0, 1, 0); // the server waits
    expect((s.message(2, [5]), s.ipc.operate(0, IpcOp.Reply, 0, 0, 0), s.status.get(0))).toBe(IpcStatus.Again); // a server in RECV is not a caller
    s.message(0, [41]);
    s.ipc.operate(0, IpcOp.Call, 0, 0, 10);
    expect(s.ipc.block(0)).toBe(IpcBlock.Reply);
    expect(s.registers(2)).toEqual([41]);
    s.message(2, [42]);
    s.ipc.operate(2, IpcOp.Reply, 0, 1, 20);
    expect(s.status.get(2)).toBe(IpcStatus.Ok);
    expect(s.ipc.block(0)).toBe(IpcBlock.None);
    expect(s.registers(0)).toEqual([42]);
  });

  it('a CALL that finds no receiver delivers when one comes and then waits for the reply', () => {
    s.message(0, [3]);
    s.ipc.operate(0, IpcOp.Call, 0, 0, 0);
    expect(s.ipc.block(0)).toBe(IpcBlock.CallSend);
    s.ipc.operate(2, IpcOp.Recv, 0, 1, 5);
    expect(s.registers(2)).toEqual([3]);
    expect(s.ipc.block(0)).toBe(IpcBlock.Reply);
  });

  it('refuses more than 8 registers, and a second waiter on the same side', () => {
    expect(s.ipc.setLength(0, 9)).toBe(false);
    s.ipc.operate(0, IpcOp.Recv, 0, 0, 0);
    s.ipc.operate(1, IpcOp.Recv, 0, 0, 0);
    expect(s.status.get(1)).toBe(IpcStatus.Busy);
    expect(s.ipc.block(1)).toBe(IpcBlock.None);
  });

  it('a send to a VM that is not running fails with EPIPE; a waiting caller learns when its peer goes', () => {
    s.alive[1] = false;
    s.ipc.operate(0, IpcOp.Send, 0, 0, 0);
    expect(s.status.get(0)).toBe(IpcStatus.PeerGone);
    s.alive[1] = true;
    s.ipc.operate(0, IpcOp.Call, 0, 0, 0);
    expect(s.ipc.cancelIfPeerGone(0)).toBe(false);
    s.alive[1] = false;
    expect(s.ipc.cancelIfPeerGone(0)).toBe(true);
    expect(s.ipc.block(0)).toBe(IpcBlock.None);
    expect(s.status.get(0)).toBe(IpcStatus.PeerGone);
    // A plain receive waits on for a peer that may come back.
    s.ipc.operate(1, IpcOp.Recv, 0, 0, 0);
    expect(s.ipc.cancelIfPeerGone(1)).toBe(false);
  });

  it('an interrupt cancels a wait once; the slot is free again', () => {
    s.ipc.operate(2, IpcOp.Recv, 0, 1, 0);
    expect(s.ipc.cancel(2, IpcStatus.Interrupted)).toBe(true);
    expect(s.ipc.cancel(2, IpcStatus.Interrupted)).toBe(false);
    expect(s.status.get(2)).toBe(IpcStatus.Interrupted);
    s.message(0, [1]);
    s.ipc.operate(0, IpcOp.Send, 0, 0, 0);
    expect(s.ipc.block(0)).toBe(IpcBlock.Send); // nobody receives any more
  });

  it('reset forgets a rebooted VM: its waits end and its registers are cleared', () => {
    s.message(0, [9, 9]);
    s.ipc.operate(0, IpcOp.Send, 0, 0, 0);
    s.ipc.reset([0, 1]);
    expect(s.ipc.block(0)).toBe(IpcBlock.None);
    expect(s.ipc.length(0)).toBe(0);
    s.ipc.operate(2, IpcOp.Recv, 0, 1, 0);
    expect(s.ipc.block(2)).toBe(IpcBlock.Recv); // the reset sender's message is gone
  });

  describe('handover to a new version', () => {
    it("a new version's operations wait until it owns the endpoint", () => {
      s.ipc.operate(3, IpcOp.Recv, 0, 1, 0);
      expect(s.ipc.block(3)).toBe(IpcBlock.Standby);
      expect(s.ipc.owner(0, 1)).toBe(1);
    });

    it('happens at once while the old server waits for a request; the new one takes the next', () => {
      s.ipc.operate(2, IpcOp.Recv, 0, 1, 0);
      s.ipc.operate(3, IpcOp.Recv, 0, 1, 10); // the new version is ready and waits
      expect(s.ipc.handover(0, 1, 2, 100)).toBe(true);
      expect(s.ipc.owner(0, 1)).toBe(2);
      expect(s.ipc.block(2)).toBe(IpcBlock.Retired);
      expect(s.ipc.block(3)).toBe(IpcBlock.Recv);
      expect(s.ipc.downtime(0, 1, 150)).toBe(0);
      s.message(0, [77]);
      s.ipc.operate(0, IpcOp.Call, 0, 0, 200);
      expect(s.registers(3)).toEqual([77]);
      expect(s.ipc.block(0)).toBe(IpcBlock.Reply);
      // A retired old version is not woken by an interrupt.
      expect(s.ipc.cancel(2, IpcStatus.Interrupted)).toBe(false);
    });

    it('waits while the old server owes a reply, then happens when it comes back to receive: nothing lost or answered twice', () => {
      s.ipc.operate(2, IpcOp.Recv, 0, 1, 0);
      s.message(0, [1]);
      s.ipc.operate(0, IpcOp.Call, 0, 0, 5); // delivered to the old server
      s.ipc.operate(3, IpcOp.Recv, 0, 1, 6);
      expect(s.ipc.handover(0, 1, 2, 10)).toBe(false);
      expect(s.ipc.owner(0, 1)).toBe(1);
      s.message(2, [2]);
      s.ipc.operate(2, IpcOp.Reply, 0, 1, 20); // the old server answers its request
      expect(s.registers(0)).toEqual([2]);
      s.ipc.operate(2, IpcOp.Recv, 0, 1, 30); // and comes back: the handover happens here
      expect(s.ipc.owner(0, 1)).toBe(2);
      expect(s.ipc.block(2)).toBe(IpcBlock.Retired);
      expect(s.ipc.block(3)).toBe(IpcBlock.Recv);
      s.message(0, [3]);
      s.ipc.operate(0, IpcOp.Call, 0, 0, 40);
      expect(s.registers(3)).toEqual([3]);
      expect(s.ipc.flow(0).messages).toBe(2);
      expect(s.ipc.flow(1).messages).toBe(1);
    });

    it('measures the downtime until the new owner first waits to receive', () => {
      s.ipc.operate(2, IpcOp.Recv, 0, 1, 0);
      expect(s.ipc.handover(0, 1, 2, 1000)).toBe(true);
      // Not served yet: down for as long as it has been.
      expect(s.ipc.downtime(0, 1, 1100)).toBe(100);
      s.ipc.operate(3, IpcOp.Recv, 0, 1, 1250);
      expect(s.ipc.downtime(0, 1, 5000)).toBe(250);
    });

    it('a rolled-back update leaves the old owner in place', () => {
      s.message(0, [1]);
      s.ipc.operate(2, IpcOp.Recv, 0, 1, 0);
      s.ipc.operate(0, IpcOp.Call, 0, 0, 5);
      expect(s.ipc.handover(0, 1, 2, 10)).toBe(false);
      expect(s.ipc.abandonHandover(0, 1, 2)).toBe(true);
      s.ipc.operate(2, IpcOp.Reply, 0, 1, 20);
      s.ipc.operate(2, IpcOp.Recv, 0, 1, 30);
      expect(s.ipc.owner(0, 1)).toBe(1);
      expect(s.ipc.block(2)).toBe(IpcBlock.Recv);
    });
  });
});

describe('the order another core sees', () => {
  it('writes a vCPU\'s status before it stops blocking it: a core that sees it runnable never reads the old status', () => {
    // The status is a plain number, BLOCK an atomic word: a core may pick the vCPU the moment BLOCK
    // reads None, so every unblock (a delivery, an interrupt, a vanished peer) writes the status first.
    const blockWhenStatusSet: [number, IpcStatus, IpcBlock][] = [];
    const alive = [true, true, true];
    const ipc: SyncIpc = new SyncIpc(createSyncIpcBuffers(1, 4), 1, {
      vmOf: (v) => VM_OF[v],
      vcpusOf: (vm) => VM_OF.flatMap((v, i) => (v === vm ? [i] : [])),
      alive: (vm) => alive[vm],
      setStatus: (v, status) => blockWhenStatusSet.push([v, status, ipc.block(v)]),
      recordLatency: () => undefined,
      wake: () => undefined,
    });
    ipc.initOwners([[0, 1]]);
    ipc.setLength(0, 1);
    ipc.operate(0, IpcOp.Call, 0, 0, 10); // blocks: nobody receives yet
    ipc.operate(2, IpcOp.Recv, 0, 1, 20); // takes the call; the caller waits for the reply
    ipc.setLength(2, 1);
    ipc.operate(2, IpcOp.Reply, 0, 1, 30); // delivers the reply
    ipc.operate(0, IpcOp.Call, 0, 0, 40); // blocks again
    alive[1] = false;
    expect(ipc.cancelIfPeerGone(0)).toBe(true);
    ipc.operate(2, IpcOp.Recv, 0, 1, 50);
    expect(ipc.cancel(2, IpcStatus.Interrupted)).toBe(true);
    const caller = blockWhenStatusSet.filter(([v]) => v === 0);
    expect(caller.map(([, status]) => status)).toEqual([IpcStatus.Ok, IpcStatus.PeerGone]);
    expect(blockWhenStatusSet.filter(([v, status]) => status !== IpcStatus.Ok || v === 0).every(([, , block]) => block !== IpcBlock.None)).toBe(true);
  });
});
