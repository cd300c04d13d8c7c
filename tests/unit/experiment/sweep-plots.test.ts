// The sweep's three plots: values derived from the runs, grouping, and what is left out.

import { describe, expect, it } from 'vitest';
import { sweepCharts, sweepPlots } from '../../../engine/experiment/sweep-plots.js';
import type { LatencySummary, SweepPoint, SweepRun } from '../../../engine/experiment/sweep-record.js';
import type { LineChart } from '../../../engine/metrics/svg-plot.js';

const noLatency: LatencySummary = { count: 0, min: null, p50: null, p90: null, p99: null, p999: null, max: null };

function run(point: SweepPoint, mips: number, over: Partial<SweepRun> = {}): SweepRun {
  return {
    id: `cores=${point.cores}`, point, repeat: 1, status: 'ok', frequency: 1e6, wallSeconds: 1, virtualSeconds: 1,
    threads: point.cores, instructions: mips * 1e6, mips, hostCpuUtilisation: 0.5, coreUtilisation: 0.5,
    latency: noLatency, vms: [], channels: [],
    ipc: { messages: 0, bytes: 0, messagesPerWallSecond: 0, messagesPerVirtualSecond: 0, bytesPerWallSecond: 0, latency: noLatency },
    ...over,
  };
}

function chartOf(runs: SweepRun[], file: string): LineChart {
  return sweepCharts(runs).find((c) => c.file === file)!.chart;
}

/** name → [x, y] pairs, for compact comparisons. */
function xy(chart: LineChart): Record<string, [number, number][]> {
  return Object.fromEntries(chart.series.map((s) => [s.name, s.points.map((p) => [p.x, Number(p.y.toFixed(6))])]));
}

describe('speed-up plot', () => {
  it('divides mean MIPS by the mean at the fewest cores, with an ideal dashed line', () => {
    const chart = chartOf([run({ cores: 1 }, 100), run({ cores: 2 }, 180), run({ cores: 4 }, 300)], 'speedup.svg');
    expect(chart.xLog2).toBe(true);
    expect(xy(chart)).toEqual({ measured: [[1, 1], [2, 1.8], [4, 3]], ideal: [[1, 1], [2, 2], [4, 4]] });
    expect(chart.series.find((s) => s.name === 'ideal')!.dashed).toBe(true);
    expect(chart.series.find((s) => s.name === 'measured')!.dashed).toBeFalsy();
  });

  it('takes the ideal line from the smallest core count, which need not be 1', () => {
    const chart = chartOf([run({ cores: 2 }, 50), run({ cores: 8 }, 150)], 'speedup.svg');
    expect(xy(chart).ideal).toEqual([[2, 1], [8, 4]]);
    expect(xy(chart).measured).toEqual([[2, 1], [8, 3]]);
  });

  it('averages repeats and draws their min/max as error bars, scaled alike', () => {
    const chart = chartOf(
      [run({ cores: 1 }, 90), run({ cores: 1 }, 110), run({ cores: 2 }, 170), run({ cores: 2 }, 190)],
      'speedup.svg',
    );
    const [one, two] = chart.series[0].points;
    expect(one.y).toBeCloseTo(1);
    expect([one.yLow, one.yHigh].map((v) => Number(v!.toFixed(6)))).toEqual([0.9, 1.1]);
    expect(two.y).toBeCloseTo(1.8);
    expect([two.yLow, two.yHigh].map((v) => Number(v!.toFixed(6)))).toEqual([1.7, 1.9]);
  });

  it('has one series per combination of the other fields, named by those that vary', () => {
    const runs = [
      run({ cores: 1, quantum: 1000, policy: 'fixed-priority' }, 100),
      run({ cores: 2, quantum: 1000, policy: 'fixed-priority' }, 150),
      run({ cores: 1, quantum: 10000, policy: 'fixed-priority' }, 200),
      run({ cores: 2, quantum: 10000, policy: 'fixed-priority' }, 380),
    ];
    expect(xy(chartOf(runs, 'speedup.svg'))).toEqual({
      'quantum 1000': [[1, 1], [2, 1.5]],
      'quantum 10000': [[1, 1], [2, 1.9]],
      ideal: [[1, 1], [2, 2]],
    });
    const both = [...runs, run({ cores: 1, quantum: 10000, policy: 'round-robin', vms: 2 }, 10)];
    expect(chartOf(both, 'speedup.svg').series.map((s) => s.name)).toEqual([
      'no vms, quantum 1000, fixed-priority',
      'no vms, quantum 10000, fixed-priority',
      '2 VMs, quantum 10000, round-robin',
      'ideal',
    ]);
  });

  it('ignores failed and invalid runs', () => {
    const chart = chartOf([
      run({ cores: 1 }, 0, { status: 'failed', error: 'trap loop' }),
      run({ cores: 1 }, 100),
      run({ cores: 2 }, 180),
      run({ cores: 8 }, 0, { status: 'invalid', error: 'too many cores' }),
    ], 'speedup.svg');
    expect(xy(chart)).toEqual({ measured: [[1, 1], [2, 1.8]], ideal: [[1, 1], [2, 2]] });
  });
});

describe('latency plot', () => {
  it('plots p50, p99, p99.9 and max in microseconds against load in percent, sorted by load', () => {
    const lat = (p50: number, p999: number | null): LatencySummary => ({ count: 10, min: 1, p50, p90: p50, p99: p50 * 2, p999, max: 100 });
    const chart = chartOf([
      run({ cores: 2 }, 1, { coreUtilisation: 0.75, frequency: 10e6, latency: lat(50, 80) }),
      run({ cores: 1 }, 1, { coreUtilisation: 0.25, frequency: 1e6, latency: lat(10, null) }),
      run({ cores: 4 }, 1, { coreUtilisation: 0.5, latency: noLatency }),
      run({ cores: 4 }, 1, { coreUtilisation: 0.9, status: 'failed', latency: lat(1, 1) }),
    ], 'latency.svg');
    expect(xy(chart)).toEqual({
      p50: [[25, 10], [75, 5]],
      p99: [[25, 20], [75, 10]],
      'p99.9': [[75, 8]],
      max: [[25, 100], [75, 10]],
    });
  });
});

describe('IPC plot', () => {
  const ipc = (messagesPerWallSecond: number) => ({ ...run({ cores: 1 }, 1).ipc, messages: 10, messagesPerWallSecond });

  it('plots mean messages per wall second against cores', () => {
    const chart = chartOf([
      run({ cores: 1 }, 1, { ipc: ipc(1000) }),
      run({ cores: 1 }, 1, { ipc: ipc(3000) }),
      run({ cores: 2 }, 1, { ipc: ipc(5000) }),
    ], 'ipc.svg');
    expect(chart.xLog2).toBe(true);
    expect(xy(chart)).toEqual({ measured: [[1, 2000], [2, 5000]] });
    expect(chart.note).toBeUndefined();
  });

  it('says so when no run had inter-VM messages', () => {
    const files = sweepPlots([run({ cores: 1 }, 100), run({ cores: 2 }, 180)]);
    expect(files.find((f) => f.file === 'ipc.svg')!.svg).toContain('no inter-VM messages in this scenario');
  });
});

describe('sweepPlots', () => {
  it('writes the three files, each a sound SVG with its title and legend', () => {
    const files = sweepPlots([run({ cores: 1, quantum: 1000 }, 100), run({ cores: 2, quantum: 1000 }, 180), run({ cores: 1, quantum: 5000 }, 120)]);
    expect(files.map((f) => f.file)).toEqual(['speedup.svg', 'latency.svg', 'ipc.svg']);
    const [speedup, latency, ipc] = files.map((f) => f.svg);
    expect(speedup).toContain('Speed-up against cores');
    expect(speedup).toContain('>quantum 1000</text>');
    expect(speedup).toContain('>ideal</text>');
    expect(latency).toContain('Interrupt latency against load');
    expect(ipc).toContain('IPC throughput against cores');
    for (const svg of files.map((f) => f.svg)) {
      expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
      expect(svg).not.toMatch(/NaN|Infinity|undefined/);
    }
  });

  it('renders "no data" for no runs, or only failed ones', () => {
    for (const runs of [[], [run({ cores: 1 }, 0, { status: 'failed' })]]) {
      for (const { svg } of sweepPlots(runs)) {
        expect(svg).toContain('>no data</text>');
        expect(svg).not.toMatch(/NaN|Infinity|undefined/);
      }
    }
  });
});
