// The schema and the validator agree on a corpus: the schema rejects a document exactly when the
// validator finds a problem of its shape, at the field the validator names (problem-kind.ts says
// which problems are shape; the others are the validator's alone).

import type { ErrorObject } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { CHANNEL_FIELDS, ENDPOINT_FIELDS } from '../../../engine/scenario/channels.js';
import {
  ON_FAULT_FIELDS,
  SCENARIO_FIELDS,
  SCHEDULER_FIELDS,
  TIMING_FIELDS,
  validateScenario,
  VM_FIELDS,
  WINDOW_FIELDS,
} from '../../../engine/scenario/validate.js';
import { BASES, corpus } from './corpus.js';
import { MORE_PROBLEMS, problemField, problemKind, problemMessage, SEMANTIC_MESSAGES } from './problem-kind.js';
import { describeErrors, errorField, schemaErrors } from './schema-check.js';

/** The fields the schema's errors are about; an `if` or `anyOf` only says that a branch below failed. */
function schemaFields(errors: readonly ErrorObject[]): Set<string> {
  const fields = new Set<string>();
  for (const error of errors) {
    if (error.keyword === 'if' || error.keyword === 'anyOf') continue;
    const field = errorField(error);
    fields.add(field);
    // The validator names the repeated item, the schema the array.
    if (error.keyword === 'uniqueItems') {
      const { i, j } = error.params as { i: number; j: number };
      fields.add(`${field}[${i}]`).add(`${field}[${j}]`);
    }
  }
  return fields;
}

/** What the parity needs of one document's two verdicts. */
interface Verdict {
  name: string;
  lines: string[];
  /** The lines problem-kind.ts calls shape (all lines when some are hidden behind a count). */
  shape: string[];
  schemaRejects: boolean;
}

const verdicts: Verdict[] = [];
/** The schema accepts a document the validator rejects for its shape, or says nothing of a field it names. */
const schemaMisses: string[] = [];
/** The schema rejects a document in which the validator finds no problem of its shape. */
const validatorMisses: string[] = [];

for (const { name, json, source } of corpus()) {
  const lines = validateScenario(json, source).errors;
  const complete = !lines.some((line) => MORE_PROBLEMS.test(line));
  const shape = complete ? lines.filter((line) => problemKind(line) === 'shape') : lines;
  const errors = schemaErrors(json);
  verdicts.push({ name, lines, shape, schemaRejects: errors.length > 0 });
  const report = (what: string) => `${name}: ${what}\n  validator: ${JSON.stringify(lines)}\n  schema: ${JSON.stringify(describeErrors(errors))}`;
  if (shape.length > 0 && errors.length === 0) schemaMisses.push(report('the schema accepts it'));
  else if (shape.length > 0) {
    const fields = schemaFields(errors);
    const missed = shape.filter((line) => !fields.has(problemField(line)));
    if (missed.length > 0) schemaMisses.push(report(`the schema says nothing of ${missed.map(problemField).join(', ')}`));
  } else if (errors.length > 0) {
    validatorMisses.push(report(lines.length === 0 ? 'the validator accepts it' : 'the validator finds only problems the schema cannot state'));
  }
}

describe(`the schema and the validator on ${verdicts.length} documents`, () => {
  it('no document has more problems than the validator lists (each line is seen and classified)', () => {
    expect(verdicts.filter((v) => v.lines.some((line) => MORE_PROBLEMS.test(line))).map((v) => v.name)).toEqual([]);
  });

  it('the schema rejects every document the validator rejects for its shape, at the field the validator names', () => {
    expect(schemaMisses.slice(0, 10), `${schemaMisses.length} disagreements`).toEqual([]);
  });

  it('the validator finds a problem of its shape in every document the schema rejects', () => {
    expect(validatorMisses.slice(0, 10), `${validatorMisses.length} disagreements`).toEqual([]);
  });

  it('covers both verdicts, and every rule only the validator checks', () => {
    expect(verdicts.filter((v) => v.lines.length === 0).length).toBeGreaterThan(50);
    expect(verdicts.filter((v) => v.shape.length > 0).length).toBeGreaterThan(1000);
    // Each semantic rule is met on its own, in a document the schema accepts: the schema does not state it.
    for (const { pattern, example } of SEMANTIC_MESSAGES) {
      const alone = verdicts.find(
        (v) => !v.schemaRejects && v.lines.length > 0 && v.lines.every((line) => pattern.test(problemMessage(line))),
      );
      expect(alone?.name, example).toBeDefined();
    }
    expect(verdicts.some((v) => !v.schemaRejects && v.lines.length > 0 && v.lines.every((line) => /^vms\[\d+\]\.guest: /.test(line)))).toBe(true);
    // The examples problem-kind.ts gives are lines the validator really writes.
    const written = new Set(verdicts.flatMap((v) => v.lines));
    for (const { example } of SEMANTIC_MESSAGES) expect(written.has(example), example).toBe(true);
  });
});

describe('the corpus', () => {
  it('starts from valid documents that use every field the validator reads, object by object', () => {
    const fields = new Map<string, Set<string>>();
    const collect = (value: unknown, kind: string): void => {
      if (typeof value !== 'object' || value === null) return;
      if (Array.isArray(value)) return value.forEach((item) => collect(item, `${kind}[]`));
      const keys = fields.get(kind) ?? new Set<string>();
      fields.set(kind, keys);
      for (const [key, child] of Object.entries(value)) {
        keys.add(key);
        collect(child, kind === '' ? key : `${kind}.${key}`);
      }
    };
    for (const base of BASES) collect(base.json(), '');
    const sorted = (list: Iterable<string> | undefined) => [...(list ?? [])].sort();
    expect(sorted(fields.get(''))).toEqual(sorted(SCENARIO_FIELDS));
    expect(sorted(fields.get('timing'))).toEqual(sorted(TIMING_FIELDS));
    expect(sorted(fields.get('scheduler'))).toEqual(sorted(SCHEDULER_FIELDS));
    expect(sorted(fields.get('scheduler.windows[]'))).toEqual(sorted(WINDOW_FIELDS));
    expect(sorted(fields.get('vms[]'))).toEqual(sorted(VM_FIELDS));
    expect(sorted(fields.get('vms[].onFault'))).toEqual(sorted(ON_FAULT_FIELDS));
    expect(sorted(fields.get('channels[]'))).toEqual(sorted(CHANNEL_FIELDS));
    expect(sorted(fields.get('channels[].endpoints[]'))).toEqual(sorted(ENDPOINT_FIELDS));
    for (const base of BASES) expect(verdicts.find((v) => v.name === base.name)).toMatchObject({ lines: [], schemaRejects: false });
  });
});
