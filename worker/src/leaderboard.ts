/**
 * Cross-repository leaderboard for one benchmark and protocol: the latest complete run per (repository, model),
 * only among runs scored on identical items (one fingerprint), ranked with rank ranges from Wilson intervals and
 * closed by the chance-level row.
 */
import { wilson } from '../../schemas/stats.js';
import { leaderboardCandidates, type LeaderboardRow } from './db.js';

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
  entries: LeaderboardEntry[];
  /** expected accuracy of uniform random guessing on these items; null when unknown */
  chance: number | null;
}

/**
 * One board: the latest run per (repository, model) is chosen first (db.leaderboardCandidates), then only the
 * repositories the caller may read count (private deployments), then the fingerprint most of them share (or the
 * requested one) selects the entries.
 */
export async function buildLeaderboard(
  db: D1Database, q: { benchmark: string; protocol: string; fingerprint?: string | null },
  canRead: (repository: string) => boolean = () => true,
): Promise<Leaderboard> {
  const candidates = (await leaderboardCandidates(db, q.benchmark, q.protocol)).filter((r) => canRead(r.repository));
  const counts = countFingerprints(candidates);
  const fingerprint = q.fingerprint ?? counts[0]?.fingerprint ?? null;
  const rows = candidates.filter((r) => r.fingerprint === fingerprint);
  return {
    benchmark: q.benchmark, protocol: q.protocol, fingerprint,
    otherFingerprints: counts.filter((c) => c.fingerprint !== fingerprint),
    entries: rankEntries(rows),
    chance: rows.find((r) => r.chanceAccuracy !== null)?.chanceAccuracy ?? null,
  };
}

/** Entries per fingerprint, most first (ties by fingerprint, so the default board is stable). */
function countFingerprints(rows: LeaderboardRow[]): { fingerprint: string; entries: number }[] {
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.fingerprint, (counts.get(r.fingerprint) ?? 0) + 1);
  return [...counts].map(([fingerprint, entries]) => ({ fingerprint, entries }))
    .sort((a, b) => b.entries - a.entries || (a.fingerprint < b.fingerprint ? -1 : 1));
}

/** Sorted by value; rank range = 1 + entries surely above … count of entries not surely below. */
export function rankEntries(rows: LeaderboardRow[]): LeaderboardEntry[] {
  const withCi = rows.map((r) => ({
    ...r, ci95: (r.ciLow !== null && r.ciHigh !== null ? [r.ciLow, r.ciHigh] : wilson(Math.round(r.value * r.n), r.n)) as [number, number],
  })).sort((a, b) => b.value - a.value);
  return withCi.map((e) => ({
    ...e,
    rank: {
      best: 1 + withCi.filter((o) => o.ci95[0] > e.ci95[1]).length,
      worst: withCi.length - withCi.filter((o) => o.ci95[1] < e.ci95[0]).length,
    },
  }));
}
