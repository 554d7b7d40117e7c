/** Cron handler: retention. Pull-request runs older than RETENTION_PR_DAYS go; so do expired token ids. */
import { readConfig } from './config.js';
import { deleteExpiredJti, deleteOldPullRequestRuns } from './db.js';
import { invalidateReads } from './read-cache.js';

const DAY_MS = 86_400_000;
// Bounded work per invocation keeps one cron run well inside the CPU limit; the next run continues.
const MAX_BATCHES = 10;

export async function runScheduled(env: Env, now: number): Promise<{ deletedRuns: number; deletedJti: number }> {
  const config = readConfig(env);
  const cutoff = now - config.retentionPrDays * DAY_MS;
  let deletedRuns = 0;
  for (let i = 0; i < MAX_BATCHES; i++) {
    const n = await deleteOldPullRequestRuns(env.DB, cutoff);
    deletedRuns += n;
    if (n === 0) break;
  }
  if (deletedRuns) invalidateReads();
  const deletedJti = await deleteExpiredJti(env.DB, Math.floor(now / 1000));
  return { deletedRuns, deletedJti };
}
