/**
 * Issue 12 item 11: compare reads both runs and bodies in one D1 query, and a repeated comparison is served from
 * the per-isolate cache (complete runs are immutable) with no D1 query and the same answer; an upload in the
 * isolate clears it.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { countingD1, emptyStats } from '../../worker/src/d1-stats.js';
import { app } from '../../worker/src/index.js';
import { makeRun } from '../helpers/run-fixture.js';
import { createApiToken, json, postRun } from './support.js';

async function compare(base: string, head: string) {
  const stats = emptyStats();
  const res = await app.request(`/api/v1/compare?base=${base}&head=${head}`, {}, { ...env, DB: countingD1(env.DB, stats) });
  return { status: res.status, body: await json(res), stats };
}

describe('compare reads and cache', () => {
  it('cold: one D1 query; warm: none, same answer; an upload clears the cache', async () => {
    const token = await createApiToken(['cc/*']);
    const up = async (commit: string, k: number) => (await json(await postRun(makeRun({ repository: 'cc/x', commit: commit.repeat(40),
      n: 5000, correct: (i) => i % 10 < k }), token))).id as string;
    const a = await up('1', 6);
    const b = await up('2', 7);
    const cold = await compare(a, b);
    expect(cold.status).toBe(200);
    expect(cold.stats.queries).toBe(1);
    const warm = await compare(a, b);
    expect(warm.stats.queries).toBe(0);
    expect(warm.body).toEqual(cold.body);
    // 60% vs 70% correct on the same 5,000 items (i mod 10 < k): head wins 500 items, loses none
    expect(cold.body.benchmarks[0].counts).toMatchObject({ baseOnly: 0, headOnly: 500 });
    await up('3', 5);
    expect((await compare(a, b)).stats.queries).toBe(1);
    // a missing run is still a 404 and an unknown id never enters the cache
    expect((await compare(a, '0'.repeat(16))).status).toBe(404);
  });
});
