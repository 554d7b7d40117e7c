/**
 * `/:owner/:repo/compare/:base...:head`: per benchmark and group, base and head scores, the paired difference with
 * its 95% interval, discordant counts, McNemar exact p, Holm-adjusted p (whole benchmarks) and the verdict.
 */
import { html, type Safe } from '../escape.js';
import { formatDate, formatDelta, formatDeltaInterval, formatP, formatRef, shortSha } from '../format.js';
import { renderPage, scoreCell } from '../layout.js';
import type { ComparedRunView, CompareRow, CompareView } from '../view-models.js';
import type { Verdict } from '../../../../schemas/stats.js';
import { costSection, powerCell } from './compare-extras.js';

const VERDICT_TEXT: Record<Verdict, { text: string; cls: string }> = {
  better: { text: 'better', cls: 'better' },
  worse: { text: 'worse', cls: 'worse' },
  'no-significant-change': { text: 'no significant change', cls: 'same' },
};

export function renderComparePage(view: CompareView): string {
  // one repository (/:owner/:repo/compare/…) or two (/compare?run=…&run=…, picked on the leaderboard)
  const name = view.owner && view.repo ? `${view.owner}/${view.repo}` : null;
  const title = name ? `${shortSha(view.base.commit)}…${shortSha(view.head.commit)}`
    : `${view.base.repository} ${shortSha(view.base.commit)} … ${view.head.repository} ${shortSha(view.head.commit)}`;
  const body = html`<p class="small">${name ? html`<a href="/${name}">${name}</a>` : html`<a href="/">Leaderboard</a> ·
<a href="/compare?base=${view.head.id}&amp;head=${view.base.id}">swap base and head</a>`}</p>
<h1>Compare ${title}</h1>
${summaryLine(view)}
<div class="split">${runCard('Base', view.base, !name)}${runCard('Head', view.head, !name)}</div>
<section aria-labelledby="cmp-h"><h2 id="cmp-h">Paired comparison</h2>
<div class="table-scroll"><table class="compact">
<caption>Head minus base over paired items (same item set); ${view.mode} mode, margin ${(view.margin * 100).toFixed(1)} pp, α = ${view.alpha}</caption>
<thead><tr><th scope="col">Benchmark / group</th><th scope="col">Base</th><th scope="col">Head</th><th scope="col" class="num">Δ</th>
<th scope="col">95% CI of Δ</th><th scope="col" class="num"><abbr title="items base got right and head got wrong / the reverse">Lost / won</abbr></th>
<th scope="col" class="num">p</th><th scope="col" class="num">Holm p</th><th scope="col">Verdict</th>
<th scope="col" class="num"><abbr title="smallest drop the test detects with 80% power at its family's level">Detects (80% power)</abbr></th></tr></thead>
<tbody>${view.rows.map(renderRow)}</tbody></table></div>
<p class="muted small">p: exact McNemar test on the discordant pairs. Holm p: adjusted across benchmarks for benchmark rows, and
for a group row across the same group (key = value) in every benchmark. In regression mode a change is <em>worse</em> only when it is significant
and larger than the margin. Detects: the smallest drop of the true score that this row's test, at this margin and
its family's level (α divided by the family's size), catches with 80% power, given the paired n and how often the
runs disagree; smaller drops pass unseen.</p></section>
${costSection(view.cost)}`;
  return renderPage({ title: name ? `Compare ${title} · ${name}` : `Compare ${title}`, body });
}

function summaryLine(view: CompareView): Safe {
  const whole = view.rows.filter((r) => r.group === null);
  const count = (v: Verdict) => whole.filter((r) => r.verdict === v).length;
  const overall = VERDICT_TEXT[view.verdict];
  const unpaired = [...view.onlyInBase.map((b) => `${b} (base only)`), ...view.onlyInHead.map((b) => `${b} (head only)`)];
  return html`<p class="lede">Overall: <span class="pill ${overall.cls}">${overall.text}</span> across ${whole.length}
benchmark${whole.length === 1 ? '' : 's'} —
<span class="pill better">${count('better')} better</span> <span class="pill worse">${count('worse')} worse</span>
<span class="pill same">${count('no-significant-change')} no significant change</span></p>
${unpaired.length > 0 && html`<p class="muted small">Not compared (scored in one run only): ${unpaired.join(', ')}.</p>`}`;
}

function runCard(role: string, run: ComparedRunView, showRepository: boolean): Safe {
  return html`<div class="card"><h2 class="small muted">${role}</h2><dl class="meta">
${showRepository && html`<dt>Repository</dt><dd><a href="/${run.repository}">${run.repository}</a></dd>`}
<dt>Model</dt><dd>${run.model}${run.checkpoint && run.checkpoint !== run.model && html` <span class="muted">(${run.checkpoint})</span>`}</dd>
<dt>Commit</dt><dd class="mono">${shortSha(run.commit)}</dd><dt>Ref</dt><dd>${formatRef(run.ref)}</dd>
<dt>Date</dt><dd>${formatDate(run.createdAt)}</dd><dt>Run</dt><dd><a class="mono" href="/api/v1/runs/${run.id}">${run.id}</a></dd></dl></div>`;
}

function renderRow(r: CompareRow): Safe {
  const v = VERDICT_TEXT[r.verdict];
  const label = r.group
    ? html`<th scope="row" class="group-name"><span class="muted">${r.group.key}:</span> ${r.group.value}</th>`
    : html`<th scope="row">${r.benchmark}</th>`;
  // data-label: on narrow screens each row becomes a card and the cells name themselves (layout.ts)
  return html`<tr${r.group ? html` class="group"` : ''}>${label}<td data-label="Base">${scoreCell(r.base)}</td><td data-label="Head">${scoreCell(r.head)}</td>
<td class="num" data-label="Δ">${formatDelta(r.diff)}</td><td class="mono" data-label="95% CI of Δ">${formatDeltaInterval(r.ci95)}</td>
<td class="num" data-label="Lost / won">${r.baseOnly} / ${r.headOnly}</td><td class="num" data-label="p">${formatP(r.p)}</td>
<td class="num" data-label="Holm p">${formatP(r.pHolm)}</td><td data-label="Verdict"><span class="pill ${v.cls}">${v.text}</span></td>
<td class="num" data-label="Detects (80% power)">${powerCell(r)}</td></tr>`;
}
