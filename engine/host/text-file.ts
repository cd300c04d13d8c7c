// Writes a report file (JSON, CSV) for the CLI.

import { writeFile } from 'node:fs/promises';

export async function writeTextFile(path: string, text: string): Promise<void> {
  await writeFile(path, text);
}
