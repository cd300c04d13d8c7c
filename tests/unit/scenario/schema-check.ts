// scenarios/scenario.schema.json compiled by ajv (strict, every error): what a JSON Schema editor sees.

import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { fieldPath } from '../../../engine/scenario/fields.js';

export const schema = JSON.parse(readFileSync(new URL('../../../scenarios/scenario.schema.json', import.meta.url), 'utf8')) as Record<string, unknown>;

/**
 * Strict mode throws on anything ajv would otherwise ignore or guess (unknown keywords, keywords
 * that cannot apply to the type a subschema allows, ...) but for strictRequired, which cannot see
 * the `properties` an `if`/`then` sits beside (ajv-validator/ajv#1950) and so rejects the standard
 * "required under this policy" idiom.
 */
export function compileSchema() {
  const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true });
  return ajv.compile(schema);
}

const validate = compileSchema();

/** Every error the schema finds in `json`; [] when it accepts it. */
export function schemaErrors(json: unknown): ErrorObject[] {
  return validate(json) ? [] : [...(validate.errors ?? [])];
}

/**
 * The field an error is about, spelt as the hand validator spells paths ("vms[0].name",
 * `scenario["odd key"]`): a missing or unknown field is the field itself, not the object holding it.
 */
export function errorField(error: ErrorObject): string {
  let path = '';
  for (const part of error.instancePath.split('/').slice(1)) {
    const key = part.replaceAll('~1', '/').replaceAll('~0', '~');
    path = /^\d+$/.test(key) ? `${path}[${key}]` : fieldPath(path, key);
  }
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required') return fieldPath(path, String(params.missingProperty));
  if (error.keyword === 'additionalProperties') return fieldPath(path, String(params.additionalProperty));
  // "budget needs a period": the hand validator names the field that is there.
  if (error.keyword === 'dependentRequired') return fieldPath(path, String(params.property));
  return path || 'scenario';
}

/** One line per error, for a failing test's message. */
export function describeErrors(errors: readonly ErrorObject[]): string[] {
  return errors.map((e) => `${errorField(e)}: ${e.keyword} ${e.message ?? ''}`);
}
