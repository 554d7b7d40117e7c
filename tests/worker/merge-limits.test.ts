/**
 * Issue 12 item 6: the last shard's merge within Cloudflare's per-invocation limits. Every upload goes through the
 * real route on workerd + local D1 with the D1 binding wrapped in a counting proxy (worker/src/d1-stats.ts: each
 * statement of a batch counted as a query, the conservative reading of "queries per Worker invocation"). Bounds:
 * a 16-shard run within the Free plan's 50 queries per request, a 256-shard run within the Paid plan's 1,000.
 * The fold itself is checked against the all-at-once merge of schemas/shard-merge.ts (the oracle).
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { packBits } from '../../schemas/bitset.js';
import type { RunResult } from '../../schemas/results.js';
import { mergeRunResults } from '../../schemas/shard-merge.js';
import { countingD1, emptyStats, type D1Stats } from '../../worker/src/d1-stats.js';
import { app } from '../../worker/src/index.js';
import { ShardFold } from '../../worker/src/shard-fold.js';
import { makeRun, splitIntoShards } from '../helpers/run-fixture.js';
import { createApiToken } from './support.js';

const FREE_QUERIES = 50;
const PAID_QUERIES = 1_000;

let token: string;
beforeAll(async () => {
  token = await createApiToken(['acme/*']);
});

async function upload(run: RunResult): Promise<{ status: number; body: Record<string, unknown>; stats: D1Stats }> {
  const stats = emptyStats();
  const res = await app.request('/api/v1/runs', {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(run),
  }, { ...env, DB: countingD1(env.DB, stats) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, stats };
}

/** Shards with graded scores on the items each holds (every third item open-ended), as a full-protocol run has. */
function withGraded(shards: RunResult[]): RunResult[] {
  return shards.map((s) => ({
    ...s,
    benchmarks: s.benchmarks.map((b) => {
      const n = b.outcomes.n;
      const present = Array.from({ length: n }, (_, i) => i % s.shard!.shardCount === s.shard!.shardIndex);
      const grade = (i: number) => (present[i] && i % 3 === 0 ? (i % 7) / 6 : null);
      return { ...b, metrics: [], groups: b.groups.map((g) => ({ ...g, metrics: [] })),
        outcomes: { ...b.outcomes, present: packBits(present), graded: { open_token_f1: Array.from({ length: n }, (_, i) => grade(i)) } } };
    }),
  }));
}

describe('shard merge within platform limits', () => {
  it('folding shards one at a time gives exactly the all-at-once merge (bitsets, graded arrays, metrics, timing)', () => {
    const shards = withGraded(splitIntoShards(makeRun({ n: 500 }), 7, 'fold-oracle'));
    const fold = new ShardFold();
    for (const s of [...shards].reverse()) fold.add(s); // any arrival order
    expect(fold.result()).toEqual(mergeRunResults(shards));
  });

  it('an overlapping shard is a 409 naming both shards', () => {
    const [a, b] = splitIntoShards(makeRun({ n: 64 }), 2, 'fold-overlap');
    const fold = new ShardFold();
    fold.add(a!);
    expect(() => fold.add({ ...a!, shard: b!.shard })).toThrow(/shards 0 and 1 both hold item 0/);
  });

  it('16 shards: every upload, the merging one included, stays within the Free plan\'s 50 queries', async () => {
    const whole = makeRun({ repository: 'acme/limits16', commit: '6'.repeat(40), n: 1600 });
    const results = [];
    for (const s of splitIntoShards(whole, 16, 'limits-16')) results.push(await upload(s));
    expect(results.map((r) => r.status)).toEqual(new Array(16).fill(201));
    expect(results.at(-1)!.body.status).toBe('complete');
    const worst = Math.max(...results.map((r) => r.stats.queries));
    console.log(`16 shards: D1 queries per upload ${results.map((r) => r.stats.queries).join(', ')}`);
    expect(worst).toBeLessThanOrEqual(FREE_QUERIES);
  });

  it('256 shards: the merging upload stays within the Paid plan\'s 1,000 queries and reads the bodies in pages', async () => {
    const whole = makeRun({ repository: 'acme/limits256', commit: '7'.repeat(40), n: 2560 });
    const results = [];
    for (const s of splitIntoShards(whole, 256, 'limits-256')) results.push(await upload(s));
    expect(results.every((r) => r.status === 201)).toBe(true);
    const last = results.at(-1)!;
    expect(last.body.status).toBe('complete');
    console.log(`256 shards: last upload ${last.stats.queries} D1 queries, ${last.stats.rowsRead} rows read, ` +
      `${last.stats.rowsWritten} rows written; earlier uploads at most ${Math.max(...results.slice(0, -1).map((r) => r.stats.queries))}`);
    expect(last.stats.queries).toBeLessThanOrEqual(PAID_QUERIES);
    // one query per 8 blob parts, not one per shard: far below one query per shard
    expect(last.stats.queries).toBeLessThan(256 / 2);
    const merged = (await env.DB.prepare("SELECT status FROM runs WHERE run_key LIKE '%limits-256%'").first<{ status: string }>())!;
    expect(merged.status).toBe('complete');
  });
});
