import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../../schemas/results.js';
import { makeRun, splitIntoShards } from '../../helpers/run-fixture.js';
import { call, createApiToken, json, postRun } from '../support.js';

let token: string;
beforeAll(async () => {
  token = await createApiToken(['acme/*']);
});

describe('sharded uploads', () => {
  it('16 concurrent shard uploads → one complete merged run whose outcomes and metrics equal the unsharded run', async () => {
    const whole = makeRun({ repository: 'acme/sharded', commit: '1'.repeat(40), n: 1000 });
    const shards = splitIntoShards(whole, 16, 'nightly-1');
    const responses = await Promise.all(shards.map((s) => postRun(s, token)));
    expect(responses.map((r) => r.status)).toEqual(new Array(16).fill(201));
    const ids = new Set(await Promise.all(responses.map(async (r) => (await json(r)).id)));
    expect(ids.size).toBe(1);
    const [id] = [...ids];
    const got = await json(await call(`/api/v1/runs/${id}`));
    expect(got.status).toBe('complete');
    expect(got.missingShards).toEqual([]);
    const merged = got.result as RunResult;
    expect(merged.shard).toBeNull();
    merged.benchmarks.forEach((b, i) => {
      const w = whole.benchmarks[i]!;
      expect(b.outcomes).toEqual(w.outcomes);
      expect(b.metrics.map((m) => [m.name, m.n, m.value])).toEqual(w.metrics.map((m) => [m.name, m.n, m.value]));
      expect(b.metrics[0]!.ci95![0]).toBeCloseTo(w.metrics[0]!.ci95![0], 12);
      expect(b.groups.map((g) => g.metrics[0]!.value)).toEqual(w.groups.map((g) => g.metrics[0]!.value));
    });
    // exactly one run row, scores written once, shard bodies dropped after the merge
    const runs = await env.DB.prepare("SELECT COUNT(*) AS n FROM runs WHERE run_key LIKE '%nightly-1%'").first<{ n: number }>();
    expect(runs!.n).toBe(1);
    const shardBlobs = await env.DB.prepare("SELECT COUNT(*) AS n FROM blobs WHERE key LIKE 'shard:%'").first<{ n: number }>();
    expect(shardBlobs!.n).toBe(0);
  });

  it('reads incomplete with the missing shard indexes until all arrived; re-uploading a shard is idempotent', async () => {
    const shards = splitIntoShards(makeRun({ repository: 'acme/sharded', commit: '2'.repeat(40), n: 40 }), 4, 'partial');
    const first = await json(await postRun(shards[2], token));
    expect(first).toMatchObject({ status: 'incomplete', missingShards: [0, 1, 3] });
    const again = await postRun(shards[2], token);
    expect(again.status).toBe(200);
    const view = await json(await call(`/api/v1/runs/${first.id}`));
    expect(view).toMatchObject({ status: 'incomplete', missingShards: [0, 1, 3], result: null });
    // incomplete runs are listed but never "latest"
    const latest = await call(`/api/v1/repos/acme/sharded/latest?sha=${'2'.repeat(40)}`);
    expect(latest.status).toBe(404);
  });

  it('refuses shards whose settings disagree, naming the difference', async () => {
    const base = makeRun({ repository: 'acme/sharded', commit: '3'.repeat(40), n: 40 });
    const [s0, s1, s2] = splitIntoShards(base, 3, 'mismatch');
    expect((await postRun(s0, token)).status).toBe(201);
    const otherItems = { ...s1!, benchmarks: s1!.benchmarks.map((b, i) => (i === 0 ? { ...b, fingerprint: 'f'.repeat(64) } : b)) };
    const res = await postRun(otherItems, token);
    expect(res.status).toBe(409);
    const err = (await json(res)).error;
    expect(err.code).toBe('shard_mismatch');
    expect(err.message).toContain('benchmarks.vqa-rad.fingerprint');
    expect(err.message).toContain('f'.repeat(20));
    const decoding = { ...s2!, decoding: { ...s2!.decoding, temperature: 0.7 } };
    const res2 = await json(await postRun(decoding, token));
    expect(res2.error.details.difference).toBe('decoding.temperature: 0 vs 0.7');
    const count = { ...s2!, shard: { ...s2!.shard!, shardCount: 5 } };
    expect((await json(await postRun(count, token))).error.code).toBe('shard_mismatch');
  });

  it('a different body for an already stored shard index is a 409', async () => {
    const [s0] = splitIntoShards(makeRun({ repository: 'acme/sharded', commit: '4'.repeat(40), n: 16 }), 2, 'dup');
    expect((await postRun(s0, token)).status).toBe(201);
    const changed = { ...s0!, timing: { ...s0!.timing, wallSeconds: 61 } };
    expect((await json(await postRun(changed, token))).error.code).toBe('run_conflict');
  });
});
