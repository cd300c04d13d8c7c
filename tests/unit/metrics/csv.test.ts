// CSV fields: quoted only when they need it, the same in every CSV file Tessera writes.

import { describe, expect, it } from 'vitest';
import { csvField } from '../../../engine/metrics/csv.js';

describe('csvField', () => {
  it('leaves plain text and numbers as they are', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField(12.5)).toBe('12.5');
    expect(csvField('')).toBe('');
  });

  it('quotes separators, quotes, line breaks and comment marks, doubling the quotes', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('a\nb')).toBe('"a\nb"');
    expect(csvField('a\rb')).toBe('"a\rb"');
    expect(csvField('#1')).toBe('"#1"');
  });
});
