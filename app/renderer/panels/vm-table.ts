// The VMs panel: a row per VM with its state and counters, and its lifecycle controls.

import { MonitorError } from '../../shared/monitor-api.js';
import { DESTRUCTIVE_COMMANDS, type MonitorSample, type ScenarioInfo, type VmCommand, type VmSample } from '../../shared/monitor-types.js';
import { commandAllowed } from '../../shared/vm-commands.js';
import { el, setText } from '../dom.js';
import { count, fixed } from '../format.js';
import { WindowedRate } from '../transforms.js';
import type { Panel, PanelContext } from './panel.js';

const BUTTONS: { command: VmCommand | 'update'; label: string }[] = [
  { command: 'start', label: 'Start' },
  { command: 'pause', label: 'Pause' },
  { command: 'resume', label: 'Resume' },
  { command: 'stop', label: 'Stop' },
  { command: 'restart', label: 'Restart' },
  { command: 'update', label: 'Update…' },
  { command: 'wipe', label: 'Wipe' },
  { command: 'destroy', label: 'Destroy' },
];

const WARNINGS: Partial<Record<VmCommand, string>> = {
  stop: 'Its vCPUs stop; it keeps its memory.',
  restart: 'It reboots from its ELF; whatever it was doing is lost.',
  wipe: 'Its partition is zeroed (remote disable); it runs again only after a restart.',
  destroy: 'Its partition is zeroed and it is gone for this run.',
};

interface Row {
  tr: HTMLTableRowElement;
  cells: Record<'state' | 'cores' | 'priority' | 'mips' | 'interrupts' | 'violations' | 'restarts', HTMLTableCellElement>;
  buttons: Map<VmCommand | 'update', HTMLButtonElement>;
}

export class VmTablePanel implements Panel {
  private readonly body: HTMLTableSectionElement;
  private rows = new Map<string, Row>();
  private latest: VmSample[] = [];
  private mips = new Map<string, number | null>();
  private instructionRates = new Map<string, WindowedRate>();
  private busy = new Set<string>();
  private updatable = new Set<string>();

  constructor(container: HTMLElement, private readonly ctx: PanelContext) {
    const head = el('tr', {}, ...['VM', 'state', 'cores', 'priority', 'MIPS', 'interrupts', 'violations', 'restarts', 'controls'].map((h) => el('th', { text: h })));
    this.body = el('tbody');
    container.append(el('table', { class: 'vm-table', 'data-testid': 'vm-table' }, el('thead', {}, head), this.body));
  }

  setScenario(scenario: ScenarioInfo): void {
    this.body.replaceChildren();
    this.rows.clear();
    this.mips.clear();
    this.instructionRates.clear();
    this.updatable = new Set(scenario.vms.filter((vm) => vm.updatable).map((vm) => vm.name));
    for (const vm of scenario.vms) {
      const cell = (name: string) => el('td', { class: name });
      const cells = { state: cell('state'), cores: cell('cores'), priority: cell('num'), mips: cell('num'), interrupts: cell('num'), violations: cell('num'), restarts: cell('num') };
      const buttons = new Map<VmCommand | 'update', HTMLButtonElement>();
      const controls = el('td', { class: 'controls' });
      for (const { command, label } of BUTTONS) {
        const button = el('button', { type: 'button', 'data-command': command, class: DESTRUCTIVE_COMMANDS.includes(command as VmCommand) ? 'danger' : '', text: label });
        button.addEventListener('click', () => void this.onCommand(vm.name, command));
        buttons.set(command, button);
        controls.append(button);
      }
      const swatch = el('span', { class: 'swatch' });
      swatch.style.background = this.ctx.palette.colour(vm.name);
      const tr = el('tr', { 'data-vm': vm.name, 'data-state': 'created' }, el('td', { class: 'name' }, swatch, vm.name), cells.state, cells.cores, cells.priority, cells.mips, cells.interrupts, cells.violations, cells.restarts, controls);
      setText(cells.cores, vm.cores.join(','));
      setText(cells.priority, String(vm.priority));
      this.body.append(tr);
      this.rows.set(vm.name, { tr, cells, buttons });
    }
  }

  update(sample: MonitorSample): void {
    this.latest = sample.vms;
    for (const vm of sample.vms) {
      let rate = this.instructionRates.get(vm.name);
      if (rate === undefined) this.instructionRates.set(vm.name, (rate = new WindowedRate(1)));
      const perSecond = rate.push(sample.wallSeconds, vm.instructions);
      this.mips.set(vm.name, perSecond === null ? null : perSecond / 1e6);
    }
  }

  render(): void {
    for (const vm of this.latest) {
      const row = this.rows.get(vm.name);
      if (row === undefined) continue;
      if (row.tr.dataset.state !== vm.state) row.tr.dataset.state = vm.state;
      setText(row.cells.state, vm.state);
      setText(row.cells.cores, vm.cores.join(','));
      setText(row.cells.priority, String(vm.priority));
      setText(row.cells.mips, fixed(this.mips.get(vm.name)));
      setText(row.cells.interrupts, count(vm.interrupts));
      setText(row.cells.violations, count(vm.violations));
      setText(row.cells.restarts, count(vm.restarts));
      const busy = this.busy.has(vm.name);
      for (const [command, button] of row.buttons) {
        const allowed = command === 'update' ? this.updateBlocker(vm) === undefined : commandAllowed(command, vm.state);
        button.disabled = busy || !allowed;
        if (command === 'update') button.title = this.updateBlocker(vm) ?? 'Update its firmware over the air from an ELF file';
      }
    }
  }

  /** Why the VM cannot be updated now, or undefined when it can. */
  private updateBlocker(vm: VmSample): string | undefined {
    if (!this.updatable.has(vm.name)) return 'not updatable: the scenario gives this VM no update slot ("updatable": true)';
    if (vm.state !== 'running') return `only a running VM can be updated (it is ${vm.state})`;
    return undefined;
  }

  private async onCommand(vm: string, command: VmCommand | 'update'): Promise<void> {
    if (command === 'update') return this.onUpdate(vm);
    if (DESTRUCTIVE_COMMANDS.includes(command)) {
      const label = command[0].toUpperCase() + command.slice(1);
      if (!(await this.ctx.dialogs.confirm(`${label} VM '${vm}'? ${WARNINGS[command] ?? ''}`, label))) return;
    }
    await this.whileBusy(vm, () => this.ctx.client.call('vmCommand', { vm, command }));
  }

  private async onUpdate(vm: string): Promise<void> {
    const path = await this.ctx.dialogs.askPath('elf', `Update VM '${vm}' over the air from an ELF file: the new firmware boots beside the old one, then takes over.`);
    if (path === null) return;
    this.ctx.notify('info', `${vm}: updating from ${path}…`);
    await this.whileBusy(vm, async () => {
      const result = await this.ctx.client.call('updateVm', { vm, elfPath: path });
      this.ctx.notify('info', result.message);
    });
  }

  private async whileBusy(vm: string, action: () => Promise<unknown>): Promise<void> {
    this.busy.add(vm);
    this.render();
    try {
      await action();
    } catch (error) {
      this.ctx.notify('error', (error as Error).message, error instanceof MonitorError ? error.details : []);
    } finally {
      this.busy.delete(vm);
      this.render();
    }
  }
}
