/**
 * Training curves: the runs of one commit that carry different checkpoint labels (a matrix over checkpoints), and
 * their accuracy rows (whole benchmark and the understanding/reasoning split). At most CURVE_RUNS runs, so a view
 * reads a bounded number of rows and the IN list stays under D1's 100 bound parameters.
 */
import { iso } from './rows.js';

export const CURVE_RUNS = 60;

export interface CurveRun { id: string; checkpoint: string; model: string; createdAt: string }
export interface CurveScore { runId: string; benchmark: string; group: string; value: number; n: number; ciLow: number | null; ciHigh: number | null }

/** The newest commit of the repository with at least two checkpoint labels among its complete runs. */
export async function latestCheckpointCommit(db: D1Database, repository: string): Promise<string | null> {
  const row = await db.prepare(`SELECT r.commit_sha AS sha FROM runs r JOIN repositories p ON p.id = r.repository_id
    WHERE p.full_name = ?1 AND r.status = 'complete' AND r.checkpoint IS NOT NULL AND r.commit_sha IS NOT NULL
    GROUP BY r.commit_sha HAVING COUNT(DISTINCT r.checkpoint) >= 2 ORDER BY MAX(r.created_at) DESC LIMIT 1`)
    .bind(repository).first<{ sha: string }>();
  return row?.sha ?? null;
}

/** The newest complete run per checkpoint label at a commit (a full sha, or a prefix of at least 7). */
export async function checkpointRuns(db: D1Database, repository: string, commit: string): Promise<CurveRun[]> {
  const { results } = await db.prepare(`SELECT r.id, r.checkpoint, r.model, r.created_at FROM runs r
      JOIN repositories p ON p.id = r.repository_id
    WHERE p.full_name = ?1 AND r.status = 'complete' AND r.commit_sha LIKE ?2 || '%'
    ORDER BY r.created_at, r.id LIMIT 500`).bind(repository, commit).all<Record<string, unknown>>();
  const newest = new Map<string, CurveRun>();
  for (const r of results) {
    const label = String(r.checkpoint ?? r.model);
    newest.delete(label); // re-inserted below: upload order follows the newest run of each label
    newest.set(label, { id: String(r.id), checkpoint: label, model: String(r.model), createdAt: iso(r.created_at) });
  }
  return [...newest.values()].slice(-CURVE_RUNS);
}

export async function checkpointScores(db: D1Database, runIds: string[], benchmark: string | null): Promise<CurveScore[]> {
  if (runIds.length === 0) return [];
  const marks = runIds.map((_, i) => `?${i + 2}`).join(',');
  const { results } = await db.prepare(`SELECT run_id, benchmark, group_key, group_value, value, n, ci_low, ci_high
    FROM scores WHERE metric = 'accuracy' AND run_id IN (${marks})
      AND (?1 IS NULL OR benchmark = ?1) AND (group_key = '' OR group_key = 'questionType')`)
    .bind(benchmark, ...runIds).all<Record<string, unknown>>();
  return results.map((r) => ({
    runId: String(r.run_id), benchmark: String(r.benchmark),
    group: r.group_key ? `${String(r.group_key)}=${String(r.group_value)}` : '',
    value: Number(r.value), n: Number(r.n), ciLow: r.ci_low as number | null, ciHigh: r.ci_high as number | null,
  }));
}
