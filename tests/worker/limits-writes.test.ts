/**
 * Issue 12 items 8 and 10 on workerd + local D1, with D1's own meters (meta.rows_written) read through the counting
 * binding (worker/src/d1-stats.ts):
 *   - one upload writes a bounded number of rows whatever the body holds (9 benchmarks × 256 groups × 16 metrics
 *     wrote 111,045 rows before: one row per metric);
 *   - retention deletes in chunks, stays inside its per-invocation query and write budgets, and the next run
 *     carries on where the last one stopped.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { packBits } from '../../schemas/bitset.js';
import { BENCHMARK_IDS, type RunResult } from '../../schemas/results.js';
import { wilson } from '../../schemas/stats.js';
import { countingD1, emptyStats, type D1Stats } from '../../worker/src/d1-stats.js';
import { MAX_GROUP_SCORE_ROWS } from '../../worker/src/db.js';
import { app } from '../../worker/src/index.js';
import { RETENTION, runScheduled } from '../../worker/src/scheduled.js';
import { makeRun } from '../helpers/run-fixture.js';
import { createApiToken, json } from './support.js';

/** Documented in docs/worker.md ("Limits"): the most rows one upload may write, index rows included. */
const MAX_ROWS_WRITTEN_PER_UPLOAD = 700;
const FREE_QUERIES = 50;
const DAY = 86_400_000;

let token: string;
beforeAll(async () => {
  token = await createApiToken(['acme/*']);
});

async function upload(run: RunResult): Promise<{ status: number; body: Record<string, any>; stats: D1Stats }> {
  const stats = emptyStats();
  const res = await app.request('/api/v1/runs', {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(run),
  }, { ...env, DB: countingD1(env.DB, stats) });
  return { status: res.status, body: await json(res), stats };
}

/** Every benchmark with 256 one-item groups, each carrying accuracy (exact, from the bits) and 15 other metrics. */
function hostileRun(): RunResult {
  const n = 256;
  const run = makeRun({ repository: 'acme/wide', commit: '8'.repeat(40), n, benchmarks: [...BENCHMARK_IDS] });
  for (const b of run.benchmarks) {
    const correct = Array.from({ length: n }, (_, i) => ((i * 7) % 10) < 6);
    b.outcomes.correct = packBits(correct);
    const k = correct.filter(Boolean).length;
    b.metrics = [{ name: 'accuracy', value: k / n, n, ci95: wilson(k, n), higherIsBetter: true }];
    b.groups = Array.from({ length: n }, (_, g) => ({
      key: 'case', value: `case-${g}`, n: 1, members: packBits(Array.from({ length: n }, (_, i) => i === g)),
      metrics: [{ name: 'accuracy', value: correct[g] ? 1 : 0, n: 1, ci95: wilson(correct[g] ? 1 : 0, 1), higherIsBetter: true },
        ...Array.from({ length: 15 }, (_, m) => ({ name: `extra_${m}`, value: 0.5, n: 1, ci95: null, higherIsBetter: true }))],
    }));
  }
  return run;
}

describe('rows written per upload (item 8)', () => {
  it('9 benchmarks × 256 groups × 16 metrics: bounded score rows, bounded rows written, everything kept in the body', async () => {
    const run = hostileRun();
    const r = await upload(run);
    expect(r.status, JSON.stringify(r.body).slice(0, 400)).toBe(201);
    const scoreRows = (await env.DB.prepare('SELECT COUNT(*) AS n FROM scores WHERE run_id = ?').bind(r.body.id).first<{ n: number }>())!.n;
    console.log(`hostile upload (${(JSON.stringify(run).length / 1e6).toFixed(2)} MB): ${scoreRows} score rows, ` +
      `${r.stats.rowsWritten} rows written, ${r.stats.queries} D1 queries`);
    expect(scoreRows).toBe(BENCHMARK_IDS.length * (1 + MAX_GROUP_SCORE_ROWS));
    expect(r.stats.rowsWritten).toBeLessThanOrEqual(MAX_ROWS_WRITTEN_PER_UPLOAD);
    expect(r.stats.queries).toBeLessThanOrEqual(FREE_QUERIES);
    // the stored body still holds every group and metric (the repository and compare pages read it)
    const stored = (await json(await app.request(`/api/v1/runs/${r.body.id}`, {}, env))).result as RunResult;
    expect(stored.benchmarks[0]!.groups).toHaveLength(256);
    expect(stored.benchmarks[0]!.groups[255]!.metrics).toHaveLength(16);
    // a group badge within the cap reads its row
    const badge = await (await app.request('/badge/acme/wide.json?benchmark=vqa-rad&group=case:case-3', {}, env)).json() as { message: string };
    expect(badge.message).toBe('100.0%'); // item 3 is correct: (3 · 7) mod 10 = 1 < 6
  });
});

describe('retention in chunks (item 10)', () => {
  async function seedOldPrRuns(count: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      const r = await upload(makeRun({ repository: 'acme/old-prs', commit: i.toString(16).padStart(40, '0'), n: 20,
        prNumber: 1000 + i, ref: `refs/pull/${1000 + i}/merge`, benchmarks: ['vqa-rad'] }));
      expect(r.status).toBe(201);
    }
    await env.DB.prepare("UPDATE runs SET created_at = ? WHERE pr_number IS NOT NULL").bind(Date.now() - 200 * DAY).run();
  }
  const remaining = async () => (await env.DB.prepare('SELECT COUNT(*) AS n FROM runs WHERE pr_number IS NOT NULL').first<{ n: number }>())!.n;

  it('deletes at most maxChunks × chunkRuns runs per invocation within 50 queries; the next invocation continues', async () => {
    const total = RETENTION.chunkRuns * RETENTION.maxChunks + 7;
    await seedOldPrRuns(total);
    const stats = emptyStats();
    const first = await runScheduled({ ...env, DB: countingD1(env.DB, stats) } as Env, Date.now());
    console.log(`retention run 1: ${JSON.stringify(first)}, ${stats.queries} D1 queries, ${stats.rowsWritten} rows written`);
    expect(first.chunks).toBe(RETENTION.maxChunks);
    expect(first.deletedRuns).toBe(RETENTION.chunkRuns * RETENTION.maxChunks);
    expect(stats.queries).toBeLessThanOrEqual(FREE_QUERIES);
    expect(stats.rowsWritten).toBeLessThanOrEqual(RETENTION.rowsWrittenBudget);
    expect(await remaining()).toBe(7);
    const second = await runScheduled(env, Date.now());
    expect(second.deletedRuns).toBe(7);
    expect(await remaining()).toBe(0);
    const orphans = await env.DB.prepare(`SELECT (SELECT COUNT(*) FROM scores s WHERE NOT EXISTS (SELECT 1 FROM runs r WHERE r.id = s.run_id))
      + (SELECT COUNT(*) FROM blobs b WHERE b.key LIKE 'run:%' AND NOT EXISTS (SELECT 1 FROM runs r WHERE 'run:' || r.id = b.key)) AS n`)
      .first<{ n: number }>();
    expect(orphans!.n).toBe(0);
  });

  it('stops before a chunk could cross the rows-written budget', async () => {
    await seedOldPrRuns(30);
    const r = await runScheduled(env, Date.now(), { chunkRuns: 10, maxChunks: 10, rowsWrittenBudget: 1 });
    expect(r.chunks).toBe(1); // the first chunk shows what a chunk costs; a second would cross the budget
    expect(r.deletedRuns).toBe(10);
    expect(await remaining()).toBe(20);
    const next = await runScheduled(env, Date.now(), { chunkRuns: 10, maxChunks: 10, rowsWrittenBudget: 1_000_000 });
    expect(next.deletedRuns).toBe(20);
  });
});
