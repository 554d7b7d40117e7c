/**
 * Parts of the compare page beside the paired table: what each row's test can see (the smallest drop detected with
 * 80% power at its family's level) and the runs' cost and verbosity (completion tokens per answered item, latency
 * p50/p95, base and head with the relative change). Figures from schemas/pairing-power.ts and schemas/cost.ts.
 */
import { html, type Safe } from '../escape.js';
import { relativeChange, type CostComparison, type RunCost } from '../../../../schemas/cost.js';
import type { CompareRow } from '../view-models.js';

/** "≥ 6.1 pp", "too few items", or "—" when not computed. */
export function powerCell(r: CompareRow): Safe {
  const p = r.power;
  if (!p) return html`<span class="muted">—</span>`;
  const why = `n ${r.base.n}, disagreement ${(p.discordance * 100).toFixed(1)}%, level ${formatLevel(p.level)} (α / ${p.familySize})`;
  if (p.failsWithoutDrop) return html`<abbr title="${why}: the test fails with ≥ 80% probability even when nothing changed">too few items</abbr>`;
  if (p.detectableDrop === null) return html`<abbr title="${why}: no drop is detected with 80% power">too few items</abbr>`;
  return html`<abbr title="${why}">≥ ${(p.detectableDrop * 100).toFixed(1)} pp</abbr>`;
}

function formatLevel(x: number): string {
  return x >= 0.001 ? String(Number(x.toPrecision(3))) : x.toExponential(1);
}

const MEASURES: Array<[string, (c: RunCost) => number | null, (x: number) => string]> = [
  ['Completion tokens per answered item', (c) => c.completionTokensPerItem, (x) => x.toFixed(1)],
  ['Latency p50 per request', (c) => c.latencyMs?.p50 ?? null, formatMs],
  ['Latency p95 per request', (c) => c.latencyMs?.p95 ?? null, formatMs],
];

function formatMs(x: number): string {
  return x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(0)} ms`;
}

function formatChange(x: number | null): string {
  return x === null ? '—' : `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(0)}%`;
}

export function costSection(cost: CostComparison | undefined): Safe {
  if (!cost) return html``;
  const show = (x: number | null, f: (x: number) => string) => (x === null ? '—' : f(x));
  return html`<section aria-labelledby="cost-h"><h2 id="cost-h">Cost and verbosity</h2>
<div class="table-scroll"><table class="compact">
<caption>Whole runs (results record timing per run): a checkpoint that got more verbose or slower shows here</caption>
<thead><tr><th scope="col">Measure</th><th scope="col" class="num">Base</th><th scope="col" class="num">Head</th><th scope="col" class="num">Change</th></tr></thead>
<tbody>${MEASURES.map(([name, get, f]) => {
    const b = get(cost.base);
    const h = get(cost.head);
    return html`<tr><th scope="row">${name}</th><td class="num" data-label="Base">${show(b, f)}</td><td class="num" data-label="Head">${show(h, f)}</td>
<td class="num" data-label="Change">${formatChange(relativeChange(b, h))}</td></tr>`;
  })}</tbody></table></div>
<p class="muted small">Answered items: ${cost.base.answered} (base), ${cost.head.answered} (head). — : the server reported no token usage, or
no request was answered. Latency depends on the runner, the server and the concurrency as well as the model.</p></section>`;
}
