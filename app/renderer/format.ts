// Number formatting shared by the panels.

export function fixed(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(digits);
}

const GROUPED = new Intl.NumberFormat('en-US');

export function count(value: number): string {
  return GROUPED.format(value);
}

export function hex(value: number, digits = 8): string {
  return '0x' + value.toString(16).padStart(digits, '0');
}

export function bytes(value: number): string {
  if (value >= 1 << 30 && value % (1 << 30) === 0) return `${value / (1 << 30)} GiB`;
  if (value >= 1 << 20) return `${+(value / (1 << 20)).toFixed(2)} MiB`;
  if (value >= 1 << 10) return `${+(value / (1 << 10)).toFixed(2)} KiB`;
  return `${value} B`;
}

export function megabytesPerSecond(value: number | null): string {
  return value === null ? '–' : (value / 1e6).toFixed(2);
}
