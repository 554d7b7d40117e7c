/** Read queries over runs and scores: single runs, listings, "latest", history, badges, the default branch. */
import type { RunResult } from '../../../schemas/results.js';
import {
  FILTERS, iso, IS_PR_RUN, NEWEST_COMPLETE, readBlob, RUN_COLUMNS, runBlobKey, toRunSummary,
  type Cursor, type RunFilters, type RunSummary, type ScoreRecord,
} from './rows.js';

const FROM_RUNS = 'FROM runs r JOIN repositories p ON p.id = r.repository_id';

export async function getRun(db: D1Database, id: string): Promise<RunSummary | null> {
  const row = await db.prepare(`SELECT ${RUN_COLUMNS} ${FROM_RUNS} WHERE r.id = ?`).bind(id).first<Record<string, unknown>>();
  return row ? toRunSummary(row) : null;
}

/** The stored (validated on upload, or merged) result of a complete run; null when absent or incomplete. */
export async function getRunResult(db: D1Database, id: string): Promise<RunResult | null> {
  const body = await readBlob(db, runBlobKey(id));
  return body === null ? null : (JSON.parse(body) as RunResult);
}

/** Newest first by upload time; `cursor` is the last row of the previous page. */
export async function listRuns(
  db: D1Database, repository: string, filters: RunFilters & { limit: number; cursor?: Cursor | null },
): Promise<{ runs: RunSummary[]; nextCursor: Cursor | null }> {
  const { results } = await db.prepare(`SELECT ${RUN_COLUMNS} ${FROM_RUNS}
    WHERE p.full_name = ?1 AND ${FILTERS}
      AND (?5 IS NULL OR r.created_at < ?5 OR (r.created_at = ?5 AND r.id < ?6))
    ORDER BY r.created_at DESC, r.id DESC LIMIT ?7`)
    .bind(repository, filters.ref ?? null, filters.sha ?? null, filters.model ?? null,
      filters.cursor?.createdAt ?? null, filters.cursor?.id ?? null, filters.limit + 1)
    .all<Record<string, unknown>>();
  const rows = results.slice(0, filters.limit);
  const last = rows[rows.length - 1];
  const nextCursor = results.length > filters.limit && last
    ? { createdAt: Number(last.created_at), id: String(last.id) } : null;
  return { runs: rows.map(toRunSummary), nextCursor };
}

/** The newest complete run matching the filters (the one completed last; see NEWEST_COMPLETE). */
export async function latestRun(db: D1Database, repository: string, filters: RunFilters = {}): Promise<RunSummary | null> {
  const row = await db.prepare(`SELECT ${RUN_COLUMNS} ${FROM_RUNS}
    WHERE p.full_name = ?1 AND r.status = 'complete' AND ${FILTERS} ORDER BY ${NEWEST_COMPLETE} LIMIT 1`)
    .bind(repository, filters.ref ?? null, filters.sha ?? null, filters.model ?? null).first<Record<string, unknown>>();
  return row ? toRunSummary(row) : null;
}

/** Newest run at a commit given in full or as a hex prefix; complete runs only unless `status` says otherwise. */
export async function latestRunAtCommit(
  db: D1Database, repository: string, shaPrefix: string, filters: { model?: string | null; status?: 'incomplete' } = {},
): Promise<RunSummary | null> {
  const row = await db.prepare(`SELECT ${RUN_COLUMNS} ${FROM_RUNS}
    WHERE p.full_name = ?1 AND r.status = ?5 AND r.commit_sha >= ?2 AND r.commit_sha < ?3 AND (?4 IS NULL OR r.model = ?4)
    ORDER BY ${NEWEST_COMPLETE} LIMIT 1`)
    .bind(repository, shaPrefix, `${shaPrefix}g`, filters.model ?? null, filters.status ?? 'complete')
    .first<Record<string, unknown>>();
  return row ? toRunSummary(row) : null;
}

export interface HistoryPoint {
  runId: string; commit: string | null; ref: string | null; createdAt: string;
  value: number; n: number; ciLow: number | null; ciHigh: number | null; fingerprint: string;
}

/** Score history of one benchmark (optionally one group) over complete runs, oldest first. */
export async function runHistory(db: D1Database, repository: string, q: RunFilters & {
  benchmark: string; metric?: string; groupKey?: string; groupValue?: string; limit?: number;
}): Promise<HistoryPoint[]> {
  const { results } = await db.prepare(`SELECT r.id, r.commit_sha, r.ref, r.created_at, s.value, s.n, s.ci_low,
      s.ci_high, s.fingerprint
    ${FROM_RUNS} JOIN scores s ON s.run_id = r.id
    WHERE p.full_name = ?1 AND r.status = 'complete' AND ${FILTERS}
      AND s.benchmark = ?5 AND s.metric = ?6 AND s.group_key = ?7 AND s.group_value = ?8
    ORDER BY r.created_at DESC, r.id DESC LIMIT ?9`)
    .bind(repository, q.ref ?? null, q.sha ?? null, q.model ?? null, q.benchmark, q.metric ?? 'accuracy',
      q.groupKey ?? '', q.groupValue ?? '', q.limit ?? 100)
    .all<Record<string, unknown>>();
  return results.reverse().map((r) => ({
    runId: String(r.id), commit: r.commit_sha as string | null, ref: r.ref as string | null,
    createdAt: iso(r.created_at), value: Number(r.value), n: Number(r.n), ciLow: r.ci_low as number | null,
    ciHigh: r.ci_high as number | null, fingerprint: String(r.fingerprint),
  }));
}

// ---------------------------------------------------------------------------------------------- default branch

/** Branch names treated as the default branch when a repository's default branch is not known (tried together). */
export const DEFAULT_BRANCHES = ['main', 'master'] as const;

/**
 * The repository's default branch as far as its runs tell: the branch of the newest non-PR run whose ref is the
 * base of some pull-request run (PRs target the default branch far more often than anything else). null when no
 * run shows it; callers then use DEFAULT_BRANCHES.
 */
export async function knownDefaultBranch(db: D1Database, repository: string): Promise<string | null> {
  const row = await db.prepare(`SELECT r.ref ${FROM_RUNS}
    WHERE p.full_name = ?1 AND r.ref IS NOT NULL AND NOT ${IS_PR_RUN}
      AND EXISTS (SELECT 1 FROM runs pr WHERE pr.repository_id = r.repository_id AND pr.pr_number IS NOT NULL
        AND pr.base_ref IS NOT NULL AND (r.ref = pr.base_ref OR r.ref = 'refs/heads/' || pr.base_ref))
    ORDER BY r.created_at DESC LIMIT 1`).bind(repository).first<{ ref: string }>();
  return row ? row.ref.replace(/^refs\/heads\//, '') : null;
}

/** Refs (short and full spelling) that count as the default branch: the known one, else main and master. */
export function defaultBranchRefs(known: string | null): string[] {
  return (known ? [known] : [...DEFAULT_BRANCHES]).flatMap((b) => [b, `refs/heads/${b}`]);
}

/** Newest complete run on the default branch, optionally of one model. */
export async function latestDefaultBranchRun(
  db: D1Database, repository: string, filters: { model?: string | null } = {},
): Promise<RunSummary | null> {
  const refs = padRefs(defaultBranchRefs(await knownDefaultBranch(db, repository)));
  const row = await db.prepare(`SELECT ${RUN_COLUMNS} ${FROM_RUNS}
    WHERE p.full_name = ?1 AND r.status = 'complete' AND r.ref IN (?2, ?3, ?4, ?5) AND (?6 IS NULL OR r.model = ?6)
    ORDER BY ${NEWEST_COMPLETE} LIMIT 1`)
    .bind(repository, ...refs, filters.model ?? null).first<Record<string, unknown>>();
  return row ? toRunSummary(row) : null;
}

/**
 * One round trip for a badge: the newest complete run on any of `refs` (optionally of one model) with its
 * accuracy rows (optionally of one benchmark). null when there is no such run.
 */
export async function latestRunAccuracy(
  db: D1Database, repository: string, q: { refs: readonly string[]; model?: string | null; benchmark?: string | null },
): Promise<{ runId: string; scoreMean: number | null; scores: Pick<ScoreRecord, 'benchmark' | 'groupKey' | 'groupValue' | 'metric' | 'value' | 'n'>[] } | null> {
  const { results } = await db.prepare(`WITH latest AS (
      SELECT r.id, r.score_mean ${FROM_RUNS}
      WHERE p.full_name = ?1 AND r.status = 'complete' AND r.ref IN (?2, ?3, ?4, ?5) AND (?6 IS NULL OR r.model = ?6)
      ORDER BY ${NEWEST_COMPLETE} LIMIT 1)
    SELECT latest.id, latest.score_mean, s.benchmark, s.group_key, s.group_value, s.metric, s.value, s.n
    FROM latest LEFT JOIN scores s ON s.run_id = latest.id AND s.metric = 'accuracy' AND (?7 IS NULL OR s.benchmark = ?7)`)
    .bind(repository, ...padRefs(q.refs), q.model ?? null, q.benchmark ?? null).all<Record<string, unknown>>();
  const first = results[0];
  if (!first) return null;
  return {
    runId: String(first.id), scoreMean: first.score_mean as number | null,
    scores: results.filter((r) => r.benchmark !== null).map((r) => ({
      benchmark: String(r.benchmark), groupKey: String(r.group_key), groupValue: String(r.group_value),
      metric: String(r.metric), value: Number(r.value), n: Number(r.n),
    })),
  };
}

/** Exactly four ref parameters (repeating the first), so the statement text stays the same for every badge. */
function padRefs(refs: readonly string[]): string[] {
  if (refs.length === 0 || refs.length > 4) throw new RangeError('ref lists hold 1 to 4 refs');
  return [...refs, ...Array<string>(4 - refs.length).fill(refs[0]!)];
}

/**
 * Runs by id with their stored bodies, in one query (the compare route's read): the summary always, the body
 * (joined parts) only for complete runs. Missing ids are absent from the map.
 */
export async function getRunsWithBodies(db: D1Database, ids: readonly string[]): Promise<Map<string, { run: RunSummary; body: string | null }>> {
  const { results } = await db.prepare(`SELECT ${RUN_COLUMNS}, b.part, b.data ${FROM_RUNS}
      LEFT JOIN blobs b ON r.status = 'complete' AND b.key = 'run:' || r.id
    WHERE r.id IN (SELECT value FROM json_each(?1)) ORDER BY r.id, b.part`)
    .bind(JSON.stringify(ids)).all<Record<string, unknown>>();
  const out = new Map<string, { run: RunSummary; parts: string[] }>();
  for (const row of results) {
    const id = String(row.id);
    const hit = out.get(id) ?? { run: toRunSummary(row), parts: [] };
    out.set(id, hit);
    if (row.data !== null) hit.parts.push(String(row.data));
  }
  return new Map([...out].map(([id, v]) => [id, { run: v.run, body: v.parts.length ? v.parts.join('') : null }]));
}
