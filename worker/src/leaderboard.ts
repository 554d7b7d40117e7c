/**
 * Cross-repository leaderboard for one benchmark and protocol: the latest complete run per (repository, model),
 * only among runs scored on identical items (one fingerprint), ranked with rank ranges from Wilson intervals and
 * closed by the chance-level row. The candidates are precomputed on upload (db/board.ts), so a view reads one
 * board's entries (one row per repository and model) and ranks them in O(n log n). Public views use what the
 * last ranking cached in the board's row (valid until an upload changes the board): the home page its summary (the
 * top entries), the API and board pages its ranking (every entry's key and rank range), so a page reads the board
 * row plus one row per entry shown.
 */
import { wilson } from '../../schemas/stats.js';
import {
  getBoardRanking, listBoards, readBoardEntries, readBoardEntriesByKey, saveBoardSummary, type BoardRecord, type LeaderboardRow,
} from './db.js';

export type { LeaderboardRow };

interface Ranked extends LeaderboardRow {
  ci95: [number, number];
  /** best and worst rank this entry could hold given the overlapping intervals (1 = top) */
  rank: { best: number; worst: number };
}

/** A served entry: the board key (repository id) stays internal. */
export type LeaderboardEntry = Omit<Ranked, 'repositoryId'>;

/** The cached ranking of a board's majority fingerprint (boards.ranking): [repository id, model, best, worst] in rank order. */
interface CachedRanking {
  fingerprint: string | null; otherFingerprints: Leaderboard['otherFingerprints']; chance: number | null;
  keys: [number, string, number, number][];
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
 * entries, ranked, and the requested page is cut. `publicView`: the caller reads everything, so the board's cached
 * ranking serves the page (or is rebuilt and stored when an upload made it stale).
 */
export async function buildLeaderboard(
  db: D1Database, q: BoardQuery, canRead: (repository: string) => boolean = () => true, publicView = false,
): Promise<Leaderboard> {
  if (publicView) {
    const cached = await getBoardRanking(db, q.benchmark, q.protocol);
    if (cached?.ranking) {
      const page = await cachedPage(db, q, JSON.parse(cached.ranking) as CachedRanking);
      if (page) return page;
    } else if (cached) {
      const full = await rebuildBoard(db, cached.board);
      if (!q.fingerprint || q.fingerprint === full.fingerprint) return pageOf(full, q);
    }
  }
  const lb = rankBoard((await readBoardEntries(db, q.benchmark, q.protocol)).filter((r) => canRead(r.repository)), q);
  return { ...lb, entries: lb.entries.map(serve) };
}

/** Ranks every entry of a board, stores its summary and ranking (unless an upload moved it on), returns the ranking. */
async function rebuildBoard(db: D1Database, board: BoardRecord): Promise<Leaderboard> {
  const full = rankBoard(await readBoardEntries(db, board.benchmark, board.protocol), { ...board, limit: Number.MAX_SAFE_INTEGER });
  const ranking: CachedRanking = { fingerprint: full.fingerprint, otherFingerprints: full.otherFingerprints, chance: full.chance,
    keys: full.entries.map((e) => [(e as Ranked).repositoryId, e.model, e.rank.best, e.rank.worst]) };
  await saveBoardSummary(db, board, JSON.stringify(pageOf(full, { ...board, limit: SUMMARY_ENTRIES })), JSON.stringify(ranking));
  return full;
}

/** A page from the cached ranking: one primary-key lookup per entry shown. null when another fingerprint is asked for. */
async function cachedPage(db: D1Database, q: BoardQuery, r: CachedRanking): Promise<Leaderboard | null> {
  if (q.fingerprint && q.fingerprint !== r.fingerprint) return null;
  const offset = Math.max(0, q.offset ?? 0);
  const keys = r.keys.slice(offset, offset + (q.limit ?? DEFAULT_PAGE));
  const rows = new Map((await readBoardEntriesByKey(db, q.benchmark, q.protocol, keys.map(([id, model]) => [id, model] as const)))
    .map((row) => [JSON.stringify([row.repositoryId, row.model]), row]));
  const entries = keys.flatMap(([id, model, best, worst]) => {
    const row = rows.get(JSON.stringify([id, model]));
    return row ? [serve({ ...row, ci95: interval(row), rank: { best, worst } })] : [];
  });
  return { benchmark: q.benchmark, protocol: q.protocol, fingerprint: r.fingerprint, otherFingerprints: r.otherFingerprints,
    total: r.keys.length, offset, entries, chance: r.chance };
}

function pageOf(full: Leaderboard, q: { offset?: number; limit?: number }): Leaderboard {
  const offset = Math.max(0, q.offset ?? 0);
  return { ...full, offset, entries: full.entries.slice(offset, offset + (q.limit ?? DEFAULT_PAGE)).map(serve) };
}

const serve = (e: LeaderboardEntry | Ranked): LeaderboardEntry => {
  const { repositoryId: _, ...rest } = e as Ranked;
  return rest;
};

/** Pure: candidates of one board → the ranked page (entries keep their internal key until served). */
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
    return Promise.all(boards.map(async (b) => pageOf(await buildLeaderboard(db, { ...b, limit: SUMMARY_ENTRIES }, opts.canRead), {})));
  }
  const out: Leaderboard[] = [];
  let ranked = 0;
  for (const b of boards) {
    if (b.summary !== null && (b.fresh || ranked >= budget)) out.push(JSON.parse(b.summary) as Leaderboard);
    if ((b.fresh && b.summary !== null) || ranked >= budget) continue;
    const full = await rebuildBoard(db, b);
    ranked += full.total + full.otherFingerprints.reduce((a, f) => a + f.entries, 0);
    out.push(pageOf(full, { limit: SUMMARY_ENTRIES }));
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
export function rankEntries(rows: readonly LeaderboardRow[]): Ranked[] {
  const withCi = rows.map((r) => ({ ...r, ci95: interval(r) }))
    .sort((a, b) => b.value - a.value || cmp(a.repository, b.repository) || cmp(a.model, b.model));
  const lows = withCi.map((e) => e.ci95[0]).sort((a, b) => a - b);
  const highs = withCi.map((e) => e.ci95[1]).sort((a, b) => a - b);
  const n = withCi.length;
  return withCi.map((e) => ({
    ...e,
    rank: { best: 1 + n - firstAbove(lows, e.ci95[1]), worst: n - firstAtLeast(highs, e.ci95[0]) },
  }));
}

/** The stored interval, or Wilson's from value and n when the upload had none. */
function interval(r: LeaderboardRow): [number, number] {
  return r.ciLow !== null && r.ciHigh !== null ? [r.ciLow, r.ciHigh] : wilson(Math.round(r.value * r.n), r.n);
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
