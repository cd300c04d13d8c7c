// Cores: a Gantt lane per physical core showing which vCPU ran when over the last seconds (gaps are
// idle time), and each core's utilisation.

import type { MonitorSample, RunSpan, ScenarioInfo } from '../../shared/monitor-types.js';
import { el, setText } from '../dom.js';
import { laneSegments, utilisation } from '../transforms.js';
import type { Panel, PanelContext } from './panel.js';

const WINDOW_SECONDS = 5;
const LANE_HEIGHT = 22;
const LABEL_WIDTH = 96;
const AXIS_HEIGHT = 18;
/** Height of the strip showing a column's second VM. */
const MINOR_HEIGHT = 4;
/** Utilisation is measured over about this many wall seconds. */
const UTILISATION_SECONDS = 1;

export class CoresPanel implements Panel {
  private readonly canvas = el('canvas', { 'data-testid': 'gantt' });
  private readonly legend = el('div', { class: 'legend' });
  private readonly note = el('p', { class: 'note', 'data-testid': 'gantt-note' });
  private runs: RunSpan[][] = [];
  private now = 0;
  private frequency = 100_000_000;
  private utilisation: (number | null)[] = [];
  private coreHistory: { wall: number; cores: { time: number; busy: number }[] }[] = [];
  private dirty = false;

  private width = 600;

  constructor(container: HTMLElement, private readonly ctx: PanelContext) {
    const box = el('div', { class: 'gantt-box' }, this.canvas);
    container.append(this.note, box, this.legend);
    // Reading the width while drawing would force a layout every frame; the observer tells us instead.
    new ResizeObserver((entries) => {
      this.width = Math.max(200, Math.floor(entries[0].contentRect.width));
      this.dirty = true;
    }).observe(box);
  }

  setScenario(scenario: ScenarioInfo): void {
    this.runs = Array.from({ length: scenario.cores }, () => []);
    this.utilisation = Array.from({ length: scenario.cores }, () => null);
    this.coreHistory = [];
    this.frequency = scenario.frequency;
    this.now = 0;
    setText(this.note, '');
    this.legend.replaceChildren(
      ...scenario.vms.map((vm) => {
        const swatch = el('span', { class: 'swatch' });
        swatch.style.background = this.ctx.palette.colour(vm.name);
        return el('span', { class: 'legend-item' }, swatch, vm.name);
      }),
      el('span', { class: 'legend-item' }, el('span', { class: 'swatch idle' }), 'idle'),
    );
    this.dirty = true;
  }

  update(sample: MonitorSample): void {
    this.now = sample.time;
    if (sample.runs === undefined) {
      setText(this.note, 'No timeline: this engine hands over its trace only as a whole, and this run\u2019s trace has grown too long to re-read.');
    } else {
      for (const run of sample.runs) this.runs[run.core]?.push(run);
    }
    const oldest = this.now - WINDOW_SECONDS * this.frequency;
    for (const lane of this.runs) {
      let drop = 0;
      while (drop < lane.length && lane[drop].end < oldest) drop++;
      if (drop > 0) lane.splice(0, drop);
    }
    this.coreHistory.push({ wall: sample.wallSeconds, cores: sample.cores });
    while (this.coreHistory.length > 2 && sample.wallSeconds - this.coreHistory[1].wall >= UTILISATION_SECONDS) this.coreHistory.shift();
    const base = this.coreHistory.length > 1 ? this.coreHistory[0].cores : undefined;
    this.utilisation = sample.cores.map((core, i) => utilisation(base?.[i], core));
    this.dirty = true;
  }

  render(): void {
    if (!this.dirty) return;
    this.dirty = false;
    const width = this.width;
    const height = AXIS_HEIGHT + this.runs.length * LANE_HEIGHT;
    const ratio = window.devicePixelRatio || 1;
    if (this.canvas.width !== Math.round(width * ratio) || this.canvas.height !== Math.round(height * ratio)) {
      this.canvas.width = Math.round(width * ratio);
      this.canvas.height = Math.round(height * ratio);
      this.canvas.style.width = `${width}px`;
      this.canvas.style.height = `${height}px`;
    }
    const g = this.canvas.getContext('2d');
    if (g === null) return;
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.clearRect(0, 0, width, height);
    const plot = width - LABEL_WIDTH;
    const to = this.now;
    const from = to - WINDOW_SECONDS * this.frequency;
    let drawn = 0;
    g.font = '11px system-ui, sans-serif';
    g.textBaseline = 'middle';
    this.runs.forEach((lane, core) => {
      const y = AXIS_HEIGHT + core * LANE_HEIGHT;
      g.fillStyle = '#262b35';
      g.fillRect(LABEL_WIDTH, y + 2, plot, LANE_HEIGHT - 4);
      for (const segment of laneSegments(lane, from, to, plot)) {
        g.fillStyle = this.ctx.palette.colour(segment.vm);
        g.fillRect(LABEL_WIDTH + segment.x, y + 2, segment.width, LANE_HEIGHT - 4);
        if (segment.minor !== undefined) {
          g.fillStyle = this.ctx.palette.colour(segment.minor);
          g.fillRect(LABEL_WIDTH + segment.x, y + LANE_HEIGHT - 2 - MINOR_HEIGHT, segment.width, MINOR_HEIGHT);
        }
        drawn++;
      }
      const u = this.utilisation[core];
      g.fillStyle = '#c9d1dc';
      g.fillText(`core ${core}  ${u === null || u === undefined ? '–' : `${Math.round(u * 100)}%`}`, 4, y + LANE_HEIGHT / 2);
    });
    g.fillStyle = '#9aa4b2';
    for (let s = 0; s <= WINDOW_SECONDS; s++) {
      const x = LABEL_WIDTH + (s / WINDOW_SECONDS) * plot;
      g.fillRect(Math.min(x, width - 1), AXIS_HEIGHT - 4, 1, 4);
      g.fillText(s === WINDOW_SECONDS ? 'now' : `-${WINDOW_SECONDS - s} s`, Math.min(x + 2, width - 24), 8);
    }
    this.canvas.dataset.segments = String(drawn);
    this.canvas.dataset.runs = String(this.runs.reduce((n, lane) => n + lane.length, 0));
    this.canvas.dataset.utilisation = this.utilisation.map((u) => (u === null ? '' : u.toFixed(3))).join(',');
  }
}
