// Inter-VM channels: per channel and direction, messages/s, MB/s, latency and queue depth, with a live
// throughput line. Engines without message counters show doorbell rates instead, and say so.

import type { ChannelSample, MonitorSample, ScenarioInfo } from '../../shared/monitor-types.js';
import { lineChart, type Chart } from '../charts.js';
import { el, setText } from '../dom.js';
import { fixed, megabytesPerSecond } from '../format.js';
import { channelRates, SlidingSeries, type ChannelRates } from '../transforms.js';
import type { Panel, PanelContext } from './panel.js';

const WINDOW_SECONDS = 60;
const MAX_LINE_POINTS = 300;
const COLOURS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#b07aa1', '#edc948'];

export class IpcPanel implements Panel {
  private readonly body = el('tbody');
  private readonly note = el('p', { class: 'note', 'data-testid': 'ipc-note' });
  private readonly chartBox: HTMLElement;
  private readonly canvas = el('canvas');
  private chart: Chart<'line'> | undefined;
  private series: SlidingSeries[] = [];
  private rates: ChannelRates[] = [];
  private previous = new Map<string, ChannelSample>();
  private measuresMessages: boolean | undefined;
  private dirty = false;
  private drawnKey = '';

  constructor(private readonly container: HTMLElement, _ctx: PanelContext) {
    this.chartBox = el('div', { class: 'chart', 'data-testid': 'ipc-chart', 'data-points': 0 }, this.canvas);
    const head = el('tr', {}, ...['channel', 'direction', 'msg/s', 'MB/s', 'latency avg', 'p99', 'queue', 'doorbells/s'].map((h) => el('th', { text: h })));
    container.append(this.note, this.chartBox, el('table', { class: 'figures', 'data-testid': 'ipc-table' }, el('thead', {}, head), this.body));
  }

  setScenario(scenario: ScenarioInfo): void {
    this.previous.clear();
    this.rates = [];
    this.measuresMessages = undefined;
    this.series = scenario.channels.map(() => new SlidingSeries(WINDOW_SECONDS));
    this.chart?.destroy();
    this.drawnKey = '';
    this.chart = lineChart(this.canvas, scenario.channels.map((c, i) => ({ label: c.name, colour: COLOURS[i % COLOURS.length] })), 'per second');
    this.body.replaceChildren();
    for (const channel of scenario.channels) {
      const [a, b] = channel.endpoints.map((e) => e.vm);
      for (const [dir, label] of [[0, `${a} → ${b}`], [1, `${b} → ${a}`]] as const) {
        this.body.append(el('tr', { 'data-channel': channel.name, 'data-direction': dir }, el('td', { text: dir === 0 ? channel.name : '' }), el('td', { text: label }), ...Array.from({ length: 6 }, () => el('td', { class: 'num', text: '–' }))));
      }
    }
    this.container.classList.toggle('empty', scenario.channels.length === 0);
    setText(this.note, scenario.channels.length === 0 ? 'This scenario has no channels.' : '');
    this.dirty = true;
  }

  update(sample: MonitorSample, previous: MonitorSample | undefined): void {
    const seconds = previous === undefined ? 0 : sample.wallSeconds - previous.wallSeconds;
    this.rates = sample.channels.map((channel, i) => {
      const rates = channelRates(this.previous.get(channel.name), channel, seconds);
      this.previous.set(channel.name, channel);
      this.measuresMessages = channel.flows !== undefined;
      // The line shows both directions together: messages when measured, else doorbells.
      const pair = this.measuresMessages ? rates.messagesPerSecond : rates.doorbellsPerSecond;
      if (pair[0] !== null && pair[1] !== null) this.series[i]?.push({ x: sample.wallSeconds, y: pair[0] + pair[1] });
      return rates;
    });
    this.dirty = true;
  }

  render(): void {
    if (!this.dirty || this.chart === undefined) return;
    this.dirty = false;
    if (this.measuresMessages === false) setText(this.note, 'This engine does not count channel messages yet: the line shows doorbells per second.');
    else if (this.measuresMessages === true) setText(this.note, '');
    this.chart.options.scales!.y!.title = { display: true, text: this.measuresMessages === false ? 'doorbells/s' : 'messages/s' };
    const key = this.series.map((s) => `${s.length}:${s.last()?.x}`).join(',');
    if (key !== this.drawnKey) {
      this.drawnKey = key;
      this.series.forEach((s, i) => {
        this.chart!.data.datasets[i].data = s.view(MAX_LINE_POINTS);
      });
      this.chartBox.dataset.points = String(Math.max(0, ...this.series.map((s) => s.length)));
      this.chart.update('none');
    }
    const rows = [...this.body.rows];
    this.rates.forEach((r, c) => {
      for (const dir of [0, 1] as const) {
        const row = rows[c * 2 + dir];
        if (row === undefined) continue;
        const cells = [...row.cells].slice(2);
        const values = [fixed(r.messagesPerSecond[dir], 0), megabytesPerSecond(r.bytesPerSecond[dir]), fixed(r.latencyAvg[dir]), fixed(r.latencyP99[dir], 0), fixed(r.queueDepth[dir], 0), fixed(r.doorbellsPerSecond[dir], 0)];
        values.forEach((v, i) => setText(cells[i], v));
      }
    });
  }
}
