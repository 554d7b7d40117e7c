/**
 * POST /runs behind the route: run key → deterministic id, idempotency by body hash, shards stored then merged
 * once all arrived (ingest-shards.ts). The route has already validated the body, checked it against its own bits
 * and authorised the uploader. Every refusal (409, replay, pin race) happens before or inside the one write
 * transaction, so a refused upload leaves no row.
 */
import type { RunResult } from '../../schemas/results.js';
import { sha256Hex, type Uploader } from './auth.js';
import { findRunByKey, insertRun, NO_GUARD, type NewRun, type WriteGuard } from './db.js';
import { bindIdentity } from './identity.js';
import { conflict, consumeGuardJti, explainFailedWrite, type IngestResult } from './ingest-common.js';
import { ingestShard } from './ingest-shards.js';
import { scoreMean, scoreRecords } from './metrics.js';

export type { IngestResult } from './ingest-common.js';

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
