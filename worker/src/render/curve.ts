/**
 * Training curve: accuracy against checkpoint for the runs of one commit, one line per series (a benchmark, or a
 * benchmark's understanding/reasoning split) with its 95% interval as a band. Checkpoints whose label carries a
 * step number ("my-vlm@step-2000", "ckpt_500") are ordered by that number; the others ("final") follow in upload
 * order. Pure SVG like chart.ts: no scripts or external assets, so it works as an <img> and through GitHub's proxy.
 */
import { html, raw, type Safe } from './escape.js';
import { formatInterval, formatPercent } from './format.js';
import { yDomain, yTicks, type ChartPoint } from './chart.js';

export interface CurvePoint { value: number; ci95: readonly [number, number] | null; n: number }
export interface CurveSeries { name: string; points: Array<CurvePoint | null> }
export interface CurveInput { title: string; context: string; checkpoints: string[]; series: CurveSeries[]; emptyText?: string }

const WIDTH = 720;
const HEIGHT = 300;
const PAD = { left: 52, right: 150, top: 34, bottom: 56 };
const COLORS = ['#1d4ed8', '#b45309', '#047857', '#7c3aed', '#be123c', '#0e7490', '#4d7c0f', '#a21caf', '#374151'];
const STYLE = raw(
  '<style>.mvb-t{font:600 14px system-ui,-apple-system,"Segoe UI",sans-serif;fill:#1f2937}' +
    '.mvb-a{font:12px system-ui,-apple-system,"Segoe UI",sans-serif;fill:#374151}' +
    '.mvb-x{font:11px ui-monospace,SFMono-Regular,Menlo,monospace;fill:#374151}.mvb-g{stroke:#e5e7eb;stroke-width:1}</style>',
);

/** The step number of a checkpoint label: the last run of digits, e.g. "model@step-2000" → 2000; none → null. */
export function checkpointStep(label: string): number | null {
  const m = /(\d+)(?!.*\d)/.exec(label);
  return m ? Number(m[1]) : null;
}

/** Labels with a step number by that number, then the rest in the given (upload) order. */
export function orderCheckpoints(labels: readonly string[]): string[] {
  const numbered = labels.filter((l) => checkpointStep(l) !== null).sort((a, b) => checkpointStep(a)! - checkpointStep(b)!);
  return [...numbered, ...labels.filter((l) => checkpointStep(l) === null)];
}

export function renderCheckpointCurve(input: CurveInput): string {
  const ids = { title: 'mvb-curve-title', desc: 'mvb-curve-desc' };
  const all = input.series.flatMap((s) => s.points.filter((p): p is CurvePoint => p !== null));
  if (input.checkpoints.length === 0 || all.length === 0) {
    return frame(input, ids, `${input.context}: ${input.emptyText ?? 'no runs with two or more checkpoint labels at one commit'}.`,
      html`<text class="mvb-a" x="${WIDTH / 2}" y="${HEIGHT / 2}" text-anchor="middle">${input.emptyText ?? 'no checkpoints'}</text>`);
  }
  const { lo, hi, step } = yDomain(all.map((p) => ({ value: p.value, ci95: p.ci95 }) as ChartPoint));
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const count = input.checkpoints.length;
  const x = (i: number) => PAD.left + (count === 1 ? plotW / 2 : (i * plotW) / (count - 1));
  const y = (v: number) => PAD.top + plotH - ((v - lo) / (hi - lo)) * plotH;
  const ticks = yTicks(lo, hi, step);
  const body = html`
<g aria-hidden="true">${ticks.map((t) => html`<line class="mvb-g" x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${f(y(t))}" y2="${f(y(t))}"/><text class="mvb-a" x="${PAD.left - 6}" y="${f(y(t) + 4)}" text-anchor="end">${formatPercent(t, 0)}</text>`)}
${input.checkpoints.map((c, i) => html`<text class="mvb-x" x="${f(x(i))}" y="${HEIGHT - PAD.bottom + 16}" text-anchor="end" transform="rotate(-25 ${f(x(i))} ${HEIGHT - PAD.bottom + 16})">${shortLabel(c)}</text>`)}</g>
${input.series.map((s, k) => seriesSvg(s, COLORS[k % COLORS.length]!, x, y, input.checkpoints, k))}`;
  return frame(input, ids, describe(input), body);
}

function seriesSvg(s: CurveSeries, color: string, x: (i: number) => number, y: (v: number) => number, labels: string[], k: number): Safe {
  const idx = s.points.map((p, i) => (p ? i : -1)).filter((i) => i >= 0);
  const pts = idx.map((i) => [i, s.points[i]!] as const);
  const banded = pts.filter(([, p]) => p.ci95);
  const band = banded.length >= 2
    ? html`<polygon fill="${color}" fill-opacity=".15" points="${[...banded.map(([i, p]) => `${f(x(i))},${f(y(p.ci95![1]))}`), ...banded.map(([i, p]) => `${f(x(i))},${f(y(p.ci95![0]))}`).reverse()].join(' ')}"/>`
    : null;
  return html`<g class="mvb-series">${band}
<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts.map(([i, p]) => `${f(x(i))},${f(y(p.value))}`).join(' ')}"/>
${pts.map(([i, p]) => html`<circle cx="${f(x(i))}" cy="${f(y(p.value))}" r="3.5" fill="${color}" stroke="#fff" stroke-width="1"><title>${s.name} · ${labels[i]!} · ${formatPercent(p.value)}${p.ci95 ? ` (95% CI ${formatInterval(p.ci95)}, n = ${p.n})` : ''}</title></circle>`)}
<rect x="${WIDTH - PAD.right + 12}" y="${PAD.top + k * 18}" width="10" height="10" fill="${color}"/><text class="mvb-a" x="${WIDTH - PAD.right + 28}" y="${PAD.top + k * 18 + 9}">${s.name}</text></g>`;
}

function frame(input: CurveInput, ids: { title: string; desc: string }, desc: string, body: Safe): string {
  return html`<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="${ids.title} ${ids.desc}">
<title id="${ids.title}">${input.title}</title><desc id="${ids.desc}">${desc}</desc>${STYLE}
<rect width="${WIDTH}" height="${HEIGHT}" fill="#fff" rx="6"/>
<text class="mvb-t" x="${PAD.left}" y="20">${input.title}</text>${body}
</svg>`.value;
}

function describe(input: CurveInput): string {
  const parts = input.series.map((s) => {
    const pts = s.points.map((p, i) => (p ? `${input.checkpoints[i]} ${formatPercent(p.value)}` : null)).filter(Boolean);
    return `${s.name}: ${pts.join(', ')}`;
  });
  return `Accuracy by checkpoint (${input.context}). ${parts.join('; ')}. Shaded bands are 95% Wilson intervals.`;
}

/** Axis labels: the part after "@" when the labels share a model prefix, at most 18 characters. */
function shortLabel(label: string): string {
  const tail = label.includes('@') ? label.slice(label.lastIndexOf('@') + 1) : label;
  return tail.length > 18 ? `${tail.slice(0, 17)}…` : tail;
}

function f(v: number): string {
  return v.toFixed(1);
}
