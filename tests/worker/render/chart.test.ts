import { describe, expect, it } from 'vitest';
import { renderHistoryChart, yDomain } from '../../../worker/src/render/chart.js';
import { EVIL, chartPoints } from './fixtures.js';

const count = (s: string, re: RegExp) => (s.match(re) ?? []).length;

describe('history chart', () => {
  it.each([2, 5, 30])('draws %i points, a line and an interval band', (n) => {
    const pts = chartPoints(n);
    const svg = renderHistoryChart({ title: 'vqa-rad · accuracy', points: pts });
    expect(count(svg, /<circle /g)).toBe(n);
    expect(count(svg, /<polygon class="mvb-band"/g)).toBe(1);
    const line = /<polyline class="mvb-line" points="([^"]+)"/.exec(svg)![1]!.split(' ');
    expect(line).toHaveLength(n);
    // band outline = upper edge + lower edge; the upper edge lies above (smaller y) the line
    const band = /<polygon class="mvb-band" points="([^"]+)"/.exec(svg)![1]!.split(' ');
    expect(band).toHaveLength(2 * n);
    const y = (p: string) => Number(p.split(',')[1]);
    for (let i = 0; i < n; i++) {
      expect(y(band[i]!)).toBeLessThan(y(line[i]!));
      expect(y(band[2 * n - 1 - i]!)).toBeGreaterThan(y(line[i]!));
    }
    // x runs left to right in time order
    const xs = line.map((p) => Number(p.split(',')[0]));
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
  });

  it('labels the x axis with short shas, thinning labels for long histories', () => {
    const few = renderHistoryChart({ title: 't', points: chartPoints(4) });
    expect(count(few, /<text class="mvb-x"/g)).toBe(4);
    expect(few).toContain('>03ccccc<');
    const many = renderHistoryChart({ title: 't', points: chartPoints(40) });
    expect(count(many, /<text class="mvb-x"/g)).toBeLessThanOrEqual(11);
    expect(many).toContain(`>${(39).toString(16)}ccccc<`); // the latest run is always labelled
  });

  it('is accessible: role img, labelled by its title and a description of the trend', () => {
    const svg = renderHistoryChart({ title: 'slake · accuracy', context: 'm1 on main', points: chartPoints(3), idSuffix: '-7' });
    expect(svg).toMatch(/role="img" aria-labelledby="mvb-title-7 mvb-desc-7"/);
    expect(svg).toContain('<title id="mvb-title-7">slake · accuracy</title>');
    expect(svg).toMatch(/<desc id="mvb-desc-7">Score history \(m1 on main\): 3 runs, from 60\.0% at 00ccccc to 63\.0% at 02ccccc\./);
    expect(svg).not.toMatch(/href=|<script|<image/);
  });

  it('draws a single run as a point with an interval bar', () => {
    const svg = renderHistoryChart({ title: 't', points: chartPoints(1) });
    expect(count(svg, /<circle /g)).toBe(1);
    expect(svg).toContain('<rect class="mvb-band"');
    expect(svg).toContain('one run: 60.0%');
  });

  it('renders "no data" for an empty history', () => {
    const svg = renderHistoryChart({ title: 'pathvqa · accuracy', context: 'main', points: [] });
    expect(svg).toContain('>no data<');
    expect(svg).toContain('No runs recorded yet for main.');
    expect(svg).not.toContain('<circle');
  });

  it('escapes a malicious title and context', () => {
    const svg = renderHistoryChart({ title: EVIL, context: EVIL, points: chartPoints(2) });
    expect(svg).not.toContain('<script');
    expect(count(svg, /&lt;script&gt;/g)).toBe(3); // <title>, visible caption, <desc>
  });

  it('chooses a y range covering every interval', () => {
    const pts = chartPoints(5);
    const { lo, hi } = yDomain(pts);
    for (const p of pts) {
      expect(lo).toBeLessThanOrEqual(p.ci95![0]);
      expect(hi).toBeGreaterThanOrEqual(p.ci95![1]);
    }
    expect(hi).toBeLessThanOrEqual(1);
    expect(yDomain([{ ...pts[0]!, value: 1, ci95: [0.98, 1] }]).hi).toBe(1);
  });
});
