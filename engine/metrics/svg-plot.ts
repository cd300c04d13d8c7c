// A small line-chart renderer producing standalone SVG, so sweep results can be plotted without a
// charting dependency and opened in any browser.

export interface PlotPoint {
  x: number;
  y: number;
  /** Error bar from yLow to yHigh, drawn when both are finite and differ. */
  yLow?: number;
  yHigh?: number;
}

export interface PlotSeries {
  name: string;
  points: PlotPoint[];
  /** Drawn with a dashed line (used for reference lines such as "ideal"). */
  dashed?: boolean;
}

export interface LineChart {
  title: string;
  xLabel: string;
  yLabel: string;
  series: PlotSeries[];
  /** Space x by log2 (core counts 1, 2, 4, 8 evenly); x <= 0 is skipped. */
  xLog2?: boolean;
  /** Lowest y the axis shows (e.g. 0), extended further down only if data lies below it. */
  yMin?: number;
  /** A line of text shown in the plot area. */
  note?: string;
}

/** Canvas size and plot area in pixels; exported so tests can compute where a point lands. */
export const CHART_GEOMETRY = { width: 720, height: 440, left: 70, top: 44, right: 520, bottom: 380 } as const;

/** Okabe–Ito colours: distinguishable with the common colour-vision deficiencies. */
const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#999999'];
const TARGET_TICKS = 6;

interface Axis {
  lo: number;
  hi: number;
  ticks: number[];
  /** Axis value (log2 of x on a log axis) to pixel. */
  toPixel: (v: number) => number;
  format: (v: number) => string;
}

export function renderLineChart(chart: LineChart): string {
  const g = CHART_GEOMETRY;
  const xOf = (x: number): number => (chart.xLog2 ? (x > 0 ? Math.log2(x) : NaN) : x);
  // Only finite points are drawn; error-bar ends count towards the y range too.
  const series = chart.series.map((s) => ({
    ...s,
    points: s.points.filter((p) => Number.isFinite(xOf(p.x)) && Number.isFinite(p.y)),
  }));
  const points = series.flatMap((s) => s.points);
  const xs = points.map((p) => xOf(p.x));
  const ys = points.flatMap((p) => [p.y, ...[p.yLow, p.yHigh].filter(finite)]);
  const yMin = finite(chart.yMin) ? chart.yMin : undefined;
  if (yMin !== undefined) ys.push(yMin);

  const xAxis = chart.xLog2
    ? log2Axis(xs, g.left, g.right)
    : linearAxis(xs, g.left, g.right);
  const yAxis = linearAxis(ys, g.bottom, g.top, yMin);
  const px = (x: number): number => xAxis.toPixel(xOf(x));
  const py = (y: number): number => yAxis.toPixel(y);

  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${g.width}" height="${g.height}" viewBox="0 0 ${g.width} ${g.height}" font-family="sans-serif" font-size="12">`,
    `<title>${escapeXml(chart.title)}</title>`,
    `<rect width="${g.width}" height="${g.height}" fill="#ffffff"/>`,
    `<text class="title" x="${num((g.left + g.right) / 2)}" y="24" text-anchor="middle" font-size="16" font-weight="bold">${escapeXml(chart.title)}</text>`,
  ];

  // Gridlines and tick labels.
  for (const t of xAxis.ticks) {
    const x = num(xAxis.toPixel(t));
    out.push(`<line class="grid" x1="${x}" y1="${g.top}" x2="${x}" y2="${g.bottom}" stroke="#e0e0e0"/>`);
    out.push(`<text class="tick-x" x="${x}" y="${g.bottom + 16}" text-anchor="middle">${escapeXml(xAxis.format(t))}</text>`);
  }
  for (const t of yAxis.ticks) {
    const y = num(yAxis.toPixel(t));
    out.push(`<line class="grid" x1="${g.left}" y1="${y}" x2="${g.right}" y2="${y}" stroke="#e0e0e0"/>`);
    out.push(`<text class="tick-y" x="${g.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${escapeXml(yAxis.format(t))}</text>`);
  }
  out.push(`<path class="axes" d="M${g.left} ${g.top}V${g.bottom}H${g.right}" fill="none" stroke="#333333"/>`);
  out.push(`<text class="x-label" x="${num((g.left + g.right) / 2)}" y="${g.bottom + 40}" text-anchor="middle">${escapeXml(chart.xLabel)}</text>`);
  const yLabelX = 18;
  const yLabelY = num((g.top + g.bottom) / 2);
  out.push(`<text class="y-label" x="${yLabelX}" y="${yLabelY}" text-anchor="middle" transform="rotate(-90 ${yLabelX} ${yLabelY})">${escapeXml(chart.yLabel)}</text>`);

  // Series: line, error bars, markers.
  series.forEach((s, i) => {
    const colour = PALETTE[i % PALETTE.length];
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    if (s.points.length > 1) {
      const coords = s.points.map((p) => `${num(px(p.x))},${num(py(p.y))}`).join(' ');
      out.push(`<polyline class="line" data-series="${i}" points="${coords}" fill="none" stroke="${colour}" stroke-width="2"${dash}/>`);
    }
    for (const p of s.points) {
      if (!finite(p.yLow) || !finite(p.yHigh) || p.yLow === p.yHigh) continue;
      const x = px(p.x);
      const lo = num(py(p.yLow));
      const hi = num(py(p.yHigh));
      out.push(`<path class="error-bar" data-series="${i}" d="M${num(x)} ${lo}V${hi}M${num(x - 4)} ${lo}H${num(x + 4)}M${num(x - 4)} ${hi}H${num(x + 4)}" stroke="${colour}"/>`);
    }
    for (const p of s.points) {
      out.push(`<circle class="marker" data-series="${i}" cx="${num(px(p.x))}" cy="${num(py(p.y))}" r="3.5" fill="${colour}"/>`);
    }
  });

  // Legend to the right of the plot area.
  chart.series.forEach((s, i) => {
    const colour = PALETTE[i % PALETTE.length];
    const y = g.top + 8 + i * 20;
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    out.push(`<line x1="${g.right + 14}" y1="${y}" x2="${g.right + 38}" y2="${y}" stroke="${colour}" stroke-width="2"${dash}/>`);
    out.push(`<circle cx="${g.right + 26}" cy="${y}" r="3.5" fill="${colour}"/>`);
    out.push(`<text class="legend" x="${g.right + 44}" y="${y}" dominant-baseline="middle">${escapeXml(s.name)}</text>`);
  });

  const messages = [...(points.length === 0 ? ['no data'] : []), ...(chart.note ? [chart.note] : [])];
  messages.forEach((m, i) => {
    const y = num((g.top + g.bottom) / 2 + (i - (messages.length - 1) / 2) * 20);
    out.push(`<text class="message" x="${num((g.left + g.right) / 2)}" y="${y}" text-anchor="middle" fill="#555555" font-style="italic">${escapeXml(m)}</text>`);
  });

  out.push('</svg>', '');
  return out.join('\n');
}

/** Escapes text for XML content and attributes, dropping the control characters XML 1.0 forbids. */
export function escapeXml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** Compact tick label: 1500 → "1.5k", 2000000 → "2M", 0.25 → "0.25". */
export function formatTick(v: number): string {
  const abs = Math.abs(v);
  const short = (n: number): string => String(Number(n.toPrecision(4)));
  if (abs >= 1e9) return `${short(v / 1e9)}G`;
  if (abs >= 1e6) return `${short(v / 1e6)}M`;
  if (abs >= 1e3) return `${short(v / 1e3)}k`;
  return short(v);
}

/** The 1, 2 or 5 × 10^n step whose tick count over `range` is nearest `TARGET_TICKS`. */
export function niceStep(range: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(range / TARGET_TICKS));
  const candidates = [1, 2, 5, 10].map((m) => m * magnitude);
  const off = (step: number): number => Math.abs(range / step - TARGET_TICKS);
  return candidates.reduce((best, step) => (off(step) < off(best) ? step : best));
}

/** `floor`: the chart's yMin; a zero range sitting on it grows upwards only. */
function linearAxis(values: number[], pixelLo: number, pixelHi: number, floor?: number): Axis {
  let [min, max] = extent(values, 0, 1);
  // A zero range (one point, all-equal values) gets room either side so the point sits mid-axis.
  if (max === min) {
    const pad = Math.abs(min) * 0.1 || 1;
    if (min !== floor) min -= pad;
    max += pad;
  }
  const step = niceStep(max - min);
  const first = Math.floor(min / step);
  const last = Math.ceil(max / step);
  const ticks: number[] = [];
  // Ticks as integer multiples of the step, so no accumulated floating-point error shows in labels.
  for (let k = first; k <= last; k++) ticks.push(k === 0 ? 0 : k * step);
  const lo = first * step;
  const hi = last * step;
  return { lo, hi, ticks, toPixel: scale(lo, hi, pixelLo, pixelHi), format: formatTick };
}

/** Values are already log2; ticks sit at whole powers of two. */
function log2Axis(values: number[], pixelLo: number, pixelHi: number): Axis {
  let [lo, hi] = extent(values, 0, 1);
  lo = Math.floor(lo);
  hi = Math.ceil(hi);
  if (hi === lo) {
    lo -= 1;
    hi += 1;
  }
  const ticks: number[] = [];
  // Too many powers to label each: label every n-th.
  const every = Math.max(1, Math.ceil((hi - lo) / 12));
  for (let k = lo; k <= hi; k += every) ticks.push(k);
  return { lo, hi, ticks, toPixel: scale(lo, hi, pixelLo, pixelHi), format: (k) => formatTick(2 ** k) };
}

function extent(values: number[], emptyLo: number, emptyHi: number): [number, number] {
  if (values.length === 0) return [emptyLo, emptyHi];
  return [Math.min(...values), Math.max(...values)];
}

function scale(lo: number, hi: number, pixelLo: number, pixelHi: number): (v: number) => number {
  return (v) => pixelLo + ((v - lo) / (hi - lo)) * (pixelHi - pixelLo);
}

/** Coordinates rounded to 2 decimals, without "-0". */
function num(n: number): string {
  const r = Math.round(n * 100) / 100;
  return String(r === 0 ? 0 : r);
}

function finite(v: number | undefined): v is number {
  return v !== undefined && Number.isFinite(v);
}
