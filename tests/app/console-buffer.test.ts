// The monitor's console path: each VM's bytes reach its own terminal raw (escape sequences and all),
// never mixed with another VM's, and a flood is bounded per sample.

import { describe, expect, it } from 'vitest';
import { ConsoleBuffer, MAX_CONSOLE_CHARS_PER_SAMPLE } from '../../app/host/console-buffer.js';

const bytes = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

describe('ConsoleBuffer', () => {
  it("keeps each VM's output apart and its bytes raw, control characters included", () => {
    const buffer = new ConsoleBuffer();
    buffer.add('rich', bytes('loading\r\x1b[2K[baseband] rt-timer: '));
    buffer.add('baseband', bytes('rt-timer: n=1000 misses=0\n'));
    buffer.add('rich', bytes('misses=1000\n\x9b\xe9'));
    expect(buffer.drain()).toEqual([
      { vm: 'rich', text: 'loading\r\x1b[2K[baseband] rt-timer: misses=1000\n\x9b\xe9' },
      { vm: 'baseband', text: 'rt-timer: n=1000 misses=0\n' },
    ]);
    expect(buffer.drain()).toEqual([]);
  });

  it("keeps a flooding VM's newest output and says how much was dropped, leaving the others whole", () => {
    const buffer = new ConsoleBuffer();
    buffer.add('hog', bytes('x'.repeat(MAX_CONSOLE_CHARS_PER_SAMPLE)));
    buffer.add('pin', bytes('pin: ready\n'));
    buffer.add('hog', bytes('tail'));
    const [hog, pin] = buffer.drain();
    expect(hog.text).toBe(`[4 characters not shown]\n${'x'.repeat(MAX_CONSOLE_CHARS_PER_SAMPLE - 4)}tail`);
    expect(pin).toEqual({ vm: 'pin', text: 'pin: ready\n' });
  });
});
