// The monitor page: connects to the engine host (whichever transport), builds the panels, and feeds
// them the pushed samples, drawing at most once per animation frame.

import { MonitorClient } from '../shared/monitor-api.js';
import type { Capabilities, FileKind, HelloResult, MonitorSample, ScenarioInfo } from '../shared/monitor-types.js';
import type { PushMessage } from '../shared/protocol.js';
import { Dialogs } from './dialogs.js';
import { byId } from './dom.js';
import { FrameMeter } from './frame-meter.js';
import { Palette } from './palette.js';
import { ConsolesPanel } from './panels/consoles-panel.js';
import { CoresPanel } from './panels/cores-panel.js';
import { EventsPanel } from './panels/events-panel.js';
import { IpcPanel } from './panels/ipc-panel.js';
import { LatencyPanel } from './panels/latency-panel.js';
import { MemoryPanel } from './panels/memory-panel.js';
import type { Panel, PanelContext } from './panels/panel.js';
import { VmTablePanel } from './panels/vm-table.js';
import { Toolbar } from './toolbar.js';
import { connectTransport } from './transport.js';
import './styles.css';

async function start(): Promise<void> {
  const transport = await connectTransport((reason) => showFatal(reason));
  const client = new MonitorClient(transport);
  const hello: HelloResult = await client.call('hello', {});
  const capabilities: Capabilities = hello.capabilities;
  const suggestions = (kind: FileKind) => (kind === 'elf' ? hello.knownGuests : hello.knownScenarios);
  const dialogs = new Dialogs(client, () => capabilities.filePicker, suggestions);
  const toolbar = new Toolbar(client, dialogs, () => capabilities.filePicker);
  toolbar.setKnownScenarios(hello.knownScenarios);
  const palette = new Palette();
  const ctx: PanelContext = { client, dialogs, palette, capabilities: () => capabilities, notify: (level, message, details) => toolbar.notify(level, message, details) };
  const panels: Record<string, Panel> = {
    vms: new VmTablePanel(byId('vms'), ctx),
    latency: new LatencyPanel(byId('latency'), ctx),
    ipc: new IpcPanel(byId('ipc'), ctx),
    cores: new CoresPanel(byId('cores'), ctx),
    memory: new MemoryPanel(byId('memory'), ctx),
    consoles: new ConsolesPanel(byId('consoles'), ctx),
    events: new EventsPanel(byId('events'), ctx),
  };
  const meter = new FrameMeter(byId('footer'));

  let scenario: ScenarioInfo | null = null;
  let previous: MonitorSample | undefined;
  let queued: MonitorSample[] = [];
  let frameRequested = false;
  let lastSeq = 0;
  let replayedSeq = 0;

  const setScenario = (next: ScenarioInfo | null) => {
    scenario = next;
    previous = undefined;
    queued = [];
    toolbar.setScenario(next);
    if (next !== null) for (const panel of Object.values(panels)) panel.setScenario(next);
    document.body.dataset.scenario = next?.name ?? '';
  };

  const draw = () => {
    frameRequested = false;
    const batch = queued;
    queued = [];
    const began = performance.now();
    for (const sample of batch) {
      for (const [name, panel] of Object.entries(panels)) meter.timePanel(name, () => panel.update(sample, previous));
      previous = sample;
      lastSeq = sample.seq;
    }
    for (const [name, panel] of Object.entries(panels)) meter.timePanel(name, () => panel.render());
    if (batch.length > 0) meter.recordWork(performance.now() - began, batch.length);
    meter.show(lastSeq, hello.sampleHz);
  };

  const onPush = (message: PushMessage) => {
    switch (message.push) {
      case 'sample':
        // Samples up to the backlog's are in it already.
        if (scenario === null || message.data.seq <= replayedSeq) return;
        queued.push(message.data);
        if (!frameRequested) {
          frameRequested = true;
          requestAnimationFrame(draw);
        }
        return;
      case 'status':
        // A new run starts from zero: clear the panels' history.
        if (message.data.state === 'starting' && scenario !== null) {
          replayedSeq = 0;
          setScenario(scenario);
        }
        toolbar.setStatus(message.data);
        return;
      case 'scenario':
        // With errors the host keeps (and re-sends) the scenario it had: only the errors are new.
        if (message.data.errors.length === 0) setScenario(message.data.scenario);
        toolbar.showScenarioErrors(message.data.errors);
        return;
      case 'menu':
        void toolbar.menu(message.data.action);
        return;
    }
  };

  client.onPush(onPush);
  setScenario(hello.scenario);
  if (hello.backlog !== null) {
    replayedSeq = hello.backlog.seq;
    for (const panel of Object.values(panels)) panel.replay?.(hello.backlog);
  }
  toolbar.showScenarioErrors(hello.scenarioErrors);
  toolbar.setStatus(hello.status);
  document.body.dataset.ready = 'true';
}

function showFatal(message: string): void {
  const banner = byId('fatal');
  banner.hidden = false;
  banner.textContent = message;
}

start().catch((error: Error) => showFatal(error.message));
