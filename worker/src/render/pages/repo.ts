/**
 * `/:owner/:repo`: the latest run's scores (with the understanding vs reasoning split), one history chart per
 * benchmark (inlined SVG: no extra requests), recent runs with compare links, and badge snippets to copy.
 */
import { html, raw, type Safe } from '../escape.js';
import { renderHistoryChart } from '../chart.js';
import { formatDate, formatInterval, formatPercent, formatRef, shortSha } from '../format.js';
import { renderPage, scoreCell } from '../layout.js';
import type { BenchmarkScoreRow, RepoView, RunSummary, Score } from '../view-models.js';

export function renderRepoPage(view: RepoView): string {
  const name = `${view.owner}/${view.repo}`;
  const body = html`<h1>${name}</h1>
${view.latest ? latestLede(view.latest, view.ref) : html`<p class="lede">No complete run on ${formatRef(view.ref)} yet.</p>`}
${view.latest && splitSection(view.split)}
${view.latest && scoresSection(view.scores)}
${historySection(view)}
${curvesSection(view)}
${runsSection(view)}
${badgeSection(view)}`;
  return renderPage({ title: name, description: `Medical VLM benchmark results for ${name}`, body });
}

function latestLede(run: RunSummary, ref: string | null): Safe {
  return html`<p class="lede">Latest run on <strong>${formatRef(ref ?? run.ref)}</strong>: model <strong>${run.model}</strong>
at <span class="mono">${shortSha(run.commit)}</span>, ${formatDate(run.createdAt)}, ${run.protocol} protocol
${run.verified && html` <span class="pill verified">verified workflow</span>`}</p>`;
}

function splitSection(split: RepoView['split']): Safe {
  const card = (title: string, s: Score | null, what: string) => html`<div class="card">
<h3>${title}</h3><p class="big">${s ? formatPercent(s.value) : '—'}</p>
<p class="muted small">${s ? `95% CI ${formatInterval(s.ci95)} · ${s.n} items · ${what}` : 'no items of this type'}</p></div>`;
  return html`<section aria-labelledby="split-h"><h2 id="split-h">Understanding vs reasoning</h2>
<div class="split">${card('Understanding', split.understanding, 'perception and recognition questions')}
${card('Reasoning', split.reasoning, 'questions needing inference over findings')}</div>
<p class="muted small">Pooled over all benchmarks of the latest run, by each item's question type.</p></section>`;
}

function scoresSection(rows: readonly BenchmarkScoreRow[]): Safe {
  return html`<section aria-labelledby="scores-h"><h2 id="scores-h">Latest scores</h2>
<div class="table-scroll"><table>
<thead><tr><th scope="col">Benchmark</th><th scope="col">Accuracy (95% CI)</th><th scope="col">Understanding</th>
<th scope="col">Reasoning</th><th scope="col" class="num">Scored</th><th scope="col" class="num">Unparsed</th>
<th scope="col" class="num">Errors</th><th scope="col" class="num">Chance</th></tr></thead>
<tbody>${rows.map((r) => html`<tr><th scope="row">${r.title ?? r.benchmark}${r.title && html` <span class="muted small">${r.benchmark}</span>`}</th>
<td>${scoreCell(r.overall)}</td><td>${scoreCell(r.understanding)}</td><td>${scoreCell(r.reasoning)}</td>
<td class="num">${r.scored}</td><td class="num">${r.unparsed}</td><td class="num">${r.errors}</td>
<td class="num">${r.chance === null ? '—' : formatPercent(r.chance)}</td></tr>`)}</tbody>
</table></div></section>`;
}

function historySection(view: RepoView): Safe {
  if (view.history.length === 0) return html``;
  const model = view.latest?.model;
  return html`<section aria-labelledby="history-h"><h2 id="history-h">History</h2>
<p class="muted small">Accuracy per run on ${formatRef(view.ref)}${model && html` for ${model}`}, oldest to newest; the band is the 95% interval.</p>
<div class="charts">${view.history.map((s, i) => html`<figure>${raw(renderHistoryChart({
    title: `${s.benchmark} · accuracy`, context: `${model ?? 'all models'} on ${formatRef(view.ref)}`, points: s.points, idSuffix: `-${i}`,
  }))}</figure>`)}</div></section>`;
}

/** Accuracy against checkpoint for the newest commit evaluated at several checkpoints (GET /curve/…svg). */
function curvesSection(view: RepoView): Safe {
  if (!view.curveCommit) return html``;
  const src = (benchmark: string | null) => `/curve/${view.owner}/${view.repo}.svg?commit=${view.curveCommit}${benchmark ? `&benchmark=${encodeURIComponent(benchmark)}` : ''}`;
  return html`<section aria-labelledby="curves-h"><h2 id="curves-h">Training curves</h2>
<p class="muted small">Accuracy by checkpoint at <span class="mono">${shortSha(view.curveCommit)}</span>: numbered checkpoints in step order,
the others after them in upload order; the band is the 95% interval. Per benchmark: all items, understanding and reasoning.</p>
<div class="charts"><figure><img src="${src(null)}" alt="accuracy by checkpoint, every benchmark" width="720" height="300"></figure>
${view.scores.map((s) => html`<figure><img src="${src(s.benchmark)}" alt="${s.benchmark}: accuracy by checkpoint" loading="lazy" width="720" height="300"></figure>`)}</div></section>`;
}

/** Runs listed under "Recent runs"; `recentRuns` may hold older ones too, to find each listed run's predecessor. */
export const SHOWN_RUNS = 15;

/** "main" and "refs/heads/main" are one ref. */
const sameRef = (a: string | null, b: string | null) => (a?.replace(/^refs\/heads\//, '') ?? null) === (b?.replace(/^refs\/heads\//, '') ?? null);

function runsSection(view: RepoView): Safe {
  const base = `/${view.owner}/${view.repo}`;
  if (view.recentRuns.length === 0) return html``;
  // a run is compared with the previous complete run of its model on its own ref: a main run never against a PR run
  return html`<section aria-labelledby="runs-h"><h2 id="runs-h">Recent runs</h2>
<div class="table-scroll"><table>
<thead><tr><th scope="col">Commit</th><th scope="col">Ref</th><th scope="col">Model</th><th scope="col" class="num">Mean accuracy</th>
<th scope="col">Status</th><th scope="col">Date</th><th scope="col">Compare</th></tr></thead>
<tbody>${view.recentRuns.slice(0, SHOWN_RUNS).map((run, i) => {
    const previous = view.recentRuns.slice(i + 1).find((r) => r.model === run.model && r.status === 'complete' && sameRef(r.ref, run.ref));
    return html`<tr><th scope="row" class="mono"><a href="${base}/runs/${run.id}" title="Run ${run.id}">${shortSha(run.commit) || run.id}</a></th>
<td>${formatRef(run.ref)}</td><td>${run.model}</td>
<td class="num">${run.scoreMean === null ? '—' : formatPercent(run.scoreMean)}</td>
<td>${run.status === 'complete' ? (run.verified ? html`<span class="pill verified">verified</span>` : 'complete') : html`<span class="pill incomplete">incomplete</span>`}</td>
<td class="small">${formatDate(run.createdAt)}</td>
<td>${previous && run.status === 'complete' ? html`<a href="${base}/compare/${previous.id}...${run.id}" aria-label="Compare ${shortSha(run.commit)} with the previous run ${shortSha(previous.commit)}">vs ${shortSha(previous.commit)}</a>` : html`<span class="muted">—</span>`}</td></tr>`;
  })}</tbody></table></div></section>`;
}

function badgeSection(view: RepoView): Safe {
  const path = `${view.owner}/${view.repo}`;
  const page = `${view.origin}/${path}`;
  const snippets = [
    { what: 'Suite mean', query: '', alt: 'medvlm-bench' },
    ...view.scores.map((r) => ({ what: r.title ?? r.benchmark, query: `?benchmark=${encodeURIComponent(r.benchmark)}`, alt: r.benchmark })),
  ];
  return html`<section aria-labelledby="badges-h"><h2 id="badges-h">Badges</h2>
<p class="muted small">Markdown for a README. Badges always answer 200 (a grey "no data" badge before the first run) and are revalidated on every view, so a new run shows at once.
Shields.io endpoint: <code>${view.origin}/badge/${path}.json</code></p>
${snippets.map((s, i) => {
    const src = `${view.origin}/badge/${path}.svg${s.query}`;
    return html`<div class="snippet"><img src="/badge/${path}.svg${s.query}" alt="${s.alt} badge preview" height="20">
<label class="small" for="snippet-${i}">${s.what}</label>
<input id="snippet-${i}" readonly value="${`[![${s.alt}](${src})](${page})`}"></div>`;
  })}</section>`;
}
