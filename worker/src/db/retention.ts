/**
 * Retention deletes, chunked: one chunk is one SELECT of up to `max` run ids and one batch of five set-based DELETEs
 * (json_each over the ids), so a chunk costs 6 D1 queries whatever its size, and reports the rows it wrote (D1's
 * meta.rows_written, index rows included) so the cron can stop inside its write budget.
 */

/** Deletes up to `max` pull-request runs created before `cutoff` (ms), oldest first, with everything hanging off them. */
export async function deleteOldPullRequestRuns(
  db: D1Database, cutoff: number, max: number,
): Promise<{ deleted: number; rowsWritten: number }> {
  // ingest derives pr_number from refs/pull/N/… refs, so the partial index on pr_number covers every PR run
  const { results } = await db.prepare(`SELECT id FROM runs
    WHERE pr_number IS NOT NULL AND created_at < ? ORDER BY created_at, id LIMIT ?`)
    .bind(cutoff, max).all<{ id: string }>();
  if (!results.length) return { deleted: 0, rowsWritten: 0 };
  const ids = JSON.stringify(results.map((r) => r.id));
  const res = await db.batch([
    db.prepare(`DELETE FROM blobs WHERE key IN (SELECT 'run:' || value FROM json_each(?1))`).bind(ids),
    // shard bodies of runs that never completed: a key range per run, found through the blobs primary key
    db.prepare(`DELETE FROM blobs WHERE rowid IN (SELECT b.rowid FROM json_each(?1) j
      JOIN blobs b ON b.key >= 'shard:' || j.value || ':' AND b.key < 'shard:' || j.value || ';')`).bind(ids),
    db.prepare('DELETE FROM scores WHERE run_id IN (SELECT value FROM json_each(?1))').bind(ids),
    db.prepare('DELETE FROM shards WHERE run_id IN (SELECT value FROM json_each(?1))').bind(ids),
    db.prepare('DELETE FROM runs WHERE id IN (SELECT value FROM json_each(?1))').bind(ids),
  ]);
  return { deleted: results.length, rowsWritten: res.reduce((a, r) => a + (r.meta.rows_written ?? 0), 0) };
}

export async function deleteExpiredJti(db: D1Database, now: number): Promise<number> {
  const res = await db.prepare('DELETE FROM used_jti WHERE expires_at < ?').bind(now).run();
  return res.meta.changes;
}
