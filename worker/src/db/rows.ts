/**
 * Row shapes, shared SQL fragments and row → record mapping for worker/src/db/*. Rows are mapped to camelCase
 * records here and nowhere else.
 */
export interface RepositoryRecord { id: number; fullName: string; githubId: number | null; ownerGithubId: number | null }

export type RunStatus = 'complete' | 'incomplete';
export type UploaderKind = 'oidc' | 'token' | 'anonymous';

export interface RunSummary {
  id: string;
  repository: string;
  status: RunStatus;
  shardCount: number | null;
  commit: string | null;
  ref: string | null;
  prNumber: number | null;
  baseRef: string | null;
  model: string;
  checkpoint: string | null;
  protocol: string;
  suiteVersion: string;
  /** mean over benchmarks of the primary metric (accuracy) */
  scoreMean: number | null;
  workflowRef: string | null;
  ghRunId: string | null;
  verified: boolean;
  uploader: UploaderKind;
  createdAt: string;
  completedAt: string | null;
}

/** What a write needs besides the body: the summary columns (the repository by name: created in the same batch). */
export interface NewRun {
  id: string; repository: string; runKey: string; bodySha256: string | null; status: RunStatus;
  shardCount: number | null; commit: string | null; ref: string | null; prNumber: number | null;
  baseRef: string | null; model: string; checkpoint: string | null; protocol: string; suiteVersion: string;
  scoreMean: number | null; workflowRef: string | null; ghRunId: string | null; verified: boolean;
  uploader: UploaderKind; createdAt: number;
}

export interface ScoreRecord {
  benchmark: string; groupKey: string; groupValue: string; metric: string; value: number; n: number;
  ciLow: number | null; ciHigh: number | null; fingerprint: string; protocol: string; chanceAccuracy: number | null;
}

export interface RunFilters { ref?: string | null; sha?: string | null; model?: string | null }
export interface Cursor { createdAt: number; id: string }

export const RUN_COLUMNS = `r.id, p.full_name AS repository, r.status, r.shard_count, r.commit_sha, r.ref, r.pr_number,
  r.base_ref, r.model, r.checkpoint, r.protocol, r.suite_version, r.score_mean, r.workflow_ref, r.gh_run_id,
  r.verified, r.uploader, r.created_at, r.completed_at`;
// ?2 = ref: "main" also matches runs recorded with the full "refs/heads/main". ?3 = sha or a hex prefix of it:
// hex sorts below 'g', so [prefix, prefix || 'g') is exactly the shas starting with it (an index range).
export const FILTERS = `(?2 IS NULL OR r.ref = ?2 OR r.ref = 'refs/heads/' || ?2)
  AND (?3 IS NULL OR (r.commit_sha >= ?3 AND r.commit_sha < ?3 || 'g')) AND (?4 IS NULL OR r.model = ?4)`;
/**
 * "Newest" among complete runs: the one that became complete last (a sharded run started earlier but finished
 * later is newer), then upload time, then id so the order is total.
 */
export const NEWEST_COMPLETE = 'r.completed_at DESC, r.created_at DESC, r.id DESC';
/** A pull-request run: numbered, or recorded on a refs/pull/… ref (the number may be missing from the body). */
export const IS_PR_RUN = `(r.pr_number IS NOT NULL OR r.ref LIKE 'refs/pull/%')`;

export const runBlobKey = (runId: string) => `run:${runId}`;
export const shardBlobKey = (runId: string, index: number) => `shard:${runId}:${index}`;
/** [from, to) covering every shard body key of a run (':' + 1 = ';'), for range reads and deletes. */
export const shardBlobRange = (runId: string): [string, string] => [`shard:${runId}:`, `shard:${runId};`];

export function toRepository(r: Record<string, unknown>): RepositoryRecord {
  return { id: Number(r.id), fullName: String(r.full_name), githubId: r.github_id as number | null,
    ownerGithubId: r.owner_github_id as number | null };
}

export function toRunSummary(r: Record<string, unknown>): RunSummary {
  return {
    id: String(r.id), repository: String(r.repository), status: r.status as RunStatus,
    shardCount: r.shard_count as number | null, commit: r.commit_sha as string | null, ref: r.ref as string | null,
    prNumber: r.pr_number as number | null, baseRef: r.base_ref as string | null, model: String(r.model),
    checkpoint: r.checkpoint as string | null, protocol: String(r.protocol), suiteVersion: String(r.suite_version),
    scoreMean: r.score_mean as number | null, workflowRef: r.workflow_ref as string | null,
    ghRunId: r.gh_run_id as string | null, verified: r.verified === 1, uploader: r.uploader as UploaderKind,
    createdAt: iso(r.created_at), completedAt: r.completed_at === null ? null : iso(r.completed_at),
  };
}

export function iso(ms: unknown): string {
  return new Date(Number(ms)).toISOString();
}

export async function readBlob(db: D1Database, key: string): Promise<string | null> {
  const { results } = await db.prepare('SELECT data FROM blobs WHERE key = ? ORDER BY part').bind(key).all<{ data: string }>();
  return results.length ? results.map((r) => r.data).join('') : null;
}
