// Consoles: each VM's UART output, one VM at a time, with the newest text kept.

import type { Backlog, MonitorSample, ScenarioInfo } from '../../shared/monitor-types.js';
import { el } from '../dom.js';
import type { Panel, PanelContext } from './panel.js';

/** Characters kept per VM; older output is dropped. */
const MAX_CHARS = 200_000;

export class ConsolesPanel implements Panel {
  private readonly select = el('select', { 'data-testid': 'console-vm' });
  private readonly output = el('pre', { class: 'console', 'data-testid': 'console-output' });
  private readonly texts = new Map<string, string>();
  private dirty = false;

  constructor(container: HTMLElement, _ctx: PanelContext) {
    container.append(el('div', { class: 'panel-tools' }, el('label', { text: 'VM ' }, this.select)), this.output);
    this.select.addEventListener('change', () => {
      this.dirty = true;
      this.render();
    });
  }

  setScenario(scenario: ScenarioInfo): void {
    this.texts.clear();
    this.select.replaceChildren(...scenario.vms.map((vm) => el('option', { value: vm.name, text: vm.name })));
    for (const vm of scenario.vms) this.texts.set(vm.name, '');
    this.dirty = true;
  }

  replay(backlog: Backlog): void {
    this.take(backlog.console);
  }

  update(sample: MonitorSample): void {
    this.take(sample.console);
  }

  private take(output: { vm: string; text: string }[]): void {
    for (const { vm, text } of output) {
      const all = (this.texts.get(vm) ?? '') + text;
      this.texts.set(vm, all.length > MAX_CHARS ? all.slice(-MAX_CHARS) : all);
      if (vm === this.select.value) this.dirty = true;
    }
  }

  render(): void {
    if (!this.dirty) return;
    this.dirty = false;
    const stick = this.output.scrollTop + this.output.clientHeight >= this.output.scrollHeight - 4;
    this.output.textContent = this.texts.get(this.select.value) ?? '';
    if (stick) this.output.scrollTop = this.output.scrollHeight;
  }
}
