/**
 * Every write of the worker. Multi-row writes go through db.batch (one transaction): the repository row, the GitHub
 * id pin, the consumed OIDC jti and the run (or shard) with its scores and body parts commit together, so a write
 * that fails — or an upload refused before it — leaves no row anywhere.
 */
import { boardStatements } from './board.js';
import { readBlob, runBlobKey, shardBlobKey, shardBlobRange, toRepository, type NewRun, type RepositoryRecord, type ScoreRecord } from './rows.js';

// Bodies are split so no row exceeds D1's 2 MB limit even with 3-byte characters.
const BLOB_PART_CHARS = 500_000;

/** What an OIDC upload adds to its write: ids to pin on a new repository, the token id to consume. */
export interface WriteGuard {
  pin: { githubId: number; ownerGithubId: number } | null;
  jti: { id: string; expiresAt: number } | null;
}
export const NO_GUARD: WriteGuard = { pin: null, jti: null };

// ---------------------------------------------------------------------------------------------- repositories

export async function getRepository(db: D1Database, fullName: string): Promise<RepositoryRecord | null> {
  const row = await db.prepare('SELECT id, full_name, github_id, owner_github_id FROM repositories WHERE full_name = ?')
    .bind(fullName).first<Record<string, unknown>>();
  return row ? toRepository(row) : null;
}

/**
 * The statements every upload write starts with: the repository row if new, the GitHub ids pinned if not yet
 * pinned, the jti recorded (a plain INSERT: a concurrent replay makes the whole batch fail).
 */
export function prologue(db: D1Database, repository: string, guard: WriteGuard, now: number): D1PreparedStatement[] {
  const out = [
    db.prepare('INSERT OR IGNORE INTO repositories (full_name, github_id, owner_github_id, created_at) VALUES (?, ?, ?, ?)')
      .bind(repository, guard.pin?.githubId ?? null, guard.pin?.ownerGithubId ?? null, now),
  ];
  if (guard.pin) {
    out.push(db.prepare('UPDATE repositories SET github_id = ?, owner_github_id = ? WHERE full_name = ? AND github_id IS NULL')
      .bind(guard.pin.githubId, guard.pin.ownerGithubId, repository));
  }
  if (guard.jti) out.push(db.prepare('INSERT INTO used_jti (jti, expires_at) VALUES (?, ?)').bind(guard.jti.id, guard.jti.expiresAt));
  return out;
}

// ---------------------------------------------------------------------------------------------- runs

export async function findRunByKey(db: D1Database, runKey: string) {
  const row = await db.prepare('SELECT id, body_sha256, status, shard_count FROM runs WHERE run_key = ?')
    .bind(runKey).first<{ id: string; body_sha256: string | null; status: 'complete' | 'incomplete'; shard_count: number | null }>();
  return row ? { id: row.id, bodySha256: row.body_sha256, status: row.status, shardCount: row.shard_count } : null;
}

/** Inserts a complete run (and its repository, pin, jti) with scores and body in one transaction; throws on a duplicate key. */
export async function insertRun(
  db: D1Database, run: NewRun, body: string, scores: ScoreRecord[], guard: WriteGuard = NO_GUARD,
): Promise<void> {
  await db.batch([...prologue(db, run.repository, guard, run.createdAt), insertRunStatement(db, run, guard, ''),
    ...scoreStatements(db, run.id, scores), ...blobStatements(db, runBlobKey(run.id), body), ...boardStatements(db, run.id, scores)]);
}

/**
 * Stores one shard (`run.bodySha256` = the shard body's hash), creating the incomplete run row if this is the
 * first shard, in one transaction. Throws on a duplicate (run, index).
 */
export async function insertShard(
  db: D1Database, run: NewRun, index: number, body: string, guard: WriteGuard = NO_GUARD,
): Promise<void> {
  await db.batch([
    ...prologue(db, run.repository, guard, run.createdAt),
    // the run row (first shard only) carries no body hash or score until the merge
    insertRunStatement(db, { ...run, bodySha256: null, status: 'incomplete', scoreMean: null }, guard, 'ON CONFLICT DO NOTHING'),
    db.prepare('INSERT INTO shards (run_id, shard_index, body_sha256, created_at) VALUES (?, ?, ?, ?)')
      .bind(run.id, index, run.bodySha256, run.createdAt),
    ...blobStatements(db, shardBlobKey(run.id, index), body),
  ]);
}

export async function listShardIndexes(db: D1Database, runId: string): Promise<number[]> {
  const { results } = await db.prepare('SELECT shard_index FROM shards WHERE run_id = ? ORDER BY shard_index')
    .bind(runId).all<{ shard_index: number }>();
  return results.map((r) => r.shard_index);
}

export async function getShardBody(db: D1Database, runId: string, index: number): Promise<string | null> {
  return readBlob(db, shardBlobKey(runId, index));
}

/** Blob parts read per query by the shard merge: at most 8 × 500,000 characters (16 MB as UTF-16) in memory. */
export const SHARD_PAGE_PARTS = 8;

/** The next `limit` shard blob parts of a run after `cursor`, in (key, part) order: the merge's paged read. */
export async function readShardBlobPage(
  db: D1Database, runId: string, cursor: { key: string; part: number } | null, limit: number,
): Promise<{ key: string; part: number; data: string }[]> {
  const [from, to] = shardBlobRange(runId);
  // a row-value range: an index seek per page, so rows read = parts returned
  const { results } = await db.prepare(`SELECT key, part, data FROM blobs
    WHERE (key, part) > (?1, ?2) AND key < ?3 ORDER BY key, part LIMIT ?4`)
    .bind(cursor?.key ?? from, cursor?.part ?? -1, to, limit).all<{ key: string; part: number; data: string }>();
  return results;
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
    // every shard body in one range delete (one statement whatever the shard count)
    db.prepare('DELETE FROM blobs WHERE key >= ? AND key < ?').bind(...shardBlobRange(runId)),
    ...boardStatements(db, runId, scores),
  ]);
  void shardCount;
}

/**
 * The run row. Its repository id comes from a subquery that also requires the pinned GitHub id to be the
 * uploader's: if a concurrent first upload pinned another id, the id is NULL and the NOT NULL constraint fails the
 * whole batch (nothing is written).
 */
export function insertRunStatement(db: D1Database, r: NewRun, guard: WriteGuard, onConflict: string): D1PreparedStatement {
  return db.prepare(`INSERT INTO runs (id, repository_id, run_key, body_sha256, status, shard_count, commit_sha, ref,
      pr_number, base_ref, model, checkpoint, protocol, suite_version, score_mean, workflow_ref, gh_run_id, verified,
      uploader, created_at, completed_at)
    VALUES (?1, (SELECT id FROM repositories WHERE full_name = ?2 AND (?22 IS NULL OR github_id = ?22)), ?3, ?4, ?5,
      ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21) ${onConflict}`)
    .bind(r.id, r.repository, r.runKey, r.bodySha256, r.status, r.shardCount, r.commit, r.ref, r.prNumber, r.baseRef,
      r.model, r.checkpoint, r.protocol, r.suiteVersion, r.scoreMean, r.workflowRef, r.ghRunId, r.verified ? 1 : 0,
      r.uploader, r.createdAt, r.status === 'complete' ? r.createdAt : null, guard.pin?.githubId ?? null);
}

/**
 * The score rows one upload stores: only `accuracy` (the one metric badges, history charts and the leaderboard
 * read; every other figure stays in the body blob), for the benchmark and for at most MAX_GROUP_SCORE_ROWS groups
 * per benchmark (in upload order). With 9 benchmarks that is at most 9 × 33 = 297 rows, whatever the body holds.
 */
export const MAX_GROUP_SCORE_ROWS = 32;
export const STORED_METRIC = 'accuracy';

export function storedScores(scores: readonly ScoreRecord[]): ScoreRecord[] {
  const groups = new Map<string, Set<string>>();
  return scores.filter((s) => {
    if (s.metric !== STORED_METRIC) return false;
    if (s.groupKey === '') return true;
    const seen = groups.get(s.benchmark) ?? new Set<string>();
    groups.set(s.benchmark, seen);
    const key = JSON.stringify([s.groupKey, s.groupValue]);
    if (!seen.has(key) && seen.size >= MAX_GROUP_SCORE_ROWS) return false;
    seen.add(key);
    return true;
  });
}

/**
 * One INSERT … SELECT FROM json_each(?) for all of a run's score rows: a batch statement may count as a D1 query
 * (50 per invocation on Free), so rows never become statements.
 */
function scoreStatements(db: D1Database, runId: string, scores: readonly ScoreRecord[]): D1PreparedStatement[] {
  const rows = storedScores(scores).map((s) => [s.benchmark, s.groupKey, s.groupValue, s.metric, s.value, s.n, s.ciLow,
    s.ciHigh, s.fingerprint, s.protocol, s.chanceAccuracy]);
  if (rows.length === 0) return [];
  const col = (i: number) => `json_extract(j.value, '$[${i}]')`;
  return [db.prepare(`INSERT INTO scores (run_id, benchmark, group_key, group_value, metric, value, n, ci_low, ci_high,
      fingerprint, protocol, chance_accuracy)
    SELECT ?1, ${Array.from({ length: 11 }, (_, i) => col(i)).join(', ')} FROM json_each(?2) j`).bind(runId, JSON.stringify(rows))];
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

export function blobStatements(db: D1Database, key: string, text: string): D1PreparedStatement[] {
  const stmt = db.prepare('INSERT INTO blobs (key, part, data) VALUES (?, ?, ?)');
  const out: D1PreparedStatement[] = [];
  for (let i = 0, part = 0; i < text.length || part === 0; part++) {
    let end = Math.min(i + BLOB_PART_CHARS, text.length);
    // never between the halves of a surrogate pair: a lone half is not UTF-8, D1 would store U+FFFD and the
    // re-joined body would no longer match its hash
    if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end--;
    out.push(stmt.bind(key, part, text.slice(i, end)));
    i = end;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------- tokens

/** Records an OIDC token id outside a run write (an idempotent re-upload); false when it was used before. */
export async function consumeJti(db: D1Database, jti: string, expiresAt: number): Promise<boolean> {
  const res = await db.prepare('INSERT OR IGNORE INTO used_jti (jti, expires_at) VALUES (?, ?)').bind(jti, expiresAt).run();
  return res.meta.changes === 1;
}

export async function isJtiUsed(db: D1Database, jti: string): Promise<boolean> {
  return (await db.prepare('SELECT 1 AS used FROM used_jti WHERE jti = ?').bind(jti).first()) !== null;
}

export async function findApiToken(db: D1Database, sha256: string) {
  const row = await db.prepare('SELECT id, repos, revoked_at FROM api_tokens WHERE token_sha256 = ?')
    .bind(sha256).first<{ id: number; repos: string; revoked_at: number | null }>();
  if (!row) return null;
  return { id: row.id, repos: row.repos.split(',').filter(Boolean), revoked: row.revoked_at !== null };
}
