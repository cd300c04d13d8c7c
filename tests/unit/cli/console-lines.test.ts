// Console lines prefixed by VM: escaped controls, long lines in marked pieces however the host's
// reads cut the output.

import { describe, expect, it } from 'vitest';
import { ConsoleLines, escapeControls, MAX_LINE_PIECE } from '../../../engine/cli/console-lines.js';

const bytes = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

/** What ConsoleLines prints for `chunks` of (VM, text), flushed at the end. */
function print(chunks: [string, string][]): string {
  let out = '';
  const lines = new ConsoleLines((text) => { out += text; });
  for (const [vm, text] of chunks) lines.add(vm, bytes(text));
  lines.flush();
  return out;
}

describe('ConsoleLines', () => {
  it('prefixes each line with its VM, across chunks and interleaved VMs', () => {
    expect(print([['rich', 'hel'], ['pin', 'ready\nwai'], ['rich', 'lo\nworld\n'], ['pin', 'ting']])).toBe(
      '[pin] ready\n[rich] hello\n[rich] world\n[pin] waiting\n',
    );
  });

  it('shows control characters escaped, so a VM cannot overwrite or forge a line', () => {
    const forged = print([['rich', 'x\r\x1b[2K[baseband] rt-timer: misses=1000\n']]);
    expect(forged).toBe('[rich] x\\r\\x1b[2K[baseband] rt-timer: misses=1000\n');
    expect(print([['rich', 'a\tb\x08\x7f\x9b\x00\n']])).toBe('[rich] a\tb\\x08\\x7f\\x9b\\x00\n');
  });

  it('reads each byte as one latin1 character, past the size of one decoding step', () => {
    expect(print([['rich', 'caf\xe9 \xa0\xff\n']])).toBe('[rich] caf\xe9 \xa0\xff\n');
    const long = '\xe9'.repeat(3 * 8192 + 1);
    expect(print([['rich', long]]).replaceAll(/\[rich\] |\\?\n/g, '')).toBe(long);
  });

  it('ends a line at CR LF without showing the CR', () => {
    expect(print([['rich', 'one\r'], ['rich', '\ntwo\r\n']])).toBe('[rich] one\n[rich] two\n');
  });

  it('prints a line longer than a piece in marked pieces, the same however it was cut', () => {
    const long = 'A'.repeat(2 * MAX_LINE_PIECE + 10);
    const expected = `[rich] ${'A'.repeat(MAX_LINE_PIECE)}\\\n`.repeat(2) + `[rich] ${'A'.repeat(10)}\n[rich] end\n`;
    expect(print([['rich', `${long}\nend`]])).toBe(expected);
    expect(print([...long].map((c): [string, string] => ['rich', c]).concat([['rich', '\nend']]))).toBe(expected);
    expect(print([['rich', 'B'.repeat(MAX_LINE_PIECE)], ['rich', '\n']])).toBe(`[rich] ${'B'.repeat(MAX_LINE_PIECE)}\n`);
  });

  it('prints a piece as soon as a line outgrows it, before the line ends', () => {
    const out: string[] = [];
    const lines = new ConsoleLines((text) => out.push(text));
    for (let i = 0; i < MAX_LINE_PIECE; i++) lines.add('rich', bytes('C'));
    expect(out).toEqual([]);
    lines.add('rich', bytes('C'));
    expect(out).toEqual([`[rich] ${'C'.repeat(MAX_LINE_PIECE)}\\\n`]);
  });
});

describe('escapeControls', () => {
  it('leaves printable text, TAB and Latin-1 letters alone', () => {
    expect(escapeControls('naïve\tcafé ~')).toBe('naïve\tcafé ~');
  });
});
