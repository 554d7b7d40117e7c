/**
 * All SQL of the worker. Prepared statements only; multi-row writes go through db.batch (one transaction), so a
 * failure leaves no half-written run. Rows are mapped to camelCase records here and nowhere else.
 */
import type { RunResult } from '../../schemas/results';

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

/** What a write needs besides the body: the summary columns. */
export interface NewRun {
  id: string; repositoryId: number; runKey: string; bodySha256: string | null; status: RunStatus;
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

// Bodies are split so no row exceeds D1's 2 MB limit even with 3-byte characters.
const BLOB_PART_CHARS = 500_000;
const RUN_COLUMNS = `r.id, p.full_name AS repository, r.status, r.shard_count, r.commit_sha, r.ref, r.pr_number,
  r.base_ref, r.model, r.checkpoint, r.protocol, r.suite_version, r.score_mean, r.workflow_ref, r.gh_run_id,
  r.verified, r.uploader, r.created_at, r.completed_at`;
// ?2 = ref: "main" also matches runs recorded with the full "refs/heads/main". ?3 = sha or a hex prefix of it:
// hex sorts below 'g', so [prefix, prefix || 'g') is exactly the shas starting with it (an index range).
const FILTERS = `(?2 IS NULL OR r.ref = ?2 OR r.ref = 'refs/heads/' || ?2)
  AND (?3 IS NULL OR (r.commit_sha >= ?3 AND r.commit_sha < ?3 || 'g')) AND (?4 IS NULL OR r.model = ?4)`;

export const runBlobKey = (runId: string) => `run:${runId}`;
export const shardBlobKey = (runId: string, index: number) => `shard:${runId}:${index}`;

// ---------------------------------------------------------------------------------------------- repositories

export async function getRepository(db: D1Database, fullName: string): Promise<RepositoryRecord | null> {
  const row = await db.prepare('SELECT id, full_name, github_id, owner_github_id FROM repositories WHERE full_name = ?')
    .bind(fullName).first<Record<string, unknown>>();
  return row ? toRepository(row) : null;
}

/** Creates the repository row if needed and pins GitHub ids on the first upload that carries them. */
export async function ensureRepository(
  db: D1Database, fullName: string, ids: { githubId: number; ownerGithubId: number } | null, now: number,
): Promise<RepositoryRecord> {
  await db.batch([
    db.prepare('INSERT OR IGNORE INTO repositories (full_name, github_id, owner_github_id, created_at) VALUES (?, ?, ?, ?)')
      .bind(fullName, ids?.githubId ?? null, ids?.ownerGithubId ?? null, now),
    db.prepare('UPDATE repositories SET github_id = ?, owner_github_id = ? WHERE full_name = ? AND github_id IS NULL')
      .bind(ids?.githubId ?? null, ids?.ownerGithubId ?? null, fullName),
  ]);
  const repo = await getRepository(db, fullName);
  if (!repo) throw new Error(`repository ${fullName} vanished after insert`);
  return repo;
}

// ---------------------------------------------------------------------------------------------- run writes

export async function findRunByKey(db: D1Database, runKey: string) {
  const row = await db.prepare('SELECT id, body_sha256, status, shard_count FROM runs WHERE run_key = ?')
    .bind(runKey).first<{ id: string; body_sha256: string | null; status: RunStatus; shard_count: number | null }>();
  return row ? { id: row.id, bodySha256: row.body_sha256, status: row.status, shardCount: row.shard_count } : null;
}

/** Inserts a complete run with its scores and body in one transaction. Throws on a duplicate run key. */
export async function insertRun(db: D1Database, run: NewRun, body: string, scores: ScoreRecord[]): Promise<void> {
  await db.batch([insertRunStatement(db, run, 'INSERT'), ...scoreStatements(db, run.id, scores),
    ...blobStatements(db, runBlobKey(run.id), body)]);
}

/** First shard of a sharded run: the run row exists (incomplete) from then on; concurrent firsts are harmless. */
export async function ensureShardedRun(db: D1Database, run: NewRun): Promise<void> {
  await insertRunStatement(db, run, 'INSERT OR IGNORE').run();
}

/** Stores one shard; throws on a duplicate (run, index). */
export async function insertShard(
  db: D1Database, runId: string, index: number, bodySha256: string, body: string, now: number,
): Promise<void> {
  await db.batch([
    db.prepare('INSERT INTO shards (run_id, shard_index, body_sha256, created_at) VALUES (?, ?, ?, ?)')
      .bind(runId, index, bodySha256, now),
    ...blobStatements(db, shardBlobKey(runId, index), body),
  ]);
}

export async function getShardHash(db: D1Database, runId: string, index: number): Promise<string | null> {
  const row = await db.prepare('SELECT body_sha256 FROM shards WHERE run_id = ? AND shard_index = ?')
    .bind(runId, index).first<{ body_sha256: string }>();
  return row?.body_sha256 ?? null;
}

export async function listShardIndexes(db: D1Database, runId: string): Promise<number[]> {
  const { results } = await db.prepare('SELECT shard_index FROM shards WHERE run_id = ? ORDER BY shard_index')
    .bind(runId).all<{ shard_index: number }>();
  return results.map((r) => r.shard_index);
}

export async function getShardBody(db: D1Database, runId: string, index: number): Promise<string | null> {
  return readBlob(db, shardBlobKey(runId, index));
}

/** Marks a sharded run complete with its merged body and scores; shard bodies are no longer needed. */
export async function completeShardedRun(
  db: D1Database, runId: string, done: { bodySha256: string; scoreMean: number | null; completedAt: number },
  body: string, scores: ScoreRecord[], shardCount: number,
): Promise<void> {
  await db.batch([
    db.prepare(`UPDATE runs SET status = 'complete', body_sha256 = ?, score_mean = ?, completed_at = ? WHERE id = ?`)
      .bind(done.bodySha256, done.scoreMean, done.completedAt, runId),
    db.prepare('DELETE FROM scores WHERE run_id = ?').bind(runId),
    ...scoreStatements(db, runId, scores),
    db.prepare('DELETE FROM blobs WHERE key = ?').bind(runBlobKey(runId)),
    ...blobStatements(db, runBlobKey(runId), body),
    ...Array.from({ length: shardCount }, (_, i) => db.prepare('DELETE FROM blobs WHERE key = ?').bind(shardBlobKey(runId, i))),
  ]);
}

function insertRunStatement(db: D1Database, r: NewRun, verb: 'INSERT' | 'INSERT OR IGNORE'): D1PreparedStatement {
  return db.prepare(`${verb} INTO runs (id, repository_id, run_key, body_sha256, status, shard_count, commit_sha, ref,
      pr_number, base_ref, model, checkpoint, protocol, suite_version, score_mean, workflow_ref, gh_run_id, verified,
      uploader, created_at, completed_at)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)`)
    .bind(r.id, r.repositoryId, r.runKey, r.bodySha256, r.status, r.shardCount, r.commit, r.ref, r.prNumber, r.baseRef,
      r.model, r.checkpoint, r.protocol, r.suiteVersion, r.scoreMean, r.workflowRef, r.ghRunId, r.verified ? 1 : 0,
      r.uploader, r.createdAt, r.status === 'complete' ? r.createdAt : null);
}

function scoreStatements(db: D1Database, runId: string, scores: ScoreRecord[]): D1PreparedStatement[] {
  const stmt = db.prepare(`INSERT INTO scores (run_id, benchmark, group_key, group_value, metric, value, n, ci_low,
    ci_high, fingerprint, protocol, chance_accuracy) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  return scores.map((s) => stmt.bind(runId, s.benchmark, s.groupKey, s.groupValue, s.metric, s.value, s.n, s.ciLow,
    s.ciHigh, s.fingerprint, s.protocol, s.chanceAccuracy));
}

function blobStatements(db: D1Database, key: string, text: string): D1PreparedStatement[] {
  const stmt = db.prepare('INSERT INTO blobs (key, part, data) VALUES (?, ?, ?)');
  const out: D1PreparedStatement[] = [];
  for (let i = 0, part = 0; i < text.length || part === 0; i += BLOB_PART_CHARS, part++) {
    out.push(stmt.bind(key, part, text.slice(i, i + BLOB_PART_CHARS)));
  }
  return out;
}

async function readBlob(db: D1Database, key: string): Promise<string | null> {
  const { results } = await db.prepare('SELECT data FROM blobs WHERE key = ? ORDER BY part').bind(key).all<{ data: string }>();
  return results.length ? results.map((r) => r.data).join('') : null;
}

// ---------------------------------------------------------------------------------------------- run reads

export async function getRun(db: D1Database, id: string): Promise<RunSummary | null> {
  const row = await db.prepare(`SELECT ${RUN_COLUMNS} FROM runs r JOIN repositories p ON p.id = r.repository_id
    WHERE r.id = ?`).bind(id).first<Record<string, unknown>>();
  return row ? toRunSummary(row) : null;
}

/** The stored (validated on upload, or merged) result of a complete run; null when absent or incomplete. */
export async function getRunResult(db: D1Database, id: string): Promise<RunResult | null> {
  const body = await readBlob(db, runBlobKey(id));
  return body === null ? null : (JSON.parse(body) as RunResult);
}

/** Newest first; `cursor` is the last row of the previous page. */
export async function listRuns(
  db: D1Database, repository: string, filters: RunFilters & { limit: number; cursor?: Cursor | null },
): Promise<{ runs: RunSummary[]; nextCursor: Cursor | null }> {
  const { results } = await db.prepare(`SELECT ${RUN_COLUMNS} FROM runs r JOIN repositories p ON p.id = r.repository_id
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

/** The newest complete run matching the filters. */
export async function latestRun(db: D1Database, repository: string, filters: RunFilters = {}): Promise<RunSummary | null> {
  const row = await db.prepare(`SELECT ${RUN_COLUMNS} FROM runs r JOIN repositories p ON p.id = r.repository_id
    WHERE p.full_name = ?1 AND r.status = 'complete' AND ${FILTERS}
    ORDER BY r.created_at DESC, r.id DESC LIMIT 1`)
    .bind(repository, filters.ref ?? null, filters.sha ?? null, filters.model ?? null).first<Record<string, unknown>>();
  return row ? toRunSummary(row) : null;
}

export async function getRunScores(db: D1Database, runId: string): Promise<ScoreRecord[]> {
  const { results } = await db.prepare(`SELECT * FROM scores WHERE run_id = ?
    ORDER BY benchmark, group_key, group_value, metric`).bind(runId).all<Record<string, unknown>>();
  return results.map(toScore);
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
    FROM runs r JOIN repositories p ON p.id = r.repository_id JOIN scores s ON s.run_id = r.id
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

// ---------------------------------------------------------------------------------------------- leaderboard

/** How many (repository, model) pairs have their latest complete run scored under each fingerprint. */
export async function leaderboardFingerprints(db: D1Database, benchmark: string, protocol: string) {
  const { results } = await db.prepare(`WITH latest AS (
      SELECT s.fingerprint, ROW_NUMBER() OVER (PARTITION BY r.repository_id, r.model
        ORDER BY r.created_at DESC, r.id DESC) AS rn
      FROM scores s JOIN runs r ON r.id = s.run_id
      WHERE s.benchmark = ? AND s.protocol = ? AND s.group_key = '' AND s.metric = 'accuracy' AND r.status = 'complete')
    SELECT fingerprint, COUNT(*) AS entries FROM latest WHERE rn = 1 GROUP BY fingerprint
    ORDER BY entries DESC, fingerprint`).bind(benchmark, protocol).all<{ fingerprint: string; entries: number }>();
  return results;
}

export interface LeaderboardRow {
  repository: string; model: string; checkpoint: string | null; runId: string; commit: string | null;
  createdAt: string; verified: boolean; value: number; n: number; ciLow: number | null; ciHigh: number | null;
  chanceAccuracy: number | null;
}

/** The latest complete run per (repository, model) among runs scored under exactly this fingerprint. */
export async function leaderboardRows(
  db: D1Database, benchmark: string, protocol: string, fingerprint: string,
): Promise<LeaderboardRow[]> {
  const { results } = await db.prepare(`WITH ranked AS (
      SELECT r.id, r.repository_id, r.model, r.checkpoint, r.commit_sha, r.created_at, r.verified, s.value, s.n,
        s.ci_low, s.ci_high, s.chance_accuracy, ROW_NUMBER() OVER (PARTITION BY r.repository_id, r.model
          ORDER BY r.created_at DESC, r.id DESC) AS rn
      FROM scores s JOIN runs r ON r.id = s.run_id
      WHERE s.benchmark = ? AND s.protocol = ? AND s.fingerprint = ? AND s.group_key = '' AND s.metric = 'accuracy'
        AND r.status = 'complete')
    SELECT ranked.*, p.full_name AS repository FROM ranked JOIN repositories p ON p.id = ranked.repository_id
    WHERE rn = 1 ORDER BY value DESC, repository, model`).bind(benchmark, protocol, fingerprint)
    .all<Record<string, unknown>>();
  return results.map((r) => ({
    repository: String(r.repository), model: String(r.model), checkpoint: r.checkpoint as string | null,
    runId: String(r.id), commit: r.commit_sha as string | null, createdAt: iso(r.created_at),
    verified: r.verified === 1, value: Number(r.value), n: Number(r.n), ciLow: r.ci_low as number | null,
    ciHigh: r.ci_high as number | null, chanceAccuracy: r.chance_accuracy as number | null,
  }));
}

// ---------------------------------------------------------------------------------------------- auth

/** Records an OIDC token id; false when it was used before (replay). */
export async function consumeJti(db: D1Database, jti: string, expiresAt: number): Promise<boolean> {
  const res = await db.prepare('INSERT OR IGNORE INTO used_jti (jti, expires_at) VALUES (?, ?)').bind(jti, expiresAt).run();
  return res.meta.changes === 1;
}

export async function findApiToken(db: D1Database, sha256: string) {
  const row = await db.prepare('SELECT id, repos, revoked_at FROM api_tokens WHERE token_sha256 = ?')
    .bind(sha256).first<{ id: number; repos: string; revoked_at: number | null }>();
  if (!row) return null;
  return { id: row.id, repos: row.repos.split(',').filter(Boolean), revoked: row.revoked_at !== null };
}

// ---------------------------------------------------------------------------------------------- retention

/** Deletes up to `max` pull-request runs created before `cutoff` (ms) with everything hanging off them. */
export async function deleteOldPullRequestRuns(db: D1Database, cutoff: number, max = 200): Promise<number> {
  const { results } = await db.prepare(`SELECT id, shard_count FROM runs
    WHERE pr_number IS NOT NULL AND created_at < ? ORDER BY created_at LIMIT ?`).bind(cutoff, max)
    .all<{ id: string; shard_count: number | null }>();
  if (!results.length) return 0;
  await db.batch(results.flatMap((r) => [
    db.prepare('DELETE FROM blobs WHERE key = ?').bind(runBlobKey(r.id)),
    db.prepare(`DELETE FROM blobs WHERE key >= ? AND key < ?`).bind(`shard:${r.id}:`, `shard:${r.id};`),
    db.prepare('DELETE FROM scores WHERE run_id = ?').bind(r.id),
    db.prepare('DELETE FROM shards WHERE run_id = ?').bind(r.id),
    db.prepare('DELETE FROM runs WHERE id = ?').bind(r.id),
  ]));
  return results.length;
}

export async function deleteExpiredJti(db: D1Database, now: number): Promise<number> {
  const res = await db.prepare('DELETE FROM used_jti WHERE expires_at < ?').bind(now).run();
  return res.meta.changes;
}

// ---------------------------------------------------------------------------------------------- mapping

function toRepository(r: Record<string, unknown>): RepositoryRecord {
  return { id: Number(r.id), fullName: String(r.full_name), githubId: r.github_id as number | null,
    ownerGithubId: r.owner_github_id as number | null };
}

function toRunSummary(r: Record<string, unknown>): RunSummary {
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

function toScore(r: Record<string, unknown>): ScoreRecord {
  return {
    benchmark: String(r.benchmark), groupKey: String(r.group_key), groupValue: String(r.group_value),
    metric: String(r.metric), value: Number(r.value), n: Number(r.n), ciLow: r.ci_low as number | null,
    ciHigh: r.ci_high as number | null, fingerprint: String(r.fingerprint), protocol: String(r.protocol),
    chanceAccuracy: r.chance_accuracy as number | null,
  };
}

function iso(ms: unknown): string {
  return new Date(Number(ms)).toISOString();
}

// ================================================================================================ WORKER-UI
// Read-only queries added for the render/pages routes go below this line (SELECT only).
// --- read queries for pages/badges (WORKER-UI) ---

/** Branch names treated as the default branch when a repository's default branch is not known (tried together). */
export const DEFAULT_BRANCHES = ['main', 'master'] as const;

/** Newest complete run on `main` or `master` (short or refs/heads/ form), optionally of one model. */
export async function latestDefaultBranchRun(
  db: D1Database, repository: string, filters: { model?: string | null } = {},
): Promise<RunSummary | null> {
  const refs = DEFAULT_BRANCHES.flatMap((b) => [b, `refs/heads/${b}`]);
  const row = await db.prepare(`SELECT ${RUN_COLUMNS} FROM runs r JOIN repositories p ON p.id = r.repository_id
    WHERE p.full_name = ?1 AND r.status = 'complete' AND r.ref IN (?2, ?3, ?4, ?5) AND (?6 IS NULL OR r.model = ?6)
    ORDER BY r.created_at DESC, r.id DESC LIMIT 1`)
    .bind(repository, ...refs, filters.model ?? null).first<Record<string, unknown>>();
  return row ? toRunSummary(row) : null;
}

/** Every (benchmark, protocol) with at least one complete run's whole-benchmark accuracy: the leaderboard's boards. */
export async function listScoredBenchmarks(db: D1Database): Promise<{ benchmark: string; protocol: string }[]> {
  const { results } = await db.prepare(`SELECT DISTINCT s.benchmark, s.protocol FROM scores s JOIN runs r ON r.id = s.run_id
    WHERE s.group_key = '' AND s.metric = 'accuracy' AND r.status = 'complete' ORDER BY s.benchmark, s.protocol`)
    .all<{ benchmark: string; protocol: string }>();
  return results;
}

/** Newest complete run at a commit given in full or as a hex prefix (e.g. a 7-character short sha). */
export async function latestRunAtCommit(
  db: D1Database, repository: string, shaPrefix: string, filters: { model?: string | null } = {},
): Promise<RunSummary | null> {
  // hex digits sort below 'g', so [prefix, prefix + 'g') is exactly the shas starting with prefix (index range scan)
  const row = await db.prepare(`SELECT ${RUN_COLUMNS} FROM runs r JOIN repositories p ON p.id = r.repository_id
    WHERE p.full_name = ?1 AND r.status = 'complete' AND r.commit_sha >= ?2 AND r.commit_sha < ?3
      AND (?4 IS NULL OR r.model = ?4)
    ORDER BY r.created_at DESC, r.id DESC LIMIT 1`)
    .bind(repository, shaPrefix, `${shaPrefix}g`, filters.model ?? null).first<Record<string, unknown>>();
  return row ? toRunSummary(row) : null;
}

/**
 * One round trip for a badge: the newest complete run on any of `refs` (optionally of one model) with its
 * accuracy rows (optionally of one benchmark). null when there is no such run.
 */
export async function latestRunAccuracy(
  db: D1Database, repository: string, q: { refs: readonly string[]; model?: string | null; benchmark?: string | null },
): Promise<{ runId: string; scoreMean: number | null; scores: Pick<ScoreRecord, 'benchmark' | 'groupKey' | 'groupValue' | 'metric' | 'value' | 'n'>[] } | null> {
  if (q.refs.length === 0 || q.refs.length > 4) throw new RangeError('latestRunAccuracy takes 1 to 4 refs');
  const refs = [...q.refs, ...Array(4 - q.refs.length).fill(q.refs[0])];
  const { results } = await db.prepare(`WITH latest AS (
      SELECT r.id, r.score_mean FROM runs r JOIN repositories p ON p.id = r.repository_id
      WHERE p.full_name = ?1 AND r.status = 'complete' AND r.ref IN (?2, ?3, ?4, ?5) AND (?6 IS NULL OR r.model = ?6)
      ORDER BY r.created_at DESC, r.id DESC LIMIT 1)
    SELECT latest.id, latest.score_mean, s.benchmark, s.group_key, s.group_value, s.metric, s.value, s.n
    FROM latest LEFT JOIN scores s ON s.run_id = latest.id AND s.metric = 'accuracy' AND (?7 IS NULL OR s.benchmark = ?7)`)
    .bind(repository, ...refs, q.model ?? null, q.benchmark ?? null).all<Record<string, unknown>>();
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
