// What every panel gets and offers: the shared services, and the hooks the page calls on new data.

import type { MonitorClient } from '../../shared/monitor-api.js';
import type { Backlog, Capabilities, MonitorSample, ScenarioInfo } from '../../shared/monitor-types.js';
import type { Dialogs } from '../dialogs.js';
import type { Palette } from '../palette.js';

export interface PanelContext {
  client: MonitorClient;
  dialogs: Dialogs;
  palette: Palette;
  capabilities: () => Capabilities;
  /** Shows a one-line message (and its details) in the page's notice area. */
  notify(level: 'error' | 'info', message: string, details?: string[]): void;
}

export interface Panel {
  /** A scenario was loaded: rebuild what depends on its VMs and channels. */
  setScenario(scenario: ScenarioInfo): void;
  /** Takes in a sample (cheap: bookkeeping only). */
  update(sample: MonitorSample, previous: MonitorSample | undefined): void;
  /** Redraws, at most once per animation frame. */
  render(): void;
  /** Takes in what happened before the page connected (panels that show history). */
  replay?(backlog: Backlog): void;
}
