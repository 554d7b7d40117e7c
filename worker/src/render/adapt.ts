/**
 * Pure shaping from database records (worker/src/db.ts) and stored run results to the view-models the renderers
 * take. No I/O here, so every rule (which score a badge shows, how the understanding/reasoning split pools) is
 * testable without D1.
 */
import type { BenchmarkResult, Metric, RunResult } from '../../../schemas/results.js';
import { wilson } from '../../../schemas/stats.js';
import type { CompareResult, PairedComparison } from '../../../schemas/compare.js';
import type { HistoryPoint, RunSummary as RunRecord, ScoreRecord } from '../db.js';
import type { Leaderboard } from '../leaderboard.js';
import type { ChartPoint } from './chart.js';
import { benchmarkTitle } from './format.js';
import type { BenchmarkScoreRow, CompareRow, CompareView, LeaderboardBoard, RunSummary, Score } from './view-models.js';

export const PRIMARY_METRIC = 'accuracy';
export const QUESTION_TYPE_KEY = 'questionType';

export function toRunView(r: RunRecord): RunSummary {
  return {
    id: r.id, commit: r.commit, ref: r.ref, prNumber: r.prNumber, model: r.model, checkpoint: r.checkpoint,
    protocol: r.protocol, status: r.status, verified: r.verified, createdAt: r.createdAt, scoreMean: r.scoreMean,
  };
}

export function toChartPoints(history: readonly HistoryPoint[]): ChartPoint[] {
  return history.map((h) => ({
    runId: h.runId, commit: h.commit, createdAt: h.createdAt, value: h.value, n: h.n,
    ci95: h.ciLow === null || h.ciHigh === null ? null : [h.ciLow, h.ciHigh],
  }));
}

/** A badge's `group` query: "key:value" matches exactly, a bare "value" matches that value under any key. */
export function parseGroup(group: string | null | undefined): { key: string | null; value: string } | null {
  if (!group) return null;
  const i = group.indexOf(':');
  return i > 0 ? { key: group.slice(0, i), value: group.slice(i + 1) } : { key: null, value: group };
}

/**
 * The number a badge shows for one run. No benchmark and no group: the suite mean stored with the run (mean of
 * accuracy over benchmarks). A benchmark: its accuracy, or its group's. A group without a benchmark: accuracy
 * pooled over all benchmarks' items in that group. null when the run has no such score.
 */
export function badgeScore(
  scoreMean: number | null, scores: readonly BadgeScoreRow[], q: { benchmark?: string | null; group?: string | null },
): number | null {
  const group = parseGroup(q.group);
  if (!q.benchmark && !group) return scoreMean;
  const matching = scores.filter((s) => s.metric === PRIMARY_METRIC && (!q.benchmark || s.benchmark === q.benchmark)
    && (group ? (group.key === null || s.groupKey === group.key) && s.groupValue === group.value && s.groupKey !== '' : s.groupKey === ''));
  if (matching.length === 0) return null;
  return pool(matching.map((s) => ({ value: s.value, n: s.n })))?.value ?? null;
}

export type BadgeScoreRow = Pick<ScoreRecord, 'benchmark' | 'groupKey' | 'groupValue' | 'metric' | 'value' | 'n'>;

/** Items pooled across parts: Σ value·n / Σ n with a Wilson interval on the pooled count. */
export function pool(parts: readonly { value: number; n: number }[]): Score | null {
  const n = parts.reduce((a, p) => a + p.n, 0);
  if (n === 0) return null;
  const k = Math.round(parts.reduce((a, p) => a + p.value * p.n, 0));
  return { value: k / n, n, ci95: wilson(k, n) };
}

function metricScore(metrics: readonly Metric[]): Score | null {
  const m = metrics.find((x) => x.name === PRIMARY_METRIC);
  return m && m.n > 0 ? { value: m.value, n: m.n, ci95: m.ci95 } : null;
}

function groupScore(b: BenchmarkResult, value: string): Score | null {
  const g = b.groups.find((x) => x.key === QUESTION_TYPE_KEY && x.value === value);
  return g ? metricScore(g.metrics) : null;
}

/** One row per benchmark of a stored run: accuracy overall and per question type, counts, chance. */
export function benchmarkRows(run: RunResult): BenchmarkScoreRow[] {
  return run.benchmarks.map((b) => ({
    benchmark: b.id, title: b.title ?? benchmarkTitle(b.id), overall: metricScore(b.metrics),
    understanding: groupScore(b, 'understanding'), reasoning: groupScore(b, 'reasoning'),
    scored: b.counts.scored, unparsed: b.counts.unparsed, errors: b.counts.errors, chance: b.chanceAccuracy,
  }));
}

/** Understanding vs reasoning over the whole run: each question type's items pooled across benchmarks. */
export function questionTypeSplit(rows: readonly BenchmarkScoreRow[]): { understanding: Score | null; reasoning: Score | null } {
  const poolOf = (pick: (r: BenchmarkScoreRow) => Score | null) =>
    pool(rows.map(pick).filter((s): s is Score => s !== null));
  return { understanding: poolOf((r) => r.understanding), reasoning: poolOf((r) => r.reasoning) };
}

/**
 * A leaderboard (worker/src/leaderboard.ts, which ranks) as one board; null when nothing was uploaded. `summary`:
 * the home page's top entries, linking to the whole board; else a page of `pageSize` with previous/next links.
 */
export function toLeaderboardBoard(lb: Leaderboard, paging: { summary: boolean; pageSize: number }): LeaderboardBoard | null {
  if (!lb.fingerprint) return null;
  const link = (page: number | null) => {
    const q = new URLSearchParams({ benchmark: lb.benchmark, protocol: lb.protocol });
    if (page !== null && page > 1) q.set('page', String(page));
    return `/?${q.toString()}`;
  };
  const page = Math.floor(lb.offset / paging.pageSize) + 1;
  const more = lb.offset + lb.entries.length < lb.total;
  return {
    benchmark: lb.benchmark, protocol: lb.protocol, fingerprint: lb.fingerprint, title: benchmarkTitle(lb.benchmark),
    chance: lb.chance, otherItemSets: lb.otherFingerprints, total: lb.total, offset: lb.offset,
    pages: paging.summary
      ? { previous: null, next: null, all: more ? link(null) : null }
      : { previous: page > 1 ? link(page - 1) : null, next: more ? link(page + 1) : null, all: null },
    entries: lb.entries.map((e) => ({
      rankRange: [e.rank.best, e.rank.worst], repository: e.repository, model: e.model, checkpoint: e.checkpoint,
      runId: e.runId, commit: e.commit, createdAt: e.createdAt, score: { value: e.value, n: e.n, ci95: e.ci95 },
    })),
  };
}

/** The compare API's answer as table rows: each benchmark followed by its groups. */
export function toCompareView(repo: { owner: string | null; repo: string | null }, r: CompareResult): CompareView {
  const row = (benchmark: string, group: CompareRow['group'], c: PairedComparison): CompareRow => ({
    benchmark, group, base: c.base, head: c.head, diff: c.diff, ci95: c.ci95, baseOnly: c.counts.baseOnly,
    headOnly: c.counts.headOnly, p: c.pValue, pHolm: c.pAdjusted, verdict: c.verdict, ...(c.power ? { power: c.power } : {}),
  });
  return {
    ...repo, base: r.base, head: r.head, margin: r.options.margin, alpha: r.options.alpha, mode: r.options.mode,
    verdict: r.verdict, onlyInBase: r.onlyInBase, onlyInHead: r.onlyInHead, ...(r.cost ? { cost: r.cost } : {}),
    rows: r.benchmarks.flatMap((b) => [row(b.id, null, b), ...b.groups.map((g) => row(b.id, { key: g.key, value: g.value }, g))]),
  };
}
