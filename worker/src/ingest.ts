/**
 * POST /runs behind the route: run key → deterministic id, idempotency by body hash, shards stored then merged
 * once all arrived. The route has already validated the body, checked it against its own bits and authorised the
 * uploader. Every refusal (409, replay, pin race) happens before or inside the one write transaction, so a refused
 * upload leaves no row.
 */
import type { RunResult } from '../../schemas/results.js';
import { pinMismatch, replayed, sha256Hex, type Uploader } from './auth.js';
import {
  completeShardedRun, consumeJti, findRunByKey, getRepository, getShardBody, getShardHash, insertRun, insertShard,
  isJtiUsed, listShardIndexes, NO_GUARD, type NewRun, type RunStatus, type WriteGuard,
} from './db.js';
import { ApiError } from './errors.js';
import { bindIdentity } from './identity.js';
import { mergeShards, mismatch, shardDifference } from './merge.js';
import { scoreMean, scoreRecords } from './metrics.js';

export interface IngestResult { id: string; status: RunStatus; created: boolean; missingShards: number[] }

/**
 * The run key: repository + commit + model + checkpoint + protocol + the workflow run id + the sorted benchmark ids
 * (+ the shard runKey). A new workflow run at the same commit, or separate jobs uploading different benchmarks, are
 * new runs; only a repeat of the same upload meets an existing key. Shards of one run may come from different
 * workflow runs (a re-run shard job), so their key leaves the run id out: `shard.runKey` names the run. Without a
 * commit the start time stands in, so separate local runs do not collide.
 */
export function runKeyOf(run: RunResult): string {
  const id = run.identity;
  return JSON.stringify([id.repository!.toLowerCase(), id.commit ?? `started:${run.timing.startedAt}`,
    run.model.name, run.model.checkpoint, run.protocol, run.shard?.runKey ?? null, run.shard ? null : id.runId,
    run.benchmarks.map((b) => b.id).sort()]);
}

export async function ingestRun(db: D1Database, who: Uploader, uploaded: RunResult, now: number): Promise<IngestResult> {
  // authorizeUpload binds OIDC identities; this also covers direct callers (prNumber from a refs/pull/N/… ref)
  const run = bindIdentity(uploaded, null);
  const runKey = runKeyOf(run);
  const id = (await sha256Hex(runKey)).slice(0, 16);
  const body = JSON.stringify(run);
  const row = newRunRow(run, who, { id, runKey, bodySha256: await sha256Hex(body), now });
  const guard: WriteGuard = who.kind === 'oidc'
    ? { pin: { githubId: who.repositoryId, ownerGithubId: who.ownerId }, jti: { id: who.jti, expiresAt: who.expiresAt } }
    : NO_GUARD;
  return run.shard ? ingestShard(db, run, row, body, guard) : ingestWhole(db, run, row, body, guard);
}

async function ingestWhole(db: D1Database, run: RunResult, row: NewRun, body: string, guard: WriteGuard): Promise<IngestResult> {
  const existing = await findRunByKey(db, row.runKey);
  if (!existing) {
    try {
      await insertRun(db, row, body, scoreRecords(run), guard);
      return { id: row.id, status: 'complete', created: true, missingShards: [] };
    } catch (err) {
      await explainFailedWrite(db, row.repository, guard);
      // lost a race against an upload of the same key: fall through to the idempotency check
      if (!(await findRunByKey(db, row.runKey))) throw err;
    }
  }
  const found = existing ?? (await findRunByKey(db, row.runKey))!;
  if (found.bodySha256 !== row.bodySha256) throw conflict(found.id, row.runKey);
  await consumeGuardJti(db, guard);
  return { id: found.id, status: found.status, created: false, missingShards: [] };
}

async function ingestShard(db: D1Database, run: RunResult, row: NewRun, body: string, guard: WriteGuard): Promise<IngestResult> {
  const { shardIndex, shardCount } = run.shard!;
  const existing = await findRunByKey(db, row.runKey);
  if (existing && existing.shardCount !== shardCount) {
    throw mismatch(shardIndex, -1, `shardCount: ${shardCount} vs ${existing.shardCount} (the run's first shard)`);
  }
  let created = false;
  const prior = existing ? await getShardHash(db, row.id, shardIndex) : null;
  if (prior === null) {
    if (existing) await assertAgreesWithStoredShards(db, row.id, run);
    created = await storeShard(db, row, shardIndex, body, guard);
  } else {
    if (prior !== row.bodySha256) throw conflict(row.id, `${row.runKey} shard ${shardIndex}`);
    await consumeGuardJti(db, guard);
  }
  const present = await listShardIndexes(db, row.id);
  const missingShards = Array.from({ length: shardCount }, (_, i) => i).filter((i) => !present.includes(i));
  if (missingShards.length === 0) {
    const complete = (await findRunByKey(db, row.runKey))?.status === 'complete';
    if (!complete) await mergeAndStore(db, row, shardCount);
  }
  return { id: row.id, status: missingShards.length ? 'incomplete' : 'complete', created, missingShards };
}

async function assertAgreesWithStoredShards(db: D1Database, runId: string, run: RunResult): Promise<void> {
  const refIndex = (await listShardIndexes(db, runId))[0];
  const ref = refIndex === undefined ? null : await getShardBody(db, runId, refIndex);
  const difference = ref === null ? null : shardDifference(JSON.parse(ref) as RunResult, run);
  if (difference) throw mismatch(run.shard!.shardIndex, refIndex!, difference);
}

/** true when stored now, false when a concurrent identical upload stored it first; 409 for a different body. */
async function storeShard(db: D1Database, row: NewRun, index: number, body: string, guard: WriteGuard): Promise<boolean> {
  try {
    await insertShard(db, row, index, body, guard);
    return true;
  } catch (err) {
    await explainFailedWrite(db, row.repository, guard);
    const stored = await getShardHash(db, row.id, index);
    if (stored === null) throw err;
    if (stored !== row.bodySha256) throw conflict(row.id, `${row.runKey} shard ${index}`);
    await consumeGuardJti(db, guard);
    return false;
  }
}

async function mergeAndStore(db: D1Database, row: NewRun, shardCount: number): Promise<void> {
  const bodies = await Promise.all(Array.from({ length: shardCount }, (_, i) => getShardBody(db, row.id, i)));
  // a concurrent merge already finished and dropped the shard bodies
  if (bodies.some((b) => b === null)) return;
  const merged = mergeShards(bodies.map((b) => JSON.parse(b!) as RunResult));
  const body = JSON.stringify(merged);
  await completeShardedRun(db, row.id, { bodySha256: await sha256Hex(body), scoreMean: scoreMean(merged),
    completedAt: row.createdAt }, body, scoreRecords(merged), shardCount);
}

/** A write transaction failed: a concurrent replay of the token or a concurrent pin of other ids explain it. */
async function explainFailedWrite(db: D1Database, repository: string, guard: WriteGuard): Promise<void> {
  if (guard.jti && (await isJtiUsed(db, guard.jti.id))) throw replayed();
  if (!guard.pin) return;
  const repo = await getRepository(db, repository);
  if (repo?.githubId != null && repo.githubId !== guard.pin.githubId) {
    throw pinMismatch(repository, repo, { repositoryId: guard.pin.githubId, ownerId: guard.pin.ownerGithubId });
  }
}

/** An idempotent re-upload writes nothing but still uses up its token. */
async function consumeGuardJti(db: D1Database, guard: WriteGuard): Promise<void> {
  if (guard.jti && !(await consumeJti(db, guard.jti.id, guard.jti.expiresAt))) throw replayed();
}

function conflict(id: string, key: string): ApiError {
  return new ApiError(409, 'run_conflict',
    `a different result was already uploaded under this run key (run ${id}); runs are immutable — a new workflow ` +
    'run, commit, checkpoint label or shard runKey records another attempt', { id, runKey: key });
}

function newRunRow(run: RunResult, who: Uploader, k: { id: string; runKey: string; bodySha256: string; now: number }): NewRun {
  const oidc = who.kind === 'oidc' ? who : null;
  return {
    id: k.id, repository: run.identity.repository!, runKey: k.runKey, bodySha256: k.bodySha256, status: 'complete',
    shardCount: run.shard?.shardCount ?? null, commit: run.identity.commit, ref: run.identity.ref,
    prNumber: run.identity.prNumber, baseRef: run.identity.baseRef, model: run.model.name,
    checkpoint: run.model.checkpoint, protocol: run.protocol, suiteVersion: run.suiteVersion,
    scoreMean: scoreMean(run), workflowRef: oidc ? (oidc.workflowRef ?? oidc.jobWorkflowRef) : run.identity.workflowRef,
    ghRunId: oidc ? oidc.ghRunId : run.identity.runId, verified: oidc?.verified ?? false,
    uploader: who.kind, createdAt: k.now,
  };
}
