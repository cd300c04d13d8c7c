// Which scenario the monitor opens when it is not told: the phone.

import { resolve } from 'node:path';

export const DEFAULT_SCENARIO = 'scenarios/phone.json';

export function defaultScenarioPath(root: string): string {
  return resolve(root, DEFAULT_SCENARIO);
}
