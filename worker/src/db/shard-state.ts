/**
 * Shard bookkeeping (migration 0003): the state a new shard is checked against, the versioned shard write, and the
 * failed state of a run whose shards cannot merge. A shard write is one batch (one transaction) that requires the
 * state version it was checked against; a concurrent shard that got in first makes it fail as a whole, and the
 * caller re-reads and re-checks (ingest-shards.ts). So no shard is ever stored without having been checked against
 * every shard stored before it, even when the run row does not exist yet.
 */
import { shardBlobKey, type NewRun } from './rows.js';
import { blobStatements, insertRunStatement, prologue, type WriteGuard } from './writes.js';

export interface ShardState {
  /** null: no run row yet */
  run: { shardCount: number | null; status: string; failure: string | null } | null;
  /** null: no state row (first shard, a failed run started over, or shards stored before migration 0003) */
  version: number | null;
  settingsSha256: string | null;
  /** benchmark id → base64 bitset of the items stored shards hold */
  claimed: Record<string, string>;
  /** the stored hash of this shard index, null when not stored */
  shardHash: string | null;
  storedShards: number;
}

export async function readShardState(db: D1Database, runId: string, index: number): Promise<ShardState> {
  const row = await db.prepare(`SELECT r.id AS run_id, r.shard_count, r.status, r.failure, s.version, s.settings_sha256,
      s.claimed, (SELECT body_sha256 FROM shards WHERE run_id = ?1 AND shard_index = ?2) AS shard_hash,
      (SELECT COUNT(*) FROM shards WHERE run_id = ?1) AS stored
    FROM (SELECT ?1 AS id) k LEFT JOIN runs r ON r.id = k.id LEFT JOIN shard_state s ON s.run_id = k.id`)
    .bind(runId, index).first<Record<string, unknown>>();
  const r = row!;
  return {
    run: r.run_id === null ? null
      : { shardCount: r.shard_count as number | null, status: String(r.status), failure: r.failure as string | null },
    version: r.version as number | null,
    settingsSha256: r.settings_sha256 as string | null,
    claimed: r.claimed === null ? {} : (JSON.parse(String(r.claimed)) as Record<string, string>),
    shardHash: r.shard_hash as string | null,
    storedShards: Number(r.stored),
  };
}

/**
 * Stores a shard, creating the run row on the first one, in one transaction that moves the state from `expected`
 * (null: no state row yet) to `expected + 1` with the new claimed items. Throws when the state moved meanwhile
 * (a concurrent shard write), the shard index is taken, or the guard fails; then nothing is written.
 */
export async function insertShardVersioned(
  db: D1Database, run: NewRun, index: number, body: string, guard: WriteGuard,
  next: { expected: number | null; settingsSha256: string; claimed: Record<string, string> },
): Promise<void> {
  const version = (next.expected ?? 0) + 1;
  const claimed = JSON.stringify(next.claimed);
  await db.batch([
    ...prologue(db, run.repository, guard, run.createdAt),
    insertRunStatement(db, { ...run, bodySha256: null, status: 'incomplete', scoreMean: null }, guard, 'ON CONFLICT DO NOTHING'),
    // a failed run starts over with this shard
    db.prepare('UPDATE runs SET failure = NULL WHERE id = ? AND failure IS NOT NULL').bind(run.id),
    next.expected === null
      // a plain INSERT: a concurrent first shard that created the row makes this batch fail
      ? db.prepare('INSERT INTO shard_state (run_id, version, settings_sha256, claimed) VALUES (?, 1, ?, ?)')
        .bind(run.id, next.settingsSha256, claimed)
      : db.prepare('UPDATE shard_state SET version = ?, claimed = ? WHERE run_id = ? AND version = ?')
        .bind(version, claimed, run.id, next.expected),
    // body_sha256 is NOT NULL: unless the statement above moved the state to this version (with these settings),
    // the subquery is NULL and the whole batch fails
    db.prepare(`INSERT INTO shards (run_id, shard_index, body_sha256, created_at)
      VALUES (?1, ?2, (SELECT ?3 FROM shard_state WHERE run_id = ?1 AND version = ?4 AND settings_sha256 = ?5), ?6)`)
      .bind(run.id, index, run.bodySha256, version, next.settingsSha256, run.createdAt),
    ...blobStatements(db, shardBlobKey(run.id, index), body),
  ]);
}

/**
 * The run's shards cannot be merged: record why, drop its shards and state so that uploading its shards again
 * starts it over. The run row stays (status 'incomplete' + failure = reads as 'failed').
 */
export async function markShardedRunFailed(db: D1Database, runId: string, reason: string): Promise<void> {
  await db.batch([
    db.prepare(`UPDATE runs SET failure = ? WHERE id = ? AND status = 'incomplete'`).bind(reason, runId),
    db.prepare(`DELETE FROM blobs WHERE key >= ? AND key < ?`).bind(`shard:${runId}:`, `shard:${runId};`),
    db.prepare('DELETE FROM shards WHERE run_id = ?').bind(runId),
    db.prepare('DELETE FROM shard_state WHERE run_id = ?').bind(runId),
  ]);
}

/** The recorded merge failure of a run, null when none. */
export async function getRunFailure(db: D1Database, runId: string): Promise<string | null> {
  const row = await db.prepare('SELECT failure FROM runs WHERE id = ?').bind(runId).first<{ failure: string | null }>();
  return row?.failure ?? null;
}
