/**
 * POST /runs behind the route: run key → deterministic id, idempotency by body hash, shards stored then merged
 * once all arrived. The route has already validated the body and authorised the uploader.
 */
import type { RunResult } from '../../schemas/results';
import { sha256Hex, type Uploader } from './auth';
import {
  completeShardedRun, ensureRepository, ensureShardedRun, findRunByKey, getShardBody, getShardHash, insertRun,
  insertShard, listShardIndexes, type NewRun, type RunStatus,
} from './db';
import { ApiError } from './errors';
import { mergeShards, mismatch, shardDifference } from './merge';
import { scoreMean, scoreRecords } from './metrics';

export interface IngestResult { id: string; status: RunStatus; created: boolean; missingShards: number[] }

/**
 * The run key: repository + commit + model + checkpoint + protocol (+ the shard runKey). Without a commit the
 * start time stands in, so separate local runs do not collide.
 */
export function runKeyOf(run: RunResult): string {
  return JSON.stringify([run.identity.repository!.toLowerCase(), run.identity.commit ?? `started:${run.timing.startedAt}`,
    run.model.name, run.model.checkpoint, run.protocol, run.shard?.runKey ?? null]);
}

export async function ingestRun(db: D1Database, who: Uploader, run: RunResult, now: number): Promise<IngestResult> {
  const runKey = runKeyOf(run);
  const id = (await sha256Hex(runKey)).slice(0, 16);
  const body = JSON.stringify(run);
  const bodySha256 = await sha256Hex(body);
  const repo = await ensureRepository(db, run.identity.repository!,
    who.kind === 'oidc' ? { githubId: who.repositoryId, ownerGithubId: who.ownerId } : null, now);
  // a concurrent first upload may have pinned different ids between authorisation and here
  if (who.kind === 'oidc' && repo.githubId !== who.repositoryId) {
    throw new ApiError(403, 'repository_id_mismatch', `${repo.fullName} is pinned to repository id ${repo.githubId}`);
  }
  const row = newRunRow(run, who, { id, runKey, repositoryId: repo.id, bodySha256, now });
  return run.shard ? ingestShard(db, run, row, body) : ingestWhole(db, run, row, body);
}

async function ingestWhole(db: D1Database, run: RunResult, row: NewRun, body: string): Promise<IngestResult> {
  const existing = await findRunByKey(db, row.runKey);
  if (!existing) {
    try {
      await insertRun(db, row, body, scoreRecords(run));
      return { id: row.id, status: 'complete', created: true, missingShards: [] };
    } catch (err) {
      // lost a race against an identical upload: fall through to the idempotency check
      if (!(await findRunByKey(db, row.runKey))) throw err;
    }
  }
  const found = existing ?? (await findRunByKey(db, row.runKey))!;
  if (found.bodySha256 !== row.bodySha256) throw conflict(found.id, row.runKey);
  return { id: found.id, status: found.status, created: false, missingShards: [] };
}

async function ingestShard(db: D1Database, run: RunResult, row: NewRun, body: string): Promise<IngestResult> {
  const { shardIndex, shardCount } = run.shard!;
  const existing = await findRunByKey(db, row.runKey);
  if (existing && existing.shardCount !== shardCount) {
    throw mismatch(shardIndex, -1, `shardCount: ${shardCount} vs ${existing.shardCount} (the run's first shard)`);
  }
  if (!existing) await ensureShardedRun(db, { ...row, bodySha256: null, status: 'incomplete', scoreMean: null });
  const created = await storeShard(db, run, row, body);
  const present = await listShardIndexes(db, row.id);
  const missingShards = Array.from({ length: shardCount }, (_, i) => i).filter((i) => !present.includes(i));
  if (missingShards.length === 0) {
    const complete = (await findRunByKey(db, row.runKey))?.status === 'complete';
    if (!complete) await mergeAndStore(db, row, shardCount);
  }
  return { id: row.id, status: missingShards.length ? 'incomplete' : 'complete', created, missingShards };
}

/** true when stored now, false for an identical re-upload; throws 409 for a different body at the same index. */
async function storeShard(db: D1Database, run: RunResult, row: NewRun, body: string): Promise<boolean> {
  const index = run.shard!.shardIndex;
  const prior = await getShardHash(db, row.id, index);
  if (prior === null) {
    const others = await listShardIndexes(db, row.id);
    const refIndex = others[0];
    const ref = refIndex === undefined ? null : await getShardBody(db, row.id, refIndex);
    const difference = ref === null ? null : shardDifference(JSON.parse(ref) as RunResult, run);
    if (difference) throw mismatch(index, refIndex!, difference);
    try {
      await insertShard(db, row.id, index, row.bodySha256!, body, row.createdAt);
      return true;
    } catch (err) {
      if ((await getShardHash(db, row.id, index)) === null) throw err;
    }
  }
  const stored = prior ?? (await getShardHash(db, row.id, index));
  if (stored !== row.bodySha256) throw conflict(row.id, `${row.runKey} shard ${index}`);
  return false;
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

function conflict(id: string, key: string): ApiError {
  return new ApiError(409, 'run_conflict',
    `a different result was already uploaded under this run key (run ${id}); runs are immutable — use a new commit, ` +
    'checkpoint label or shard runKey', { id, runKey: key });
}

function newRunRow(run: RunResult, who: Uploader, k: {
  id: string; runKey: string; repositoryId: number; bodySha256: string; now: number;
}): NewRun {
  const oidc = who.kind === 'oidc' ? who : null;
  return {
    id: k.id, repositoryId: k.repositoryId, runKey: k.runKey, bodySha256: k.bodySha256, status: 'complete',
    shardCount: run.shard?.shardCount ?? null, commit: run.identity.commit, ref: run.identity.ref,
    prNumber: run.identity.prNumber, baseRef: run.identity.baseRef, model: run.model.name,
    checkpoint: run.model.checkpoint, protocol: run.protocol, suiteVersion: run.suiteVersion,
    scoreMean: scoreMean(run), workflowRef: oidc ? (oidc.workflowRef ?? oidc.jobWorkflowRef) : run.identity.workflowRef,
    ghRunId: oidc ? oidc.ghRunId : run.identity.runId, verified: oidc?.verified ?? false,
    uploader: who.kind, createdAt: k.now,
  };
}
