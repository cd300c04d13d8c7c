// Metrics as JSON: the same document as `tessera run SCENARIO --json`, so the two can be compared.

import type { SystemEvent, SystemSnapshot } from '../../../engine/host/system.js';

export function metricsJson(scenarioName: string, snapshot: SystemSnapshot, events: readonly SystemEvent[], failed: readonly string[]): string {
  return JSON.stringify({ scenario: scenarioName, ...snapshot, events, failed }, null, 2) + '\n';
}
