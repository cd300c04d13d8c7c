// The one-line progress of `tessera sweep`: pure formatting, so the caller owns clocks and terminals.

export interface SweepProgress {
  done: number;
  total: number;
  elapsedMs: number;
  /** undefined until a run has finished and the remaining time can be estimated. */
  remainingMs: number | undefined;
  /** The run in progress, e.g. "cores=2 quantum=10000". */
  current?: string;
  /** Cells of the bar (default 24). */
  width?: number;
}

/** E.g. `[########............] 4/10 runs  elapsed 1:05  remaining ~1:38  cores=2 quantum=10000`. */
export function formatProgress(p: SweepProgress): string {
  const width = Math.max(1, Math.floor(p.width ?? 24));
  const fraction = p.total > 0 ? Math.min(1, Math.max(0, p.done / p.total)) : 0;
  const filled = Math.floor(fraction * width);
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
  const remaining = p.remainingMs === undefined || !Number.isFinite(p.remainingMs) ? '?' : `~${formatDuration(p.remainingMs)}`;
  const parts = [`${bar} ${p.done}/${p.total} runs`, `elapsed ${formatDuration(p.elapsedMs)}`, `remaining ${remaining}`];
  if (p.current) parts.push(p.current);
  return parts.join('  ');
}

/** m:ss, or h:mm:ss from an hour on; negative or non-finite durations show as 0:00. */
export function formatDuration(ms: number): string {
  const total = Number.isFinite(ms) && ms > 0 ? Math.round(ms / 1000) : 0;
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** Mean wall time of the finished runs times the runs left; undefined before any run finished. */
export function estimateRemainingMs(doneWallMs: number[], remainingRuns: number): number | undefined {
  if (doneWallMs.length === 0) return undefined;
  const mean = doneWallMs.reduce((a, b) => a + b, 0) / doneWallMs.length;
  return mean * Math.max(0, remainingRuns);
}
