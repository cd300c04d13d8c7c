// Metrics as CSV: one row per VM with the columns and figures of the CLI's end-of-run table.

import type { SystemSnapshot } from '../../../engine/host/system.js';
import { csvField } from '../../../engine/metrics/csv.js';

export const CSV_COLUMNS = [
  'vm', 'state', 'cores', 'instructions', 'mips', 'interrupts',
  'latency_min', 'latency_avg', 'latency_max', 'latency_p99', 'latency_p999',
  'violations', 'restarts', 'faults', 'virtual_seconds', 'wall_seconds',
] as const;

export function metricsCsv(snapshot: SystemSnapshot): string {
  // MIPS over the whole run's wall time, as the CLI reports it.
  const seconds = Math.max(snapshot.wallSeconds, 1e-9);
  const rows = snapshot.vms.map((vm) => {
    const l = vm.latency;
    const has = l.count > 0;
    return [
      vm.name, vm.state, vm.cores.join(' '), vm.instructions, (vm.instructions / seconds / 1e6).toFixed(1), vm.interrupts,
      has ? l.min : '', has ? l.avg.toFixed(1) : '', has ? l.max : '', has ? l.p99 : '', has ? l.p999 : '',
      vm.violations, vm.restarts, vm.faults, snapshot.virtualSeconds.toFixed(6), snapshot.wallSeconds.toFixed(3),
    ];
  });
  return [CSV_COLUMNS as readonly (string | number)[], ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}
