// Scenario text: malformed JSON is one line with where and why; well-formed text goes on to validation.

import { describe, expect, it } from 'vitest';
import { findJsonSyntaxError } from '../../../engine/scenario/json-syntax.js';
import { countProblems } from '../../../engine/scenario/fields.js';
import { parseScenarioText } from '../../../engine/scenario/validate.js';
import { baseScenario, SOURCE } from './fixtures.js';

const errorOf = (text: string): string[] => parseScenarioText(text, SOURCE).errors;

describe('parseScenarioText', () => {
  it('validates well-formed text, a byte-order mark allowed', () => {
    const text = '\ufeff' + JSON.stringify(baseScenario(), null, 2);
    expect(parseScenarioText(text, SOURCE).scenario?.vms).toHaveLength(2);
  });

  it('reports invalid JSON as one line with its line and column', () => {
    expect(errorOf('{\n  "name": "x",\n  "cores" 2\n}')).toEqual([
      "scenario: invalid JSON at line 3 column 11: unexpected '2', expected ':' after the property name",
    ]);
  });

  it('reports validation errors of well-formed text', () => {
    expect(errorOf('{"name": "x"}')).toHaveLength(4);
  });
});

describe('findJsonSyntaxError says what is wrong', () => {
  const cases: [string, string, number, number][] = [
    ['', 'unexpected end of input, expected a value', 1, 1],
    ['{"a": 1', "unexpected end of input, expected ',' or '}' after the property value", 1, 8],
    ['{"a": 1,}', "trailing comma before '}'", 1, 9],
    ['[1, 2,]', "trailing comma before ']'", 1, 7],
    ["{'a': 1}", "unexpected \"'\", expected a property name in double quotes", 1, 2],
    ['{"a": tru}', "unexpected 't', expected a value", 1, 7],
    ['{"a": 01}', 'malformed number', 1, 8],
    ['{"a": "x\\q"}', "bad escape '\\q' in a string", 1, 9],
    ['{"a": "x\ny"}', 'character U+000A inside a string (escape it)', 1, 9],
    ['{"a": "x', 'unterminated string', 1, 7],
    ['{} {}', "unexpected '{' after the JSON value", 1, 4],
    ['{\n  // comment\n}', 'comments are not allowed in JSON', 2, 3],
  ];
  for (const [text, message, line, column] of cases) {
    it(`${JSON.stringify(text)}: ${message}`, () => {
      expect(() => JSON.parse(text)).toThrow();
      expect(findJsonSyntaxError(text)).toEqual({ line, column, message });
    });
  }

  it('finds nothing wrong in valid JSON', () => {
    for (const text of ['{}', '[]', '0', '-1.5e+3', '"\\u00e9"', JSON.stringify(baseScenario(), null, 2)]) {
      expect(findJsonSyntaxError(text)).toBeUndefined();
    }
  });

  it('stops at absurd nesting instead of exhausting the stack', () => {
    const text = '['.repeat(100_000);
    expect(findJsonSyntaxError(text)).toEqual({ line: 1, column: 513, message: 'nested deeper than 512 levels' });
  });
});

describe('countProblems', () => {
  it('counts the problems a capped list stands for', () => {
    expect(countProblems(['a: x'])).toBe(1);
    expect(countProblems(['a: x', 'b: y', '… and 1 more problem'])).toBe(3);
    expect(countProblems([...Array.from({ length: 20 }, (_, i) => `f${i}: unknown field`), '… and 199980 more problems'])).toBe(200_000);
  });
});
