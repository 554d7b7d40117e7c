/**
 * `/`: one table per benchmark (and item set), entries ranked with interval-aware rank ranges, plus the chance row.
 * The home page shows each board's top entries (linking to the whole board); `/?benchmark=&protocol=` pages
 * through one board. Each board is a GET form to /compare: ticking two rows and pressing the button opens their
 * paired comparison, with no script.
 */
import { html, type Safe } from '../escape.js';
import { formatDate, formatPercent, formatRankRange, shortSha } from '../format.js';
import { renderPage, scoreCell } from '../layout.js';
import type { LeaderboardBoard, LeaderboardEntry, LeaderboardView } from '../view-models.js';

export function renderLeaderboardPage(view: LeaderboardView): string {
  const body = html`<h1>Leaderboard</h1>
<p class="lede">The latest run of each model in each repository, per benchmark. Only runs scored on the identical item set
(same dataset fingerprint and protocol) share a table. Ranks are ranges: two models tie where their 95% intervals overlap.
Tick two rows of a table to compare those runs item by item.</p>
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
<form method="get" action="/compare">
<div class="table-scroll"><table class="board">
<caption>Accuracy on ${board.benchmark}, item set <span class="mono">${board.fingerprint.slice(0, 12)}</span>
<span class="muted small">· ${board.total} entr${board.total === 1 ? 'y' : 'ies'}</span></caption>
<thead><tr><th scope="col" class="pick"><span class="sr">Pick to compare</span></th><th scope="col" class="num">Rank</th>
<th scope="col">Repository</th><th scope="col">Model</th><th scope="col">Accuracy (95% CI)</th><th scope="col" class="num wide">n</th>
<th scope="col" class="wide">Commit</th><th scope="col" class="wide">Date</th></tr></thead>
<tbody>${board.entries.map((e, i) => renderEntry(e, `${id}-${board.offset + i}`))}${board.chance !== null && chanceRow(board.chance)}</tbody>
</table></div>
<p class="board-actions"><button type="submit">Compare the two ticked runs</button>
<span class="muted small">paired, item by item; both must be on this item set</span></p>
</form>
${pager(board)}
${board.otherItemSets.length > 0 && html`<p class="muted small">Not ranked here: ${board.otherItemSets.map((o, i) =>
    html`${i > 0 && '; '}${o.entries} latest run${o.entries === 1 ? '' : 's'} on item set <a class="mono" href="/?benchmark=${board.benchmark}&amp;protocol=${board.protocol}&amp;fingerprint=${o.fingerprint}">${o.fingerprint.slice(0, 12)}</a>`)}
(a different dataset version or prompt, so not comparable).</p>`}
</section>`;
}

function pager(board: LeaderboardBoard): Safe {
  const { previous, next, all } = board.pages;
  const shown = board.entries.length
    ? `Ranks ${board.offset + 1}–${board.offset + board.entries.length} of ${board.total}` : `No entries on this page of ${board.total}`;
  if (!previous && !next && !all) return html``;
  return html`<nav class="pager small" aria-label="${board.benchmark} ${board.protocol} pages">${shown}
${all && html` · <a href="${all}">all ${board.total} entries</a>`}${previous && html` · <a href="${previous}" rel="prev">previous</a>`}${next && html` · <a href="${next}" rel="next">next</a>`}</nav>`;
}

function renderEntry(e: LeaderboardEntry, id: string): Safe {
  return html`<tr><td class="pick"><input type="checkbox" name="run" value="${e.runId}" id="${id}">
<label class="sr" for="${id}">Compare ${e.repository} ${e.model}</label></td>
<td class="num">${formatRankRange(e.rankRange)}</td>
<th scope="row" class="name"><a href="/${e.repository}">${e.repository}</a></th>
<td class="name">${e.model}${e.checkpoint && e.checkpoint !== e.model && html` <span class="muted small">${e.checkpoint}</span>`}</td>
<td>${scoreCell(e.score)}</td><td class="num wide">${e.score.n}</td>
<td class="mono wide">${shortSha(e.commit)}</td><td class="small wide">${formatDate(e.createdAt)}</td></tr>`;
}

function chanceRow(chance: number): Safe {
  return html`<tr class="chance"><td class="pick"></td><td class="num">—</td><th scope="row">chance</th><td>uniform random guessing</td>
<td>${formatPercent(chance)}</td><td class="wide"></td><td class="wide"></td><td class="wide"></td></tr>`;
}
