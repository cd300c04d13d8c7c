// CSV fields as every CSV file of Tessera writes them: `tessera sweep`'s results and the monitor's
// metrics export.

/**
 * A field, quoted (RFC 4180) when it holds a separator, a quote or a line break, or a '#': readers
 * that take '#' for a comment (the sweep's files open with '#' lines) then never cut a row short.
 */
export function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n#]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
