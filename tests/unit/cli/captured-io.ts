// The command line run in the test's own process, its output kept as text instead of a terminal's.

import { main } from '../../../engine/cli/main.js';

/** A stream that keeps what is written to it; not a TTY, so no progress line is drawn on it. */
export function capture(): { stream: NodeJS.WritableStream; text: () => string } {
  let text = '';
  const stream = { write: (chunk: string) => ((text += chunk), true) };
  return { stream: stream as unknown as NodeJS.WritableStream, text: () => text };
}

/** `tessera ARGV...`: its exit code and all it wrote to stdout and stderr. */
export async function tessera(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = capture();
  const stderr = capture();
  const code = await main(argv, { stdout: stdout.stream, stderr: stderr.stream });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}
