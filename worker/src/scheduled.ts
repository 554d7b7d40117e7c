/**
 * Cron handler: retention. Pull-request runs older than RETENTION_PR_DAYS go, in bounded chunks; so do expired
 * token ids. Bounds per invocation (docs/worker.md, "Limits"): chunks of RETENTION.chunkRuns runs, at most
 * RETENTION.maxChunks chunks (6 D1 queries each: 36 + 1 < 50, the Free plan's queries per invocation), and no new
 * chunk once RETENTION.rowsWrittenBudget rows were written (a tenth of the Free plan's 100,000 rows written a
 * day, so uploads keep the rest). What is left goes on the next day's run, oldest first.
 */
import { readConfig } from './config.js';
import { deleteExpiredJti, deleteOldPullRequestRuns } from './db.js';
import { invalidateReads } from './read-cache.js';

const DAY_MS = 86_400_000;

export const RETENTION = { chunkRuns: 25, maxChunks: 6, rowsWrittenBudget: 10_000 };

export interface RetentionReport { deletedRuns: number; deletedJti: number; chunks: number; rowsWritten: number }

export async function runScheduled(env: Env, now: number, limits = RETENTION): Promise<RetentionReport> {
  const config = readConfig(env);
  const cutoff = now - config.retentionPrDays * DAY_MS;
  let deletedRuns = 0, rowsWritten = 0, chunks = 0, largestChunk = 0;
  // stop before a chunk as large as the largest so far could cross the budget
  while (chunks < limits.maxChunks && rowsWritten + largestChunk <= limits.rowsWrittenBudget) {
    const r = await deleteOldPullRequestRuns(env.DB, cutoff, limits.chunkRuns);
    if (r.deleted === 0) break;
    chunks++;
    deletedRuns += r.deleted;
    rowsWritten += r.rowsWritten;
    largestChunk = Math.max(largestChunk, r.rowsWritten);
    if (r.deleted < limits.chunkRuns) break;
  }
  if (deletedRuns) invalidateReads();
  const deletedJti = await deleteExpiredJti(env.DB, Math.floor(now / 1000));
  return { deletedRuns, deletedJti, chunks, rowsWritten };
}
