/**
 * Cross-repository leaderboard for one benchmark and protocol: the latest complete run per (repository, model),
 * only among runs scored on identical items (one fingerprint), ranked with rank ranges from Wilson intervals and
 * closed by the chance-level row.
 */
import { wilson } from '../../schemas/stats';
import { leaderboardFingerprints, leaderboardRows, type LeaderboardRow } from './db';

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

export async function buildLeaderboard(
  db: D1Database, q: { benchmark: string; protocol: string; fingerprint?: string | null },
): Promise<Leaderboard> {
  const counts = await leaderboardFingerprints(db, q.benchmark, q.protocol);
  const fingerprint = q.fingerprint ?? counts[0]?.fingerprint ?? null;
  const rows = fingerprint ? await leaderboardRows(db, q.benchmark, q.protocol, fingerprint) : [];
  return {
    benchmark: q.benchmark, protocol: q.protocol, fingerprint,
    otherFingerprints: counts.filter((c) => c.fingerprint !== fingerprint),
    entries: rankEntries(rows),
    chance: rows.find((r) => r.chanceAccuracy !== null)?.chanceAccuracy ?? null,
  };
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
