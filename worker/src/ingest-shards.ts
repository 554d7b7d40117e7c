/**
 * Storing one shard of a run, then merging once all arrived. A shard is checked against the run's shard state —
 * the settings every shard shares and the items stored shards already hold — and written in one batch that
 * requires the state version it was checked against (db/shard-state.ts). Two concurrent shards therefore never
 * both pass against the same state: the later batch fails whole, and its upload re-reads and re-checks (a shard
 * that disagrees or overlaps is then refused, leaving no row). A run whose shards still cannot merge — shards
 * stored before these checks existed — is marked failed with the reason and its shards dropped, so uploading
 * them again starts it over instead of answering 409 forever.
 */
import { base64ToBytes, bytesToBase64 } from '../../schemas/bitset.js';
import type { RunResult } from '../../schemas/results.js';
import { sha256Hex } from './auth.js';
import {
  completeShardedRun, getShardBody, insertShardVersioned, listShardIndexes, markShardedRunFailed, readShardState,
  type NewRun, type ShardState, type WriteGuard,
} from './db.js';
import { ApiError } from './errors.js';
import { conflict, consumeGuardJti, explainFailedWrite, type IngestResult } from './ingest-common.js';
import { mismatch, shardDifference, shardSettings } from './merge.js';
import { mergeStoredShards } from './shard-fold.js';
import { scoreMean, scoreRecords } from './metrics.js';

// Each lost race costs two D1 calls; 16 simultaneous shards of one run settle within 16 attempts.
const MAX_ATTEMPTS = 20;

export async function ingestShard(db: D1Database, run: RunResult, row: NewRun, body: string, guard: WriteGuard): Promise<IngestResult> {
  const { shardIndex, shardCount } = run.shard!;
  const settings = await settingsHash(run);
  let created = false;
  let tried: { version: number | null; error: unknown } | null = null;
  for (let attempt = 0; ; attempt++) {
    const state = await readShardState(db, row.id, shardIndex);
    if (state.run?.shardCount != null && state.run.shardCount !== shardCount) {
      throw mismatch(shardIndex, -1, `shardCount: ${shardCount} vs ${state.run.shardCount} (the run's first shard)`);
    }
    if (state.shardHash !== null) {
      if (state.shardHash !== row.bodySha256) throw conflict(row.id, `${row.runKey} shard ${shardIndex}`);
      // stored before, by this upload's twin: the same body again writes nothing
      await consumeGuardJti(db, guard);
      break;
    }
    // the state did not move, so the failed write was not a lost race: report the real failure
    if (tried && tried.version === state.version) throw tried.error;
    if (attempt >= MAX_ATTEMPTS) throw busy(row.id);
    const base = state.version === null && state.storedShards > 0 ? await rebuildState(db, row.id) : state;
    await assertFits(db, row.id, run, settings, base);
    try {
      await insertShardVersioned(db, row, shardIndex, body, guard,
        { expected: base.version, settingsSha256: base.settingsSha256 ?? settings, claimed: claim(base.claimed, run) });
      created = true;
      break;
    } catch (err) {
      await explainFailedWrite(db, row.repository, guard);
      tried = { version: base.version, error: err };
      await new Promise((r) => setTimeout(r, Math.random() * 10 * (attempt + 1)));
    }
  }
  const present = await listShardIndexes(db, row.id);
  const missingShards = Array.from({ length: shardCount }, (_, i) => i).filter((i) => !present.includes(i));
  if (missingShards.length === 0) await mergeOrFail(db, row, shardCount);
  return { id: row.id, status: missingShards.length ? 'incomplete' : 'complete', created, missingShards };
}

/** The settings every shard must share, as a hash of canonical JSON (key order cannot matter). */
async function settingsHash(run: RunResult): Promise<string> {
  return sha256Hex(canonical(shardSettings(run)));
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

/** 409 unless the shard shares the stored shards' settings and holds none of their items. */
async function assertFits(db: D1Database, runId: string, run: RunResult, settings: string, state: ShardState): Promise<void> {
  const index = run.shard!.shardIndex;
  if (state.settingsSha256 !== null && state.settingsSha256 !== settings) {
    const refIndex = (await listShardIndexes(db, runId))[0];
    const ref = refIndex === undefined ? null : await getShardBody(db, runId, refIndex);
    const difference = ref === null ? null : shardDifference(JSON.parse(ref) as RunResult, run);
    throw mismatch(index, refIndex ?? -1, difference ?? 'settings (a concurrent shard changed them; retry to see the difference)');
  }
  for (const b of run.benchmarks) {
    const held = Object.hasOwn(state.claimed, b.id) ? base64ToBytes(state.claimed[b.id]!) : null;
    const item = held ? firstCommonItem(held, base64ToBytes(b.outcomes.present)) : -1;
    if (item >= 0) {
      throw new ApiError(409, 'shard_overlap',
        `shard ${index} holds item ${item} of ${b.id}, which a stored shard of run ${runId} already holds; shards ` +
        'must split the items without overlap', { benchmark: b.id, item, shardIndex: index });
    }
  }
}

function firstCommonItem(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const both = a[i]! & b[i]!;
    if (both) return i * 8 + Math.log2(both & -both);
  }
  return -1;
}

/** The claimed items after this shard: the stored ones OR the shard's present bits, per benchmark. */
function claim(claimed: Record<string, string>, run: RunResult): Record<string, string> {
  const out: Record<string, string> = Object.assign(Object.create(null), claimed);
  for (const b of run.benchmarks) {
    const mine = base64ToBytes(b.outcomes.present);
    if (Object.hasOwn(claimed, b.id)) {
      const held = base64ToBytes(claimed[b.id]!);
      for (let i = 0; i < mine.length; i++) mine[i] = mine[i]! | (held[i] ?? 0);
    }
    out[b.id] = bytesToBase64(mine);
  }
  return out;
}

/**
 * Shards stored before migration 0003 have no state row: derive it from their bodies. If they already disagree
 * or overlap (a run wedged by the old checks), the run fails and starts over.
 */
async function rebuildState(db: D1Database, runId: string): Promise<ShardState> {
  const indexes = await listShardIndexes(db, runId);
  const shards: RunResult[] = [];
  for (const i of indexes) {
    const body = await getShardBody(db, runId, i);
    if (body !== null) shards.push(JSON.parse(body) as RunResult);
  }
  let state: ShardState = { run: null, version: null, settingsSha256: null, claimed: {}, shardHash: null, storedShards: 0 };
  for (const s of shards) {
    try {
      await assertFits(db, runId, s, await settingsHash(s), state);
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 409) throw err;
      await markShardedRunFailed(db, runId, err.message);
      throw runFailed(runId, err.message);
    }
    state = { ...state, settingsSha256: await settingsHash(s), claimed: claim(state.claimed, s) };
  }
  return state;
}

async function mergeOrFail(db: D1Database, row: NewRun, shardCount: number): Promise<void> {
  try {
    await mergeAndStore(db, row, shardCount);
  } catch (err) {
    // only a refusal of the shards themselves fails the run; a D1 hiccup leaves it to the next upload to retry
    if (!(err instanceof ApiError) || err.status !== 409) throw err;
    await markShardedRunFailed(db, row.id, err.message);
    throw runFailed(row.id, err.message);
  }
}

async function mergeAndStore(db: D1Database, row: NewRun, shardCount: number): Promise<void> {
  // shard bodies are read a page at a time and folded one by one (shard-fold.ts): bounded memory and D1 queries
  const merged = await mergeStoredShards(db, row.id, shardCount);
  // a concurrent merge already finished and dropped the shard bodies
  if (!merged) return;
  const body = JSON.stringify(merged);
  await completeShardedRun(db, row.id, { bodySha256: await sha256Hex(body), scoreMean: scoreMean(merged),
    completedAt: row.createdAt }, body, scoreRecords(merged), shardCount);
}

function runFailed(id: string, reason: string): ApiError {
  return new ApiError(409, 'run_failed',
    `run ${id} failed: its shards cannot be merged (${reason}); its shards were dropped — upload every shard ` +
    'again to start the run over', { id, reason });
}

function busy(id: string): ApiError {
  return new ApiError(503, 'busy', `too many concurrent shard uploads for run ${id}; retry shortly`, { id });
}
