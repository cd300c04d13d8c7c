// The event log: every lifecycle event (start, pause, fault, restart, update…), newest first.

import type { Backlog, MonitorEvent, MonitorSample, ScenarioInfo } from '../../shared/monitor-types.js';
import { el } from '../dom.js';
import type { Panel, PanelContext } from './panel.js';

const MAX_ROWS = 500;

export class EventsPanel implements Panel {
  private readonly body = el('tbody', { 'data-testid': 'event-log' });
  private pending: MonitorEvent[] = [];
  private frequency = 100_000_000;

  constructor(container: HTMLElement, _ctx: PanelContext) {
    const head = el('tr', {}, ...['virtual time (s)', 'VM', 'event', 'detail'].map((h) => el('th', { text: h })));
    container.append(el('div', { class: 'scroll' }, el('table', { class: 'figures events' }, el('thead', {}, head), this.body)));
  }

  setScenario(scenario: ScenarioInfo): void {
    this.frequency = scenario.frequency;
    this.pending = [];
    this.body.replaceChildren();
  }

  replay(backlog: Backlog): void {
    this.pending.push(...backlog.events);
  }

  update(sample: MonitorSample): void {
    this.pending.push(...sample.events);
  }

  render(): void {
    if (this.pending.length === 0) return;
    const rows = this.pending.map((e) => el('tr', { 'data-kind': e.kind, 'data-vm': e.vm },
      el('td', { class: 'num', text: (e.time / this.frequency).toFixed(6) }), el('td', { text: e.vm }), el('td', { class: `kind ${e.kind}`, text: e.kind }), el('td', { text: e.detail ?? '' })));
    this.pending = [];
    this.body.prepend(...rows.reverse());
    while (this.body.rows.length > MAX_ROWS) this.body.deleteRow(-1);
  }
}
