// The end-of-run report of a scenario: a per-VM table and cyclictest-style latency rows.

import type { SystemSnapshot } from '../host/system.js';
import { formatCyclictestRow } from '../metrics/cyclictest-format.js';

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((row) => row.map((cell, c) => (c <= 1 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd()).join('\n') + '\n';
}

export function formatScenarioReport(snapshot: SystemSnapshot): string {
  const seconds = Math.max(snapshot.wallSeconds, 1e-9);
  const rows = [['VM', 'state', 'cores', 'instructions', 'MIPS', 'interrupts', 'lat min', 'avg', 'max', 'p99', 'p99.9', 'violations', 'restarts']];
  for (const vm of snapshot.vms) {
    const l = vm.latency;
    const hasLatency = l.count > 0;
    rows.push([
      vm.name, vm.state, vm.cores.join(','), String(vm.instructions), (vm.instructions / seconds / 1e6).toFixed(1), String(vm.interrupts),
      hasLatency ? String(l.min) : '-', hasLatency ? l.avg.toFixed(1) : '-', hasLatency ? String(l.max) : '-',
      hasLatency ? String(l.p99) : '-', hasLatency ? String(l.p999) : '-', String(vm.violations), String(vm.restarts),
    ]);
  }
  let text = `virtual time ${snapshot.virtualSeconds.toFixed(6)} s in ${snapshot.wallSeconds.toFixed(2)} s of wall time\n`;
  text += table(rows);
  const latencyRows = snapshot.vms
    .map((vm, i) => ({ vm, i }))
    .filter(({ vm }) => vm.latency.count > 0)
    .map(({ vm, i }) => formatCyclictestRow({ thread: i, name: vm.name, priority: vm.priority, interval: 0, act: vm.latency.max, stats: vm.latency }));
  if (latencyRows.length > 0) text += 'interrupt latency, virtual cycles from pending to the first handler instruction:\n' + latencyRows.join('\n') + '\n';
  if (snapshot.channels.length > 0) text += 'channels (rates per second of wall time; latency in virtual cycles from send to receive):\n' + table(channelRows(snapshot, seconds));
  return text;
}

function channelRows(snapshot: SystemSnapshot, seconds: number): string[][] {
  const rows = [['channel', 'flow', 'messages', 'msg/s', 'MB/s', 'depth', 'doorbells', 'suppressed', 'sync', 'lat min', 'avg', 'max', 'p99']];
  for (const channel of snapshot.channels) {
    for (const f of channel.flows) {
      const l = f.latency;
      const timed = l.count > 0;
      rows.push([
        channel.name, `${f.from} -> ${f.to}`, String(f.messages), Math.round(f.messages / seconds).toString(), (f.bytes / seconds / 1e6).toFixed(2),
        String(f.queueDepth), String(f.doorbellsRung), String(f.doorbellsSuppressed), String(f.syncMessages),
        timed ? String(l.min) : '-', timed ? l.avg.toFixed(1) : '-', timed ? String(l.max) : '-', timed ? String(l.p99) : '-',
      ]);
    }
  }
  return rows;
}
