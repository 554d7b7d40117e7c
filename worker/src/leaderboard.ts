/**
 * Cross-repository leaderboard for one benchmark and protocol: the latest complete run per (repository, model),
 * only among runs scored on identical items (one fingerprint), ranked with rank ranges from Wilson intervals and
 * closed by the chance-level row. The candidates are precomputed on upload (db/board.ts), so a view reads one
 * board's entries (one row per repository and model) and ranks them in O(n log n); the home page reads cached
 * summaries (the top of each board), rebuilt only after an upload changed that board.
 */
import { wilson } from '../../schemas/stats.js';
import { listBoards, readBoardEntries, saveBoardSummary, type BoardRecord, type LeaderboardRow } from './db.js';

export type { LeaderboardRow };

export interface LeaderboardEntry extends LeaderboardRow {
  ci95: [number, number];
  /** best and worst rank this entry could hold given the overlapping intervals (1 = top) */
  rank: { best: number; worst: number };
}

export interface Leaderboard {
  benchmark: string;
  protocol: string;
  /** null when nothing has been uploaded for this benchmark and protocol */
  fingerprint: string | null;
  /** other fingerprints seen among latest runs, with how many entries each would hold */
  otherFingerprints: { fingerprint: string; entries: number }[];
  /** entries on this fingerprint's board; `entries` is the page [offset, offset + limit) of them */
  total: number;
  offset: number;
  entries: LeaderboardEntry[];
  /** expected accuracy of uniform random guessing on these items; null when unknown */
  chance: number | null;
}

export interface BoardQuery { benchmark: string; protocol: string; fingerprint?: string | null; offset?: number; limit?: number }

/** Entries per page unless the caller asks otherwise; the API allows up to MAX_PAGE. */
export const DEFAULT_PAGE = 100;
export const MAX_PAGE = 500;
/** Entries the home page shows per board (from the cached summary). */
export const SUMMARY_ENTRIES = 10;

/**
 * One board: the latest run per (repository, model) was chosen on upload; here only the repositories the caller
 * may read count (private deployments), then the fingerprint most of them share (or the requested one) selects the
 * entries, ranked, and the requested page is cut.
 */
export async function buildLeaderboard(
  db: D1Database, q: BoardQuery, canRead: (repository: string) => boolean = () => true,
): Promise<Leaderboard> {
  return rankBoard((await readBoardEntries(db, q.benchmark, q.protocol)).filter((r) => canRead(r.repository)), q);
}

/** Pure: candidates of one board → the ranked page. */
export function rankBoard(candidates: readonly LeaderboardRow[], q: BoardQuery): Leaderboard {
  const counts = countFingerprints(candidates);
  const fingerprint = q.fingerprint ?? counts[0]?.fingerprint ?? null;
  const rows = candidates.filter((r) => r.fingerprint === fingerprint);
  const offset = Math.max(0, q.offset ?? 0);
  const ranked = rankEntries(rows);
  return {
    benchmark: q.benchmark, protocol: q.protocol, fingerprint,
    otherFingerprints: counts.filter((c) => c.fingerprint !== fingerprint),
    total: ranked.length, offset,
    entries: ranked.slice(offset, offset + (q.limit ?? DEFAULT_PAGE)),
    chance: rows.find((r) => r.chanceAccuracy !== null)?.chanceAccuracy ?? null,
  };
}

/**
 * Every board's top SUMMARY_ENTRIES for the home page. Public readers get the cached summaries (one row per board).
 * Boards an upload changed (or never built, right after migration 0002) are rebuilt and stored by the next view,
 * one after another until REBUILD_ROWS entries were ranked in this view — so one view ranks at most about that
 * many entries (the CPU bound in docs/worker.md), and a small deployment rebuilds everything at once. A changed
 * board past the budget shows its previous summary, a never-built one is left out, until a later view.
 * Readers of a private deployment see only the repositories they may read, so their boards are ranked per view.
 */
export async function boardSummaries(
  db: D1Database,
  opts: { publicView: boolean; canRead: (repository: string) => boolean; only?: (b: BoardRecord) => boolean; rebuildRows?: number },
): Promise<Leaderboard[]> {
  const boards = (await listBoards(db)).filter((b) => !opts.only || opts.only(b));
  const budget = opts.rebuildRows ?? REBUILD_ROWS;
  if (!opts.publicView) {
    return Promise.all(boards.map((b) => buildLeaderboard(db, { ...b, limit: SUMMARY_ENTRIES }, opts.canRead)));
  }
  const out: Leaderboard[] = [];
  let ranked = 0;
  for (const b of boards) {
    if (b.summary !== null && (b.fresh || ranked >= budget)) out.push(JSON.parse(b.summary) as Leaderboard);
    if (b.fresh && b.summary !== null) continue;
    if (ranked >= budget) continue;
    const board = await buildLeaderboard(db, { ...b, limit: SUMMARY_ENTRIES });
    ranked += board.total + board.otherFingerprints.reduce((a, f) => a + f.entries, 0);
    await saveBoardSummary(db, b, JSON.stringify(board));
    out.push(board);
  }
  return out;
}

/** Entries one home-page view may rank while rebuilding changed boards (then it stops; the next view goes on). */
export const REBUILD_ROWS = 2_000;

/** Entries per fingerprint, most first (ties by fingerprint, so the default board is stable). */
function countFingerprints(rows: readonly LeaderboardRow[]): { fingerprint: string; entries: number }[] {
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.fingerprint, (counts.get(r.fingerprint) ?? 0) + 1);
  return [...counts].map(([fingerprint, entries]) => ({ fingerprint, entries }))
    .sort((a, b) => b.entries - a.entries || (a.fingerprint < b.fingerprint ? -1 : 1));
}

/**
 * Sorted by value (then repository, model); rank range = 1 + entries whose interval lies wholly above …
 * entries minus those wholly below. Counted by binary search over the sorted interval bounds: O(n log n).
 */
export function rankEntries(rows: readonly LeaderboardRow[]): LeaderboardEntry[] {
  const withCi = rows.map((r) => ({
    ...r, ci95: (r.ciLow !== null && r.ciHigh !== null ? [r.ciLow, r.ciHigh] : wilson(Math.round(r.value * r.n), r.n)) as [number, number],
  })).sort((a, b) => b.value - a.value || cmp(a.repository, b.repository) || cmp(a.model, b.model));
  const lows = withCi.map((e) => e.ci95[0]).sort((a, b) => a - b);
  const highs = withCi.map((e) => e.ci95[1]).sort((a, b) => a - b);
  const n = withCi.length;
  return withCi.map((e) => ({
    ...e,
    rank: { best: 1 + n - firstAbove(lows, e.ci95[1]), worst: n - firstAtLeast(highs, e.ci95[0]) },
  }));
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Index of the first value > x in ascending `xs` (xs.length when none). */
function firstAbove(xs: readonly number[], x: number): number {
  let lo = 0, hi = xs.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (xs[mid]! > x) hi = mid; else lo = mid + 1; }
  return lo;
}

/** Index of the first value ≥ x in ascending `xs` (xs.length when none). */
function firstAtLeast(xs: readonly number[], x: number): number {
  let lo = 0, hi = xs.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (xs[mid]! >= x) hi = mid; else lo = mid + 1; }
  return lo;
}
