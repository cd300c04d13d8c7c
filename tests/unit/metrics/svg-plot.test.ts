// The SVG line chart: well-formed XML, points where the axes say, and no NaN on awkward input.

import { describe, expect, it } from 'vitest';
import { CHART_GEOMETRY as G, escapeXml, formatTick, niceStep, renderLineChart, type LineChart } from '../../../engine/metrics/svg-plot.js';

/** Throws unless `xml` is well-formed (one root, balanced tags, quoted attributes, known entities). */
function checkWellFormed(xml: string): void {
  let i = xml.startsWith('<?xml') ? xml.indexOf('?>') + 2 : 0;
  const stack: string[] = [];
  let roots = 0;
  const fail = (why: string): never => {
    throw new Error(`${why} at ${i}: ${xml.slice(i, i + 60)}`);
  };
  const checkText = (text: string): void => {
    if (text.includes('<')) fail('"<" in text or attribute');
    for (let a = text.indexOf('&'); a >= 0; a = text.indexOf('&', a + 1)) {
      if (!/^&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);/i.test(text.slice(a))) fail('bare "&"');
    }
  };
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = xml.slice(i, lt < 0 ? xml.length : lt);
    if (stack.length === 0 && text.trim() !== '') fail('text outside the root');
    checkText(text);
    if (lt < 0) break;
    // The tag ends at the first ">" outside a quoted attribute value.
    let gt = lt + 1;
    for (let quoted = false; gt < xml.length && (quoted || xml[gt] !== '>'); gt++) if (xml[gt] === '"') quoted = !quoted;
    if (gt >= xml.length) fail('unterminated tag');
    const tag = xml.slice(lt + 1, gt);
    i = lt;
    if (tag.startsWith('/')) {
      if (stack.pop() !== tag.slice(1).trim()) fail(`unbalanced </${tag.slice(1)}>`);
    } else {
      const selfClosing = tag.endsWith('/');
      const m = /^([A-Za-z_][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*="[^"]*")*)\s*$/.exec(selfClosing ? tag.slice(0, -1) : tag);
      if (!m) fail('malformed tag');
      const attrs = [...m![2].matchAll(/([\w.:-]+)="([^"]*)"/g)];
      if (new Set(attrs.map((a) => a[1])).size !== attrs.length) fail('duplicate attribute');
      for (const a of attrs) checkText(a[2]);
      if (stack.length === 0 && roots++ > 0) fail('second root element');
      if (!selfClosing) stack.push(m![1]);
    }
    i = gt + 1;
  }
  if (stack.length > 0) fail(`unclosed <${stack.join('> <')}>`);
  if (roots !== 1) fail('no root element');
}

/** Markers of one series as [cx, cy] pairs. */
function markers(svg: string, series = 0): [number, number][] {
  const re = new RegExp(`<circle class="marker" data-series="${series}" cx="([^"]+)" cy="([^"]+)"`, 'g');
  return [...svg.matchAll(re)].map((m) => [Number(m[1]), Number(m[2])]);
}

function expectSound(svg: string): void {
  checkWellFormed(svg);
  expect(svg).not.toMatch(/NaN|Infinity|undefined/);
}

const chart = (over: Partial<LineChart>): LineChart => ({ title: 'T', xLabel: 'x', yLabel: 'y', series: [], ...over });

describe('the well-formedness check itself', () => {
  it('rejects what a browser would', () => {
    expect(() => checkWellFormed('<svg><g></svg>')).toThrow();
    expect(() => checkWellFormed('<svg>a & b</svg>')).toThrow();
    expect(() => checkWellFormed('<svg a="1" a="2"/>')).toThrow();
    expect(() => checkWellFormed('<svg/><svg/>')).toThrow();
    expect(() => checkWellFormed('<svg><text x=1>t</text></svg>')).toThrow();
    expect(() => checkWellFormed('<svg><text x="a>b">&lt;&amp;</text></svg>')).not.toThrow();
  });
});

describe('renderLineChart', () => {
  const full = chart({
    title: 'Speed & <scale> "test"',
    xLabel: 'cores',
    yLabel: 'speed-up',
    series: [
      { name: 'quantum <10000>, "fixed" & co', points: [{ x: 1, y: 1, yLow: 0.9, yHigh: 1.1 }, { x: 2, y: 1.8, yLow: 1.7, yHigh: 1.9 }] },
      { name: 'ideal', dashed: true, points: [{ x: 1, y: 1 }, { x: 2, y: 2 }] },
    ],
    xLog2: true,
    yMin: 0,
    note: 'a note',
  });
  const svg = renderLineChart(full);

  it('is a standalone, well-formed SVG document with title, axis labels, legend and note escaped', () => {
    expectSound(svg);
    expect(svg.startsWith('<?xml')).toBe(true);
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(svg).toContain('Speed &amp; &lt;scale&gt; &quot;test&quot;');
    expect(svg).toContain('>quantum &lt;10000&gt;, &quot;fixed&quot; &amp; co</text>');
    expect(svg).toContain('>ideal</text>');
    expect(svg).toContain('>cores</text>');
    expect(svg).toContain('>speed-up</text>');
    expect(svg).toContain('>a note</text>');
    expect(svg).not.toContain('no data');
  });

  it('dashes the dashed series only, gives each series its own colour, and draws error bars', () => {
    const lines = [...svg.matchAll(/<polyline [^>]*>/g)].map((m) => m[0]);
    expect(lines).toHaveLength(2);
    expect(lines[0]).not.toContain('stroke-dasharray');
    expect(lines[1]).toContain('stroke-dasharray');
    const colour = (s: string) => /stroke="([^"]+)"/.exec(s)![1];
    expect(colour(lines[0])).not.toBe(colour(lines[1]));
    expect(svg.match(/class="error-bar" data-series="0"/g)).toHaveLength(2);
    expect(svg).not.toContain('class="error-bar" data-series="1"');
  });

  it('puts a marker at the pixel its value maps to', () => {
    const out = renderLineChart(chart({ series: [{ name: 's', points: [{ x: 0, y: 0 }, { x: 5, y: 5 }, { x: 10, y: 10 }] }] }));
    // Both axes run 0..10 exactly (nice bounds), so 5 sits mid-way.
    expect(markers(out)).toEqual([
      [G.left, G.bottom],
      [(G.left + G.right) / 2, (G.top + G.bottom) / 2],
      [G.right, G.top],
    ]);
  });

  it('spaces 1, 2, 4, 8 evenly on a log2 axis and labels them', () => {
    const out = renderLineChart(chart({ xLog2: true, series: [{ name: 's', points: [1, 2, 4, 8].map((x) => ({ x, y: x })) }] }));
    const xs = markers(out).map(([x]) => x);
    const gaps = xs.slice(1).map((x, k) => x - xs[k]);
    expect(xs[0]).toBe(G.left);
    expect(xs[3]).toBe(G.right);
    for (const gap of gaps) expect(gap).toBeCloseTo((G.right - G.left) / 3, 1);
    const labels = [...out.matchAll(/class="tick-x"[^>]*>([^<]*)</g)].map((m) => m[1]);
    expect(labels).toEqual(['1', '2', '4', '8']);
  });

  it('labels the y axis with nice, compact ticks that cover the data', () => {
    const out = renderLineChart(chart({ yMin: 0, series: [{ name: 's', points: [{ x: 0, y: 100 }, { x: 1, y: 1234 }] }] }));
    const labels = [...out.matchAll(/class="tick-y"[^>]*>([^<]*)</g)].map((m) => m[1]);
    expect(labels).toEqual(['0', '200', '400', '600', '800', '1k', '1.2k', '1.4k']);
  });

  it('rounds coordinates to 2 decimals', () => {
    const out = renderLineChart(chart({ series: [{ name: 's', points: [{ x: 0, y: 0 }, { x: 1 / 3, y: 2 / 7 }, { x: 1, y: 1 }] }] }));
    const tags = out.match(/<[^>]+>/g)!.join(' ');
    expect(tags).not.toMatch(/\d\.\d{3}/);
  });

  it('renders axes and "no data" for no series, or series without points', () => {
    for (const series of [[], [{ name: 'empty', points: [] }]]) {
      for (const xLog2 of [false, true]) {
        const out = renderLineChart(chart({ series, xLog2, yMin: 0 }));
        expectSound(out);
        expect(out).toContain('>no data</text>');
        expect(out).toContain('class="axes"');
        expect(out).toContain('class="tick-x"');
        expect(out).not.toContain('class="marker"');
      }
    }
    expect(renderLineChart(chart({ series: [{ name: 'empty', points: [] }] }))).toContain('>empty</text>');
  });

  it('copes with a single point, all-equal values and zero ranges', () => {
    for (const points of [[{ x: 3, y: 7 }], [{ x: 0, y: 0 }], [{ x: 1, y: 5 }, { x: 2, y: 5 }], [{ x: 4, y: 1 }, { x: 4, y: 2 }]]) {
      for (const xLog2 of [false, true]) {
        const out = renderLineChart(chart({ xLog2, series: [{ name: 's', points }] }));
        expectSound(out);
        expect(markers(out)).toHaveLength(xLog2 ? points.filter((p) => p.x > 0).length : points.length);
        for (const [x, y] of markers(out)) {
          expect(x).toBeGreaterThanOrEqual(G.left);
          expect(x).toBeLessThanOrEqual(G.right);
          expect(y).toBeGreaterThanOrEqual(G.top);
          expect(y).toBeLessThanOrEqual(G.bottom);
        }
      }
    }
    // A lone value on yMin keeps the axis from dipping below it.
    const onFloor = renderLineChart(chart({ yMin: 0, series: [{ name: 's', points: [{ x: 1, y: 0 }] }] }));
    expect(markers(onFloor)[0][1]).toBe(G.bottom);
  });

  it('skips non-finite values, and x <= 0 on a log axis', () => {
    const out = renderLineChart(chart({
      xLog2: true,
      series: [{
        name: 's',
        points: [
          { x: 1, y: 1, yLow: -Infinity, yHigh: 2 },
          { x: 2, y: NaN },
          { x: Infinity, y: 3 },
          { x: 0, y: 4 },
          { x: 4, y: Infinity },
          { x: 8, y: 2, yLow: NaN, yHigh: NaN },
        ],
      }],
    }));
    expectSound(out);
    expect(markers(out)).toHaveLength(2);
    expect(out).not.toContain('class="error-bar"');
  });
});

describe('helpers', () => {
  it('formats ticks compactly', () => {
    expect([0, 0.25, 1, 250, 1500, 2000000, 3e9, -2000, 12500, 0.001].map(formatTick)).toEqual(
      ['0', '0.25', '1', '250', '1.5k', '2M', '3G', '-2k', '12.5k', '0.001'],
    );
  });

  it('picks 1, 2 or 5 times a power of ten', () => {
    for (const range of [0.003, 0.7, 1, 7, 10, 99, 1234, 5e6]) {
      const step = niceStep(range);
      const mantissa = step / 10 ** Math.floor(Math.log10(step) + 1e-9);
      expect([1, 2, 5]).toContainEqual(Number(mantissa.toPrecision(6)));
      expect(range / step).toBeGreaterThanOrEqual(3);
      expect(range / step).toBeLessThanOrEqual(10);
    }
  });

  it('escapes the XML specials and drops forbidden control characters', () => {
    expect(escapeXml('a&b<c>d"e\u0001')).toBe('a&amp;b&lt;c&gt;d&quot;e');
  });
});
