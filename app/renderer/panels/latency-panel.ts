// Interrupt latency per VM: a live line of each interval's min/avg/max, the histogram, and the
// run's percentiles for every VM.

import type { LatencyJson, MonitorSample, ScenarioInfo } from '../../shared/monitor-types.js';
import { barChart, lineChart, type Chart } from '../charts.js';
import { el, setText } from '../dom.js';
import { count, fixed } from '../format.js';
import { histogramBars, intervalLatency, SlidingSeries } from '../transforms.js';
import type { Panel, PanelContext } from './panel.js';

const WINDOW_SECONDS = 60;
const MAX_LINE_POINTS = 300;
const MAX_BARS = 40;

interface VmSeries {
  min: SlidingSeries;
  avg: SlidingSeries;
  max: SlidingSeries;
  latency: LatencyJson | undefined;
}

export class LatencyPanel implements Panel {
  private readonly select = el('select', { 'data-testid': 'latency-vm' });
  private readonly line: Chart<'line'>;
  private readonly histogram: Chart<'bar'>;
  private readonly lineBox: HTMLElement;
  private readonly summary = el('tbody');
  private readonly series = new Map<string, VmSeries>();
  private dirty = false;
  private readonly drawn = { line: '', histogram: '' };

  constructor(container: HTMLElement, _ctx: PanelContext) {
    const lineCanvas = el('canvas');
    const histogramCanvas = el('canvas');
    this.lineBox = el('div', { class: 'chart', 'data-testid': 'latency-line', 'data-points': 0 }, lineCanvas);
    container.append(
      el('div', { class: 'panel-tools' }, el('label', { text: 'VM ' }, this.select)),
      el('div', { class: 'chart-pair' }, this.lineBox, el('div', { class: 'chart', 'data-testid': 'latency-histogram' }, histogramCanvas)),
      el('table', { class: 'figures', 'data-testid': 'latency-table' },
        el('thead', {}, el('tr', {}, ...['VM', 'interrupts', 'min', 'avg', 'max', 'p99', 'p99.9'].map((h) => el('th', { text: h })))),
        this.summary),
    );
    this.line = lineChart(lineCanvas, [
      { label: 'min', colour: '#59a14f' },
      { label: 'avg', colour: '#4e79a7' },
      { label: 'max', colour: '#e15759' },
    ], 'cycles');
    this.histogram = barChart(histogramCanvas, 'interrupts', '#76b7b2', 'latency (cycles, bucket upper bound)');
    this.select.addEventListener('change', () => {
      this.select.dataset.chosen = 'user';
      this.dirty = true;
      this.render();
    });
  }

  setScenario(scenario: ScenarioInfo): void {
    this.series.clear();
    this.select.replaceChildren(...scenario.vms.map((vm) => el('option', { value: vm.name, text: vm.name })));
    this.summary.replaceChildren(...scenario.vms.map((vm) => el('tr', { 'data-vm': vm.name }, el('td', { text: vm.name }), ...Array.from({ length: 6 }, () => el('td', { class: 'num', text: '–' })))));
    for (const vm of scenario.vms) {
      this.series.set(vm.name, { min: new SlidingSeries(WINDOW_SECONDS), avg: new SlidingSeries(WINDOW_SECONDS), max: new SlidingSeries(WINDOW_SECONDS), latency: undefined });
    }
    this.drawn.line = this.drawn.histogram = '';
    this.dirty = true;
  }

  /** The VM whose charts are shown (the first with interrupts, until the user chooses). */
  get selected(): string {
    return this.select.value;
  }

  update(sample: MonitorSample): void {
    for (const vm of sample.vms) {
      const s = this.series.get(vm.name);
      if (s === undefined) continue;
      const interval = intervalLatency(s.latency, vm.latency);
      s.latency = vm.latency;
      if (interval === null) continue;
      s.min.push({ x: sample.wallSeconds, y: interval.min });
      s.avg.push({ x: sample.wallSeconds, y: interval.avg });
      s.max.push({ x: sample.wallSeconds, y: interval.max });
    }
    this.dirty = true;
  }

  render(): void {
    if (!this.dirty) return;
    this.dirty = false;
    this.autoSelect();
    for (const row of this.summary.rows) {
      const latency = this.series.get(row.dataset.vm ?? '')?.latency;
      const cells = [...row.cells].slice(1);
      const has = latency !== undefined && latency.count > 0;
      const values = has ? [count(latency.count), String(latency.min), fixed(latency.avg), String(latency.max), String(latency.p99), String(latency.p999)] : [latency ? '0' : '–', '–', '–', '–', '–', '–'];
      values.forEach((v, i) => setText(cells[i], v));
    }
    const s = this.series.get(this.selected);
    if (s === undefined) return;
    // Redraw a chart only when its data changed: a paused or idle VM costs nothing.
    const lineKey = `${this.selected}:${s.avg.length}:${s.avg.last()?.x}`;
    if (lineKey !== this.drawn.line) {
      this.drawn.line = lineKey;
      this.lineBox.dataset.points = String(s.avg.length);
      this.lineBox.dataset.vm = this.selected;
      this.line.data.datasets[0].data = s.min.view(MAX_LINE_POINTS);
      this.line.data.datasets[1].data = s.avg.view(MAX_LINE_POINTS);
      this.line.data.datasets[2].data = s.max.view(MAX_LINE_POINTS);
      this.line.update('none');
    }
    const histogramKey = `${this.selected}:${s.latency?.count ?? 0}`;
    if (histogramKey !== this.drawn.histogram) {
      this.drawn.histogram = histogramKey;
      const bars = histogramBars(s.latency?.buckets ?? [], MAX_BARS);
      this.histogram.data.labels = bars.map((b) => (b.from === b.to ? String(b.to) : `${b.from}–${b.to}`));
      this.histogram.data.datasets[0].data = bars.map((b) => b.count);
      this.histogram.update('none');
    }
  }

  private autoSelect(): void {
    if (this.select.dataset.chosen === 'user') return;
    const withInterrupts = [...this.series].find(([, s]) => (s.latency?.count ?? 0) > 0);
    if (withInterrupts !== undefined && this.select.value !== withInterrupts[0]) this.select.value = withInterrupts[0];
  }
}
