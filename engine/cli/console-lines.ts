// VMs' console output as lines prefixed by the VM's name, with control characters shown escaped so
// that no VM can forge another's lines, in time linear in the output and bounded memory per VM.

/** Longest piece of a line printed at once; a longer line goes on in the next piece. */
export const MAX_LINE_PIECE = 4096;
/** Ends every piece of a long line but its last. */
export const CONTINUATION_MARK = '\\';

// C0 controls but TAB (LF ends lines), DEL, and C1 controls (0x9b starts a terminal sequence too).
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

/** `text` with every control character but TAB written out: CR as `\r`, the others as `\xNN`. */
export function escapeControls(text: string): string {
  return text.replace(CONTROL, (c) => (c === '\r' ? '\\r' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
}

/** Bytes passed to String.fromCharCode at once: far below any engine's limit on arguments. */
const LATIN1_CHUNK = 8192;

/** Guests print bytes; latin1 maps each to one character (U+0000 to U+00FF). */
function latin1(bytes: Uint8Array): string {
  let text = '';
  for (let at = 0; at < bytes.length; at += LATIN1_CHUNK) text += String.fromCharCode(...bytes.subarray(at, at + LATIN1_CHUNK));
  return text;
}

/**
 * Splits each VM's bytes into lines. The unfinished line of a VM is kept as pieces (never
 * re-concatenated per chunk) and is at most MAX_LINE_PIECE characters: a longer line is printed in
 * pieces, each but the last ending in CONTINUATION_MARK, wherever the host's reads happened to cut
 * the output. A CR just before LF ends the line with it.
 */
export class ConsoleLines {
  private readonly unfinished = new Map<string, { pieces: string[]; length: number }>();

  constructor(private readonly write: (text: string) => void) {}

  add(vm: string, bytes: Uint8Array): void {
    const text = latin1(bytes);
    const line = this.lineOf(vm);
    const out: string[] = [];
    for (let start = 0; ;) {
      const end = text.indexOf('\n', start);
      this.append(vm, line, text.slice(start, end < 0 ? text.length : end), out);
      if (end < 0) break;
      const whole = line.pieces.join('');
      out.push(this.format(vm, whole.endsWith('\r') ? whole.slice(0, -1) : whole, ''));
      line.pieces = [];
      line.length = 0;
      start = end + 1;
    }
    if (out.length > 0) this.write(out.join(''));
  }

  /** Prints every VM's unfinished line (at the end of a run). */
  flush(): void {
    const out: string[] = [];
    for (const [vm, line] of this.unfinished) if (line.length > 0) out.push(this.format(vm, line.pieces.join(''), ''));
    this.unfinished.clear();
    if (out.length > 0) this.write(out.join(''));
  }

  private lineOf(vm: string): { pieces: string[]; length: number } {
    let line = this.unfinished.get(vm);
    if (line === undefined) this.unfinished.set(vm, (line = { pieces: [], length: 0 }));
    return line;
  }

  /** Adds `text` to the VM's line; while more than a piece is held, prints a piece with the mark. */
  private append(vm: string, line: { pieces: string[]; length: number }, text: string, out: string[]): void {
    if (text.length === 0) return;
    line.pieces.push(text);
    line.length += text.length;
    if (line.length <= MAX_LINE_PIECE) return;
    const whole = line.pieces.join('');
    let at = 0;
    for (; whole.length - at > MAX_LINE_PIECE; at += MAX_LINE_PIECE) out.push(this.format(vm, whole.slice(at, at + MAX_LINE_PIECE), CONTINUATION_MARK));
    line.pieces = [whole.slice(at)];
    line.length = whole.length - at;
  }

  private format(vm: string, text: string, mark: string): string {
    return `[${vm}] ${escapeControls(text)}${mark}\n`;
  }
}
