// The top bar: open a scenario, start and stop the system, export metrics and the trace, and the
// system's status; plus the notice area that shows errors in one line (and their details).

import { MonitorError, type MonitorClient } from '../shared/monitor-api.js';
import type { ExportFormat, ScenarioInfo, SystemStatus } from '../shared/monitor-types.js';
import type { MenuAction } from '../shared/protocol.js';
import { byId, el, setText } from './dom.js';
import type { Dialogs } from './dialogs.js';

export class Toolbar {
  private readonly path = byId<HTMLInputElement>('scenario-path');
  private readonly start = byId<HTMLButtonElement>('start');
  private readonly stop = byId<HTMLButtonElement>('stop');
  private readonly status = byId('status');
  private readonly notice = byId('notice');
  private readonly errors = byId('scenario-errors');

  constructor(private readonly client: MonitorClient, private readonly dialogs: Dialogs, canPick: () => boolean) {
    byId('open-form').addEventListener('submit', (event) => {
      event.preventDefault();
      void this.open(this.path.value.trim());
    });
    const browse = byId<HTMLButtonElement>('browse');
    browse.hidden = !canPick();
    browse.addEventListener('click', () => void this.browse());
    this.start.addEventListener('click', () => void this.run(() => this.client.call('startSystem', {})));
    this.stop.addEventListener('click', () => void this.confirmStop());
    for (const format of ['json', 'csv', 'trace'] as const) byId(`export-${format}`).addEventListener('click', () => void this.export(format));
  }

  setKnownScenarios(paths: readonly string[]): void {
    byId('known-scenarios').replaceChildren(...paths.map((p) => el('option', { value: p })));
  }

  setScenario(scenario: ScenarioInfo | null): void {
    setText(byId('scenario-name'), scenario === null ? 'no scenario' : scenario.name);
    byId('scenario-name').title = scenario?.description ?? '';
    setText(byId('scenario-summary'), scenario === null ? '' : `${scenario.vms.length} VMs on ${scenario.cores} cores · ${scenario.policy} · ${scenario.mode} time`);
    if (scenario !== null && this.path.value === '') this.path.value = scenario.path;
  }

  showScenarioErrors(lines: readonly string[]): void {
    this.errors.hidden = lines.length === 0;
    this.errors.replaceChildren(...lines.map((line) => el('li', { text: line })));
  }

  setStatus(status: SystemStatus): void {
    this.status.dataset.state = status.state;
    const failed = status.failedVms.length > 0 ? ` · failed: ${status.failedVms.join(', ')}` : '';
    setText(this.status, `${status.state}${status.message ? ` (${status.message})` : ''}${failed}`);
    this.start.disabled = status.state === 'running' || status.state === 'starting' || status.state === 'stopping';
    this.stop.disabled = status.state !== 'running';
  }

  notify(level: 'error' | 'info', message: string, details: readonly string[] = []): void {
    this.notice.dataset.level = level;
    this.notice.hidden = false;
    const close = el('button', { type: 'button', class: 'close', title: 'dismiss', text: '×' });
    close.addEventListener('click', () => (this.notice.hidden = true));
    this.notice.replaceChildren(el('span', { text: message }), close, ...(details.length > 1 ? [el('ul', {}, ...details.map((d) => el('li', { text: d })))] : []));
  }

  async menu(action: MenuAction): Promise<void> {
    switch (action) {
      case 'open-scenario': {
        const path = await this.dialogs.askPath('scenario', 'Open a scenario file');
        if (path !== null) await this.open(path);
        return;
      }
      case 'start':
        return this.run(() => this.client.call('startSystem', {}));
      case 'stop':
        return this.confirmStop();
      case 'export-json':
        return this.export('json');
      case 'export-csv':
        return this.export('csv');
      case 'export-trace':
        return this.export('trace');
    }
  }

  async open(path: string): Promise<void> {
    if (path === '') return;
    this.path.value = path;
    await this.run(async () => {
      await this.client.call('openScenario', { path });
      this.showScenarioErrors([]);
    }, true);
  }

  private async browse(): Promise<void> {
    const picked = await this.client.call('pickFile', { kind: 'scenario' }).catch(() => ({ path: null }));
    if (picked.path !== null) await this.open(picked.path);
  }

  private async confirmStop(): Promise<void> {
    if (await this.dialogs.confirm('Stop the whole system? Every VM stops; the figures stay for export.', 'Stop')) {
      await this.run(() => this.client.call('stopSystem', {}));
    }
  }

  private async export(format: ExportFormat): Promise<void> {
    await this.run(async () => {
      const file = await this.client.call('exportData', { format });
      const url = URL.createObjectURL(new Blob([file.text], { type: file.mimeType }));
      const link = el('a', { href: url, download: file.fileName });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    });
  }

  private async run(action: () => Promise<unknown>, scenarioErrors = false): Promise<void> {
    try {
      await action();
    } catch (error) {
      const details = error instanceof MonitorError ? error.details : [];
      if (scenarioErrors && details.length > 0) this.showScenarioErrors(details);
      this.notify('error', (error as Error).message, details);
    }
  }
}
