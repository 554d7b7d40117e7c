/**
 * History chart: one benchmark's score over runs in time order (x labelled by short commit sha) with the 95%
 * interval drawn as a band. Pure SVG string, no scripts, fonts or external assets, so it works as an <img>, inline
 * in a page, and through GitHub's image proxy. Accessible via role="img" + <title>/<desc>, and each point carries
 * its own <title> (tooltip) with the exact figures.
 */
import { html, raw, type Safe } from './escape.js';
import { formatDate, formatInterval, formatPercent, shortSha } from './format.js';

export interface ChartPoint {
  runId: string;
  commit: string | null;
  createdAt: string;
  value: number;
  ci95: readonly [number, number] | null;
  n: number;
}

export interface ChartInput {
  /** visible caption and accessible name, e.g. "vqa-rad · accuracy" */
  title: string;
  /** extra context for the description, e.g. "model qwen2.5-vl-7b on main" */
  context?: string;
  /** points in time order (oldest first) */
  points: readonly ChartPoint[];
  /** makes element ids unique when several charts are inlined into one page */
  idSuffix?: string;
  /** what an empty chart says instead of "no data" (e.g. "private") */
  emptyText?: string;
}

const WIDTH = 640;
const HEIGHT = 260;
const PAD = { left: 52, right: 32, top: 34, bottom: 40 };
const MAX_X_LABELS = 8;
const STYLE = raw(
  '<style>.mvb-t{font:600 14px system-ui,-apple-system,"Segoe UI",sans-serif;fill:#1f2937}' +
    '.mvb-a{font:12px system-ui,-apple-system,"Segoe UI",sans-serif;fill:#374151}' +
    '.mvb-x{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;fill:#374151}' +
    '.mvb-g{stroke:#e5e7eb;stroke-width:1}.mvb-band{fill:#93c5fd;fill-opacity:.45}' +
    '.mvb-line{fill:none;stroke:#1d4ed8;stroke-width:2}.mvb-pt{fill:#1d4ed8;stroke:#fff;stroke-width:1.5}</style>',
);

/** y-axis range: the data's interval extent padded to a multiple of the tick step, at least 10 points wide. */
export function yDomain(points: readonly ChartPoint[]): { lo: number; hi: number; step: number } {
  const lows = points.map((p) => p.ci95?.[0] ?? p.value);
  const highs = points.map((p) => p.ci95?.[1] ?? p.value);
  const span = Math.max(...highs) - Math.min(...lows);
  const step = span > 0.4 ? 0.2 : span > 0.15 ? 0.1 : 0.05;
  let lo = Math.floor(Math.min(...lows) / step) * step;
  let hi = Math.ceil(Math.max(...highs) / step) * step;
  if (hi - lo < 0.1) hi = lo + 0.1;
  if (hi > 1) [lo, hi] = [Math.max(0, lo - (hi - 1)), 1];
  return { lo: round(lo), hi: round(hi), step };
}

export function renderHistoryChart(input: ChartInput): string {
  const ids = { title: `mvb-title${input.idSuffix ?? ''}`, desc: `mvb-desc${input.idSuffix ?? ''}` };
  if (input.points.length === 0) return renderEmpty(input, ids);
  const pts = input.points;
  const { lo, hi, step } = yDomain(pts);
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (pts.length === 1 ? plotW / 2 : (i * plotW) / (pts.length - 1));
  const y = (v: number) => PAD.top + plotH - ((v - lo) / (hi - lo)) * plotH;
  const top = (p: ChartPoint) => y(p.ci95?.[1] ?? p.value);
  const bottom = (p: ChartPoint) => y(p.ci95?.[0] ?? p.value);
  const outline = [...pts.map((p, i) => `${f(x(i))},${f(top(p))}`), ...pts.map((p, i) => `${f(x(i))},${f(bottom(p))}`).reverse()];
  // a single run has no area to shade: draw its interval as a short bar instead
  const only = pts[0]!;
  const band = !pts.some((p) => p.ci95) ? null : pts.length === 1
    ? html`<rect class="mvb-band" x="${f(x(0) - 6)}" y="${f(top(only))}" width="12" height="${f(Math.max(1, bottom(only) - top(only)))}"/>`
    : html`<polygon class="mvb-band" points="${outline.join(' ')}"/>`;
  // count back from the newest run so it is always labelled and never crowded by a neighbour
  const every = Math.ceil(pts.length / MAX_X_LABELS);
  return svgFrame(input, ids, describe(input), html`
<g aria-hidden="true">${yTicks(lo, hi, step).map((t) => html`<line class="mvb-g" x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${f(y(t))}" y2="${f(y(t))}"/><text class="mvb-a" x="${PAD.left - 6}" y="${f(y(t) + 4)}" text-anchor="end">${formatPercent(t, 0)}</text>`)}
${pts.map((p, i) => (pts.length - 1 - i) % every === 0 && html`<text class="mvb-x" x="${f(x(i))}" y="${HEIGHT - PAD.bottom + 18}" text-anchor="middle">${shortSha(p.commit)}</text>`)}</g>
${band}
<polyline class="mvb-line" points="${pts.map((p, i) => `${f(x(i))},${f(y(p.value))}`).join(' ')}"/>
${pts.map((p, i) => html`<circle class="mvb-pt" cx="${f(x(i))}" cy="${f(y(p.value))}" r="4"><title>${pointLabel(p)}</title></circle>`)}`);
}

function renderEmpty(input: ChartInput, ids: { title: string; desc: string }): string {
  const description = input.emptyText ? `${input.context ?? 'This chart'}: ${input.emptyText}.`
    : `No runs recorded yet${input.context ? ` for ${input.context}` : ''}.`;
  return svgFrame(input, ids, description, html`
<text class="mvb-a" x="${WIDTH / 2}" y="${HEIGHT / 2}" text-anchor="middle">${input.emptyText ?? 'no data'}</text>`);
}

function svgFrame(input: ChartInput, ids: { title: string; desc: string }, desc: string, body: Safe): string {
  return html`<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="${ids.title} ${ids.desc}">
<title id="${ids.title}">${input.title}</title><desc id="${ids.desc}">${desc}</desc>${STYLE}
<rect width="${WIDTH}" height="${HEIGHT}" fill="#fff" rx="6"/>
<text class="mvb-t" x="${PAD.left}" y="20">${input.title}</text>${body}
</svg>`.value;
}

/** Plain-language summary for screen readers: how many runs, first and latest score, and what the band means. */
function describe(input: ChartInput): string {
  const pts = input.points;
  const first = pts[0]!;
  const last = pts[pts.length - 1]!;
  const ctx = input.context ? ` (${input.context})` : '';
  const trend = pts.length === 1
    ? `one run: ${formatPercent(last.value)} at ${shortSha(last.commit)}`
    : `${pts.length} runs, from ${formatPercent(first.value)} at ${shortSha(first.commit)} to ${formatPercent(last.value)} at ${shortSha(last.commit)}`;
  const band = pts.some((p) => p.ci95) ? ' The shaded band is the 95% Wilson interval.' : '';
  return `Score history${ctx}: ${trend}.${band}`;
}

function pointLabel(p: ChartPoint): string {
  const detail = p.ci95 ? ` (95% CI ${formatInterval(p.ci95)}, n = ${p.n})` : '';
  return `${shortSha(p.commit)} · ${formatPercent(p.value)}${detail} · ${formatDate(p.createdAt)}`;
}

export function yTicks(lo: number, hi: number, step: number): number[] {
  const out: number[] = [];
  for (let t = lo; t <= hi + 1e-9; t += step) out.push(round(t));
  return out;
}

function round(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}

function f(v: number): string {
  return v.toFixed(1);
}
