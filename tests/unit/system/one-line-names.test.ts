// Names that come from outside (a control request's field, a VM named in a command, a JSON escape)
// never split an error over two lines, however they are written.

import { describe, expect, it } from 'vitest';
import { parseScenarioText } from '../../../engine/scenario/validate.js';
import { describeName } from '../../../engine/scenario/fields.js';
import { parseControlRequest } from '../../../engine/system/control-protocol.js';
import { SOURCE } from '../scenario/fixtures.js';

describe('names in one-line errors', () => {
  it('a plain name is quoted as it is; any other is escaped and cut', () => {
    expect(describeName('rich')).toBe("'rich'");
    expect(describeName('a\nb')).toBe('"a\\nb"');
    expect(describeName("it's")).toBe('"it\'s"');
    expect(describeName('x'.repeat(500)).length).toBeLessThan(50);
  });

  it('an unknown control request field with a line break stays one line', () => {
    expect(parseControlRequest('{"command":"pause","vm":"x","a\\nb":1}')).toBe('unknown field "a\\nb"');
  });

  it('a bad JSON escape made of a control character names it', () => {
    const errors = parseScenarioText('{"name": "a\\\rb"}', SOURCE).errors;
    expect(errors).toHaveLength(1);
    expect(errors[0]).not.toMatch(/[\r\n]/);
    expect(errors[0]).toContain("bad escape '\\<U+000D>'");
  });
});
