/**
 * Sharded runs cannot be wedged: concurrent first shards that disagree are never both stored, overlapping shards
 * are refused without a row, and a run whose stored shards cannot merge (stored before the checks existed —
 * simulated by writing them straight into D1) becomes `failed` with the reason and can be uploaded again.
 * Concurrency is real: Promise.all of uploads against one workerd + local D1, repeated.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../../schemas/results.js';
import { runKeyOf } from '../../../worker/src/ingest.js';
import { sha256Hex } from '../../../worker/src/auth.js';
import { insertShard, type NewRun } from '../../../worker/src/db.js';
import { makeRun, splitIntoShards } from '../../helpers/run-fixture.js';
import { call, createApiToken, json, postRun } from '../support.js';

let token: string;
beforeAll(async () => {
  token = await createApiToken(['acme/*']);
});

async function rowsOf(runKeyPart: string) {
  const q = (sql: string) => env.DB.prepare(sql).bind(`%${runKeyPart}%`).first<{ n: number }>().then((r) => r!.n);
  return {
    runs: await q('SELECT COUNT(*) AS n FROM runs WHERE run_key LIKE ?'),
    shards: await q('SELECT COUNT(*) AS n FROM shards WHERE run_id IN (SELECT id FROM runs WHERE run_key LIKE ?)'),
    blobs: await q(`SELECT COUNT(*) AS n FROM blobs b JOIN runs r ON b.key LIKE 'shard:' || r.id || ':%'
      WHERE r.run_key LIKE ?`),
  };
}

/** A shard that holds the same items as `s` under another index. */
function overlapping(s: RunResult, index: number): RunResult {
  return { ...s, shard: { ...s.shard!, shardIndex: index } };
}

describe('concurrent shards', () => {
  it('two first shards that disagree (temperature), uploaded at once, 12 times: exactly one stored, the other 409 with no row', async () => {
    for (let t = 0; t < 12; t++) {
      const key = `race-temp-${t}`;
      const [s0, s1] = splitIntoShards(makeRun({ repository: 'acme/races', commit: 'c'.repeat(40), n: 32 }), 2, key);
      const hot = { ...s1!, decoding: { ...s1!.decoding, temperature: 0.7 } };
      const res = await Promise.all([postRun(s0, token), postRun(hot, token)]);
      const statuses = res.map((r) => r.status).sort();
      expect(statuses, `trial ${t}`).toEqual([201, 409]);
      const refused = await json(res.find((r) => r.status === 409)!);
      expect(refused.error.code).toBe('shard_mismatch');
      expect(refused.error.message).toContain('decoding.temperature');
      expect(await rowsOf(key)).toEqual({ runs: 1, shards: 1, blobs: 1 });
    }
  });

  it('two shards holding the same items, uploaded at once, 12 times: one stored, the other 409 shard_overlap, no row', async () => {
    for (let t = 0; t < 12; t++) {
      const key = `race-overlap-${t}`;
      const [s0] = splitIntoShards(makeRun({ repository: 'acme/races', commit: 'd'.repeat(40), n: 32 }), 3, key);
      const res = await Promise.all([postRun(s0, token), postRun(overlapping(s0!, 1), token)]);
      expect(res.map((r) => r.status).sort(), `trial ${t}`).toEqual([201, 409]);
      expect((await json(res.find((r) => r.status === 409)!)).error.code).toBe('shard_overlap');
      expect(await rowsOf(key)).toEqual({ runs: 1, shards: 1, blobs: 1 });
    }
  });

  it('an overlapping shard is refused without being stored; the right shard then completes the run', async () => {
    const whole = makeRun({ repository: 'acme/races', commit: 'e'.repeat(40), n: 40 });
    const [s0, s1] = splitIntoShards(whole, 2, 'overlap-then-right');
    expect((await postRun(s0, token)).status).toBe(201);
    const bad = await postRun(overlapping(s0!, 1), token);
    expect(bad.status).toBe(409);
    const err = (await json(bad)).error;
    expect(err.code).toBe('shard_overlap');
    // s0 holds items 0, 2, 4, …: item 0 of the first benchmark is the first shared one
    expect(err.details).toMatchObject({ benchmark: 'vqa-rad', item: 0, shardIndex: 1 });
    expect(await rowsOf('overlap-then-right')).toEqual({ runs: 1, shards: 1, blobs: 1 });
    const good = await json(await postRun(s1, token));
    expect(good).toMatchObject({ status: 'complete', missingShards: [] });
    const view = await json(await call(`/api/v1/runs/${good.id}`));
    expect(view.status).toBe('complete');
    expect((view.result as RunResult).benchmarks[0]!.outcomes).toEqual(whole.benchmarks[0]!.outcomes);
  });

  it('16 shards at once, three times: every one stored, one merged run', async () => {
    for (let t = 0; t < 3; t++) {
      const whole = makeRun({ repository: 'acme/races', commit: 'f'.repeat(40), n: 160 });
      const res = await Promise.all(splitIntoShards(whole, 16, `sixteen-${t}`).map((s) => postRun(s, token)));
      expect(res.map((r) => r.status)).toEqual(new Array(16).fill(201));
      const { id } = await json(res[0]!);
      const view = await json(await call(`/api/v1/runs/${id}`));
      expect(view.status).toBe('complete');
      expect((view.result as RunResult).benchmarks[1]!.outcomes).toEqual(whole.benchmarks[1]!.outcomes);
    }
  });
});

describe('a run whose shards cannot merge', () => {
  it('becomes failed with the reason, drops its shards, and uploading the shards again completes it', async () => {
    const whole = makeRun({ repository: 'acme/races', commit: '7'.repeat(40), n: 24 });
    const [s0, s1] = splitIntoShards(whole, 2, 'legacy-wedge');
    // the wedge the old checks allowed: shard 1 holds shard 0's items, both stored
    const wedged = overlapping(s0!, 1);
    for (const s of [s0!, wedged]) {
      const body = JSON.stringify(s);
      const id = (await sha256Hex(runKeyOf(s))).slice(0, 16);
      await insertShard(env.DB, legacyRow(s, id, await sha256Hex(body)), s.shard!.shardIndex, body);
    }
    const again = await postRun(s0, token);
    expect(again.status).toBe(409);
    const err = (await json(again)).error;
    expect(err.code).toBe('run_failed');
    expect(err.message).toContain('both hold item');
    const view = await json(await call(`/api/v1/runs/${err.details.id}`));
    expect(view).toMatchObject({ status: 'failed', missingShards: [0, 1], result: null });
    expect(view.failure).toContain('both hold item');
    expect(await rowsOf('legacy-wedge')).toEqual({ runs: 1, shards: 0, blobs: 0 });

    expect((await postRun(s0, token)).status).toBe(201);
    const done = await json(await postRun(s1, token));
    expect(done).toMatchObject({ id: err.details.id, status: 'complete' });
    const merged = await json(await call(`/api/v1/runs/${done.id}`));
    expect(merged).toMatchObject({ status: 'complete', failure: null });
    expect((merged.result as RunResult).benchmarks[0]!.metrics[0]!.value).toBe(whole.benchmarks[0]!.metrics[0]!.value);
  });
});

function legacyRow(s: RunResult, id: string, bodySha256: string): NewRun {
  return {
    id, repository: s.identity.repository!, runKey: runKeyOf(s), bodySha256, status: 'incomplete',
    shardCount: s.shard!.shardCount, commit: s.identity.commit, ref: s.identity.ref, prNumber: null, baseRef: null,
    model: s.model.name, checkpoint: null, protocol: s.protocol, suiteVersion: s.suiteVersion, scoreMean: null,
    workflowRef: null, ghRunId: null, verified: false, uploader: 'token', createdAt: Date.now(),
  };
}
