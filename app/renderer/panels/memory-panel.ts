// Memory: the partition map over physical memory, every VM's RAM and every channel window, to scale
// (with a minimum width so small ones stay visible) and as a table.

import type { MonitorSample, ScenarioInfo } from '../../shared/monitor-types.js';
import { el } from '../dom.js';
import { bytes, hex } from '../format.js';
import { memoryRegions } from '../memory-regions.js';
import type { Panel, PanelContext } from './panel.js';

export class MemoryPanel implements Panel {
  private readonly bar = el('div', { class: 'memory-bar', 'data-testid': 'memory-bar' });
  private readonly body = el('tbody');

  constructor(container: HTMLElement, private readonly ctx: PanelContext) {
    container.append(this.bar, el('table', { class: 'figures' }, el('thead', {}, el('tr', {}, ...['region', 'physical base', 'size', 'mapped'].map((h) => el('th', { text: h })))), this.body));
  }

  setScenario(scenario: ScenarioInfo): void {
    const regions = memoryRegions(scenario);
    this.bar.replaceChildren(...regions.map((r) => {
      const block = el('div', { class: `region ${r.kind}`, title: `${r.name}: ${hex(r.base)}–${hex(r.base + r.size - 1)} (${bytes(r.size)}) ${r.detail}`, 'data-region': r.name, 'data-kind': r.kind }, r.kind === 'free' ? '' : r.name);
      block.style.flexGrow = String(r.size / scenario.memoryBytes);
      if (r.kind === 'vm') block.style.background = this.ctx.palette.colour(r.name);
      return block;
    }));
    this.body.replaceChildren(...regions.filter((r) => r.kind !== 'free').map((r) =>
      el('tr', { 'data-kind': r.kind }, el('td', { text: r.kind === 'channel' ? `channel ${r.name}` : r.kind === 'slot' ? `${r.name} (update slot)` : r.name }), el('td', { class: 'mono', text: hex(r.base) }), el('td', { class: 'num', text: bytes(r.size) }), el('td', { text: r.detail }))));
  }

  update(_sample: MonitorSample): void {}

  render(): void {}
}
