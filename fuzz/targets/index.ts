// Every fuzz target, in the order a campaign runs them.

import type { TargetFactory } from '../target.js';
import { controlTarget } from './control.js';
import { elfTarget } from './elf.js';
import { isaTarget } from './isa.js';
import { scenarioTarget } from './scenario.js';
import { websocketTarget } from './websocket.js';

export const TARGETS: readonly TargetFactory[] = [elfTarget, scenarioTarget, controlTarget, websocketTarget, isaTarget];

export function targetNamed(name: string): TargetFactory | undefined {
  return TARGETS.find((t) => t.name === name);
}
