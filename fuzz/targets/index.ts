// Every fuzz target, in the order a campaign runs them.

import type { TargetFactory } from '../target.js';
import { elfTarget } from './elf.js';
import { scenarioTarget } from './scenario.js';

export const TARGETS: readonly TargetFactory[] = [elfTarget, scenarioTarget];

export function targetNamed(name: string): TargetFactory | undefined {
  return TARGETS.find((t) => t.name === name);
}
