/**
 * `/:owner/:repo/runs/:id`: one run — who produced it (identity, workflow, verified), what ran (model, decoding,
 * protocol), per-benchmark scores with n, 95% interval, unparsed/errors/truncated, the item-set fingerprints, and
 * links comparing it with the previous run on its ref and, for a pull-request run, with its base branch. The action's
 * `run-url` output points here. Pure over RunPageView.
 */
import type { BenchmarkResult, Metric, RunResult } from '../../../../schemas/results.js';
import { html, type Safe } from '../escape.js';
import { benchmarkTitle, formatDate, formatPercent, formatRef, shortSha } from '../format.js';
import { renderPage, scoreCell } from '../layout.js';

export interface RunPageRun {
  id: string; repository: string; status: 'complete' | 'incomplete' | 'failed'; commit: string | null;
  ref: string | null; prNumber: number | null; baseRef: string | null; model: string; checkpoint: string | null;
  protocol: string; suiteVersion: string; scoreMean: number | null; workflowRef: string | null;
  ghRunId: string | null; verified: boolean; uploader: string; createdAt: string; completedAt: string | null;
  shardCount: number | null;
}

export interface RunLink { id: string; commit: string | null; ref: string | null }

export interface RunPageView {
  owner: string;
  repo: string;
  run: RunPageRun;
  /** the stored or merged result; null while shards are missing */
  result: RunResult | null;
  failure: string | null;
  missingShards: readonly number[];
  /** the previous complete run of the same model on the same ref */
  previous: RunLink | null;
  /** a pull-request run: the newest complete run of the same model on the branch it targets */
  base: RunLink | null;
}

export function renderRunPage(v: RunPageView): string {
  const repoPath = `/${v.owner}/${v.repo}`;
  const title = `Run ${shortSha(v.run.commit) || v.run.id}`;
  const body = html`<h1>${title} <span class="muted small">${v.owner}/${v.repo}</span></h1>
<p class="lede">Model <strong>${v.run.model}</strong>${v.run.checkpoint && v.run.checkpoint !== v.run.model ? html` (${v.run.checkpoint})` : ''}
on ${formatRef(v.run.ref)}, ${v.run.protocol} protocol, ${formatDate(v.run.createdAt)}
${v.run.scoreMean !== null && html` · suite mean <strong>${formatPercent(v.run.scoreMean)}</strong>`}
${v.run.verified && html` <span class="pill verified">verified workflow</span>`}</p>
${statusNote(v)}
<nav aria-label="Related pages" class="card small">${links(v, repoPath)}</nav>
${v.result && scoresSection(v.result)}
<section aria-labelledby="identity-h"><h2 id="identity-h">Identity</h2>${identityTable(v.run)}</section>
${v.result && settingsSection(v.result)}
${v.result && fingerprintSection(v.result)}`;
  return renderPage({ title: `${title} · ${v.owner}/${v.repo}`, description: `medvlm-bench run ${v.run.id} of ${v.owner}/${v.repo}`, body });
}

function statusNote(v: RunPageView): Safe {
  if (v.run.status === 'failed') {
    return html`<div class="card" role="status"><p><strong>Failed:</strong> ${v.failure ?? 'its shards could not be merged'}</p>
<p class="muted small">Its shards were dropped; uploading every shard again starts the run over.</p></div>`;
  }
  if (v.run.status === 'incomplete') {
    return html`<div class="card" role="status"><p><strong>Incomplete:</strong> ${v.missingShards.length} of ${v.run.shardCount ?? '?'}
shards still missing (${v.missingShards.join(', ')}). Scores appear once every shard has been uploaded.</p></div>`;
  }
  return html``;
}

function links(v: RunPageView, repoPath: string): Safe {
  const compare = (other: RunLink, label: string) =>
    html`<a href="${repoPath}/compare/${other.id}...${v.run.id}">${label} <span class="mono">${shortSha(other.commit) || other.id}</span></a>`;
  const items: Safe[] = [html`<a href="${repoPath}">Repository page</a>`];
  if (v.run.status === 'complete' && v.base) items.push(compare(v.base, `Compare with ${formatRef(v.base.ref)}`));
  if (v.run.status === 'complete' && v.previous) items.push(compare(v.previous, 'Compare with the previous run on this ref'));
  items.push(html`<a href="/api/v1/runs/${v.run.id}">JSON</a>`);
  return html`${items.map((l, i) => html`${i ? ' · ' : ''}${l}`)}`;
}

function identityTable(r: RunPageRun): Safe {
  const rows: [string, Safe | string][] = [
    ['Run id', html`<span class="mono">${r.id}</span>`],
    ['Repository', `${r.repository}`],
    ['Commit', html`<span class="mono">${r.commit ?? '—'}</span>`],
    ['Ref', formatRef(r.ref)],
    ['Pull request', r.prNumber === null ? '—' : `#${r.prNumber}${r.baseRef ? ` into ${formatRef(r.baseRef)}` : ''}`],
    ['Workflow', html`<span class="mono">${r.workflowRef ?? '—'}</span>`],
    ['Workflow run', r.ghRunId ?? '—'],
    ['Verified', r.verified ? 'yes: a trusted workflow on its listed branch' : 'no'],
    ['Uploaded by', r.uploader === 'oidc' ? 'GitHub Actions (OIDC)' : r.uploader === 'token' ? 'API token' : 'anonymous (local)'],
    ['Uploaded', formatDate(r.createdAt)],
    ['Completed', formatDate(r.completedAt)],
    ['Shards', r.shardCount === null ? '—' : String(r.shardCount)],
  ];
  return html`<div class="table-scroll"><table class="compact"><tbody>${rows.map(([k, v]) => html`<tr><th scope="row">${k}</th><td>${v}</td></tr>`)}</tbody></table></div>`;
}

function scoresSection(result: RunResult): Safe {
  return html`<section aria-labelledby="scores-h"><h2 id="scores-h">Scores</h2>
<div class="table-scroll"><table>
<thead><tr><th scope="col">Benchmark</th><th scope="col">Accuracy (95% CI)</th><th scope="col" class="num">n</th>
<th scope="col">Other metrics</th><th scope="col" class="num">Scored</th><th scope="col" class="num">Unparsed</th>
<th scope="col" class="num">Errors</th><th scope="col" class="num">Truncated</th><th scope="col">Item set</th></tr></thead>
<tbody>${result.benchmarks.map(benchmarkRow)}</tbody></table></div>
<p class="muted small">Accuracy counts closed-ended items; n is the number of items it is computed over.</p></section>`;
}

function benchmarkRow(b: BenchmarkResult): Safe {
  const accuracy = b.metrics.find((m) => m.name === 'accuracy');
  const others = b.metrics.filter((m) => m.name !== 'accuracy');
  const title = benchmarkTitle(b.id);
  return html`<tr><th scope="row">${title ?? b.id}${title && html` <span class="muted small">${b.id}</span>`}</th>
<td>${accuracy ? scoreCell({ value: accuracy.value, ci95: accuracy.ci95, n: accuracy.n }) : '—'}</td>
<td class="num">${accuracy ? accuracy.n : '—'}</td>
<td class="small">${others.length ? others.map((m, i) => html`${i ? ', ' : ''}${metricText(m)}`) : '—'}</td>
<td class="num">${b.counts.scored}</td><td class="num">${b.counts.unparsed}</td><td class="num">${b.counts.errors}</td>
<td class="num">${b.counts.truncated}</td><td class="mono small" title="${b.fingerprint}">${b.fingerprint.slice(0, 12)}</td></tr>`;
}

function metricText(m: Metric): string {
  return `${m.name} ${formatPercent(m.value)} (n = ${m.n})`;
}

function settingsSection(result: RunResult): Safe {
  const d = result.decoding;
  const rows: [string, string][] = [
    ['Model', `${result.model.name}${result.model.checkpoint ? ` · checkpoint ${result.model.checkpoint}` : ''}`],
    ['Protocol', result.protocol],
    ['Decoding', `temperature ${d.temperature}, top-p ${d.topP ?? 'default'}, max tokens ${d.maxTokens}, seed ${d.seed ?? '—'}`],
    ['Judge', result.judge ? JSON.stringify(result.judge) : '—'],
    ['Suite version', result.suiteVersion],
    ['Tool', `${result.tool.name} ${result.tool.version}`],
  ];
  return html`<section aria-labelledby="settings-h"><h2 id="settings-h">Model and protocol</h2>
<div class="table-scroll"><table class="compact"><tbody>${rows.map(([k, v]) => html`<tr><th scope="row">${k}</th><td>${v}</td></tr>`)}</tbody></table></div></section>`;
}

function fingerprintSection(result: RunResult): Safe {
  return html`<section aria-labelledby="fp-h"><h2 id="fp-h">Item sets</h2>
<p class="muted small">Runs are compared and ranked only on identical item sets: same fingerprint, benchmark version and prompt.</p>
<div class="table-scroll"><table class="compact">
<thead><tr><th scope="col">Benchmark</th><th scope="col">Fingerprint (SHA-256)</th><th scope="col" class="num">Version</th>
<th scope="col" class="num">Prompt</th><th scope="col">Extraction</th><th scope="col" class="num">Items</th><th scope="col" class="num">Excluded</th></tr></thead>
<tbody>${result.benchmarks.map((b) => html`<tr><th scope="row">${b.id}</th><td class="mono small" style="word-break:break-all">${b.fingerprint}</td>
<td class="num">${b.version}</td><td class="num">${b.promptVersion}</td><td class="small">${b.extraction}</td>
<td class="num">${b.counts.items}</td><td class="num">${b.counts.excluded}</td></tr>`)}</tbody></table></div></section>`;
}
