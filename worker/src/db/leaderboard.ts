/** The leaderboard's one query: who represents each (repository, model) on a benchmark. */
import { iso, IS_PR_RUN } from './rows.js';

export interface LeaderboardRow {
  repository: string; model: string; checkpoint: string | null; runId: string; commit: string | null;
  createdAt: string; verified: boolean; value: number; n: number; ciLow: number | null; ciHigh: number | null;
  chanceAccuracy: number | null; fingerprint: string;
}

/**
 * The latest complete, non-pull-request run per (repository, model) that scored this benchmark under this
 * protocol, with its whole-benchmark accuracy and fingerprint. Chosen before any fingerprint filter: an older run
 * on another fingerprint never stands in for a repository whose latest run moved on.
 */
export async function leaderboardCandidates(db: D1Database, benchmark: string, protocol: string): Promise<LeaderboardRow[]> {
  const { results } = await db.prepare(`WITH ranked AS (
      SELECT r.id, r.repository_id, r.model, r.checkpoint, r.commit_sha, r.created_at, r.verified, s.value, s.n,
        s.ci_low, s.ci_high, s.chance_accuracy, s.fingerprint, ROW_NUMBER() OVER (PARTITION BY r.repository_id, r.model
          ORDER BY r.completed_at DESC, r.created_at DESC, r.id DESC) AS rn
      FROM scores s JOIN runs r ON r.id = s.run_id
      WHERE s.benchmark = ? AND s.protocol = ? AND s.group_key = '' AND s.metric = 'accuracy'
        AND r.status = 'complete' AND NOT ${IS_PR_RUN})
    SELECT ranked.*, p.full_name AS repository FROM ranked JOIN repositories p ON p.id = ranked.repository_id
    WHERE rn = 1 ORDER BY value DESC, repository, model`).bind(benchmark, protocol).all<Record<string, unknown>>();
  return results.map((r) => ({
    repository: String(r.repository), model: String(r.model), checkpoint: r.checkpoint as string | null,
    runId: String(r.id), commit: r.commit_sha as string | null, createdAt: iso(r.created_at),
    verified: r.verified === 1, value: Number(r.value), n: Number(r.n), ciLow: r.ci_low as number | null,
    ciHigh: r.ci_high as number | null, chanceAccuracy: r.chance_accuracy as number | null, fingerprint: String(r.fingerprint),
  }));
}
