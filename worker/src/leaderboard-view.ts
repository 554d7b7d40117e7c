/**
 * The leaderboard page's data (`/`): without a benchmark, every board's top entries from the cached summaries
 * (one D1 row per board for public readers); with `benchmark` (and optionally `protocol`, `fingerprint`, `page`),
 * those boards in full, PAGE_SIZE entries per page. Boards in the suite's order.
 */
import { BENCHMARK_IDS } from '../../schemas/results.js';
import { boardSummaries, buildLeaderboard, type Leaderboard } from './leaderboard.js';
import { listBoards } from './db.js';
import { PUBLIC_ACCESS, type ReadAccess } from './read-access.js';
import { toLeaderboardBoard } from './render/adapt.js';
import type { LeaderboardBoard } from './render/view-models.js';

export const PAGE_SIZE = 50;
const FINGERPRINT = /^[0-9a-f]{64}$/;
const MAX_PAGE_NUMBER = 10_000;

export interface LeaderboardPageQuery { benchmark?: string; protocol?: string; fingerprint?: string; page?: string }

export async function loadLeaderboardBoards(db: D1Database, q: LeaderboardPageQuery, reader: ReadAccess): Promise<LeaderboardBoard[]> {
  const canRead = (repo: string) => reader.canRead(repo);
  const matches = (b: { benchmark: string; protocol: string }) =>
    (!q.benchmark || b.benchmark === q.benchmark) && (!q.protocol || b.protocol === q.protocol);
  let boards: Leaderboard[];
  if (!q.benchmark) {
    boards = await boardSummaries(db, { publicView: reader === PUBLIC_ACCESS, canRead, only: matches });
  } else {
    const page = Math.min(MAX_PAGE_NUMBER, Math.max(1, Math.floor(Number(q.page)) || 1));
    const fingerprint = q.fingerprint && FINGERPRINT.test(q.fingerprint) ? q.fingerprint : null;
    const chosen = (await listBoards(db)).filter(matches);
    boards = await Promise.all(chosen.map((b) =>
      buildLeaderboard(db, { ...b, fingerprint, offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE }, canRead, reader === PUBLIC_ACCESS)));
  }
  const order = (id: string) => (BENCHMARK_IDS as readonly string[]).indexOf(id);
  return boards.sort((a, b) => order(a.benchmark) - order(b.benchmark) || a.protocol.localeCompare(b.protocol))
    .map((lb) => toLeaderboardBoard(lb, { summary: !q.benchmark, pageSize: PAGE_SIZE }))
    .filter((b): b is LeaderboardBoard => b !== null);
}
