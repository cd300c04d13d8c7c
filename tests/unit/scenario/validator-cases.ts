// The validator's rules as data: a scenario document and the exact lines it gives, topic by topic.
// validate.test.ts and channels.test.ts assert the lines; the schema parity corpus reuses the documents.

import type { ValidatorCase } from './case-topic.js';
import { CHANNEL_CASES } from './channel-cases.js';
import { SCENARIO_CASES } from './scenario-cases.js';

export type { ValidatorCase } from './case-topic.js';
export { CHANNEL_CASES } from './channel-cases.js';
export { SCENARIO_CASES } from './scenario-cases.js';

/** Every case. */
export const VALIDATOR_CASES: ValidatorCase[] = [...Object.values(SCENARIO_CASES), ...Object.values(CHANNEL_CASES)].flat();
