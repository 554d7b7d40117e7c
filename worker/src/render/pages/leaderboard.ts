/** `/`: one table per benchmark (and item set), entries ranked with interval-aware rank ranges, plus the chance row. */
import { html, type Safe } from '../escape.js';
import { formatDate, formatPercent, formatRankRange, shortSha } from '../format.js';
import { renderPage, scoreCell } from '../layout.js';
import type { LeaderboardBoard, LeaderboardEntry, LeaderboardView } from '../view-models.js';

export function renderLeaderboardPage(view: LeaderboardView): string {
  const body = html`<h1>Leaderboard</h1>
<p class="lede">The latest run of each model in each repository, per benchmark. Only runs scored on the identical item set
(same dataset fingerprint and protocol) share a table. Ranks are ranges: two models tie where their 95% intervals overlap.</p>
${view.boards.length === 0 ? emptyState() : view.boards.map(renderBoard)}`;
  return renderPage({ title: 'Leaderboard', description: 'Medical VLM benchmark leaderboard with confidence intervals', body });
}

function emptyState(): Safe {
  return html`<div class="card"><p><strong>No runs uploaded yet.</strong> Results appear here once a repository's
workflow uploads a run (see the medvlm-bench action's <code>upload</code> input).</p></div>`;
}

function renderBoard(board: LeaderboardBoard): Safe {
  const id = `board-${board.benchmark}-${board.protocol}-${board.fingerprint.slice(0, 8)}`;
  return html`<section aria-labelledby="${id}">
<h2 id="${id}">${board.title ?? board.benchmark} <span class="muted small">${board.benchmark} · ${board.protocol} protocol</span></h2>
<div class="table-scroll"><table>
<caption>Accuracy on ${board.benchmark}, item set <span class="mono">${board.fingerprint.slice(0, 12)}</span></caption>
<thead><tr><th scope="col" class="num">Rank</th><th scope="col">Repository</th><th scope="col">Model</th>
<th scope="col">Accuracy (95% CI)</th><th scope="col" class="num">n</th><th scope="col">Commit</th><th scope="col">Date</th></tr></thead>
<tbody>${board.entries.map(renderEntry)}${board.chance !== null && chanceRow(board.chance)}</tbody>
</table></div>
${board.otherItemSets.length > 0 && html`<p class="muted small">Not ranked here: ${board.otherItemSets.map((o, i) =>
    html`${i > 0 && '; '}${o.entries} latest run${o.entries === 1 ? '' : 's'} on item set <a class="mono" href="/?benchmark=${board.benchmark}&amp;protocol=${board.protocol}&amp;fingerprint=${o.fingerprint}">${o.fingerprint.slice(0, 12)}</a>`)}
(a different dataset version or prompt, so not comparable).</p>`}
</section>`;
}

function renderEntry(e: LeaderboardEntry): Safe {
  return html`<tr><td class="num">${formatRankRange(e.rankRange)}</td>
<th scope="row"><a href="/${e.repository}">${e.repository}</a></th>
<td>${e.model}${e.checkpoint && e.checkpoint !== e.model && html` <span class="muted small">${e.checkpoint}</span>`}</td>
<td>${scoreCell(e.score)}</td><td class="num">${e.score.n}</td>
<td class="mono">${shortSha(e.commit)}</td><td class="small">${formatDate(e.createdAt)}</td></tr>`;
}

function chanceRow(chance: number): Safe {
  return html`<tr class="chance"><td class="num">—</td><th scope="row">chance</th><td>uniform random guessing</td>
<td>${formatPercent(chance)}</td><td></td><td></td><td></td></tr>`;
}
