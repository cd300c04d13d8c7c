// Collects each VM's console bytes between two samples, bounded so a chatty guest cannot flood the UI.

/** Most console characters per VM in one sample; beyond it the oldest are dropped, and said so. */
export const MAX_CONSOLE_CHARS_PER_SAMPLE = 64 * 1024;

export class ConsoleBuffer {
  private readonly pending = new Map<string, { text: string; dropped: number }>();

  add(vm: string, bytes: Uint8Array): void {
    const entry = this.pending.get(vm) ?? { text: '', dropped: 0 };
    // Guests print bytes; latin1 maps each to one character, as the CLI does.
    entry.text += Buffer.from(bytes).toString('latin1');
    if (entry.text.length > MAX_CONSOLE_CHARS_PER_SAMPLE) {
      entry.dropped += entry.text.length - MAX_CONSOLE_CHARS_PER_SAMPLE;
      entry.text = entry.text.slice(-MAX_CONSOLE_CHARS_PER_SAMPLE);
    }
    this.pending.set(vm, entry);
  }

  drain(): { vm: string; text: string }[] {
    const out = [...this.pending].map(([vm, { text, dropped }]) => ({ vm, text: dropped > 0 ? `[${dropped} characters not shown]\n${text}` : text }));
    this.pending.clear();
    return out;
  }
}
