/**
 * What whole-run and shard ingestion share: the answer, the 409 for a different body under a taken key, and the
 * explanation of a write transaction that failed (a concurrent replay of the token, a concurrent pin of other ids).
 */
import { pinMismatch, replayed } from './auth.js';
import { consumeJti, getRepository, isJtiUsed, type RunStatus, type WriteGuard } from './db.js';
import { ApiError } from './errors.js';

export interface IngestResult { id: string; status: RunStatus | 'failed'; created: boolean; missingShards: number[] }

/** A write transaction failed: a concurrent replay of the token or a concurrent pin of other ids explain it. */
export async function explainFailedWrite(db: D1Database, repository: string, guard: WriteGuard): Promise<void> {
  if (guard.jti && (await isJtiUsed(db, guard.jti.id))) throw replayed();
  if (!guard.pin) return;
  const repo = await getRepository(db, repository);
  if (repo?.githubId != null && repo.githubId !== guard.pin.githubId) {
    throw pinMismatch(repository, repo, { repositoryId: guard.pin.githubId, ownerId: guard.pin.ownerGithubId });
  }
}

/** An idempotent re-upload writes nothing but still uses up its token. */
export async function consumeGuardJti(db: D1Database, guard: WriteGuard): Promise<void> {
  if (guard.jti && !(await consumeJti(db, guard.jti.id, guard.jti.expiresAt))) throw replayed();
}

export function conflict(id: string, key: string): ApiError {
  return new ApiError(409, 'run_conflict',
    `a different result was already uploaded under this run key (run ${id}); runs are immutable — a new workflow ` +
    'run, commit, checkpoint label or shard runKey records another attempt', { id, runKey: key });
}
