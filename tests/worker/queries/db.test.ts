/** Query tests: worker/src/db.ts against the real local D1, no HTTP. */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import {
  consumeJti, getRepository, getRun, getRunResult, insertRun, latestRun, listRuns, runHistory,
  type NewRun, type ScoreRecord,
} from '../../../worker/src/db.js';
import { scoreRecords } from '../../../worker/src/metrics.js';
import { makeRun } from '../../helpers/run-fixture.js';

const db = env.DB;
let seq = 0;

function newRun(repository: string, over: Partial<NewRun> = {}): NewRun {
  seq++;
  return {
    id: seq.toString(16).padStart(16, '0'), repository, runKey: `key-${seq}`, bodySha256: `sha-${seq}`,
    status: 'complete', shardCount: null, commit: 'a'.repeat(40), ref: 'refs/heads/main', prNumber: null,
    baseRef: null, model: 'm', checkpoint: null, protocol: 'paper', suiteVersion: '1', scoreMean: 0.5,
    workflowRef: null, ghRunId: null, verified: false, uploader: 'token', createdAt: 1_000 + seq, ...over,
  };
}

describe('repositories', () => {
  it('creates the repository with the run, pins GitHub ids on the first write that carries them, never overwrites them', async () => {
    await insertRun(db, newRun('o/pin'), '{}', []);
    expect(await getRepository(db, 'o/pin')).toMatchObject({ githubId: null });
    await insertRun(db, newRun('o/pin'), '{}', [], { pin: { githubId: 5, ownerGithubId: 6 }, jti: null });
    expect(await getRepository(db, 'o/pin')).toMatchObject({ githubId: 5, ownerGithubId: 6 });
    // other ids: the pin stays and the run is refused inside the same transaction (no run row)
    const other = newRun('O/PIN');
    await expect(insertRun(db, other, '{}', [], { pin: { githubId: 7, ownerGithubId: 8 }, jti: null })).rejects.toThrow();
    expect(await getRepository(db, 'o/pin')).toMatchObject({ githubId: 5, fullName: 'o/pin' });
    expect(await getRun(db, other.id)).toBeNull();
  });

  it('a write with an already used jti fails whole: no repository, run, score or blob row', async () => {
    expect(await consumeJti(db, 'used-once', 100)).toBe(true);
    const row = newRun('o/replayed');
    await expect(insertRun(db, row, '{}', [], { pin: { githubId: 9, ownerGithubId: 9 }, jti: { id: 'used-once', expiresAt: 100 } }))
      .rejects.toThrow();
    expect(await getRepository(db, 'o/replayed')).toBeNull();
    expect(await getRun(db, row.id)).toBeNull();
  });
});

describe('runs', () => {
  it('round-trips a body larger than one blob part (> 500,000 characters)', async () => {
    const result = makeRun({ repository: 'o/big', n: 2000 });
    result.benchmarks[0]!.outcomes.graded = { open_token_f1: new Array(2000).fill(0.1234) };
    result.benchmarks[0]!.title = 'x'.repeat(200);
    const body = JSON.stringify({ ...result, pad: 'y'.repeat(600_000) });
    const row = newRun('o/big');
    await insertRun(db, row, body, scoreRecords(result));
    const parts = await db.prepare("SELECT COUNT(*) AS n FROM blobs WHERE key = ?").bind(`run:${row.id}`).first<{ n: number }>();
    expect(parts!.n).toBeGreaterThan(1);
    expect(JSON.stringify(await getRunResult(db, row.id))).toBe(body);
    const scores = await db.prepare('SELECT DISTINCT benchmark FROM scores WHERE run_id = ? ORDER BY benchmark').bind(row.id).all<{ benchmark: string }>();
    expect(scores.results.map((s) => s.benchmark)).toEqual(['slake', 'vqa-rad']); // makeRun's two benchmarks
  });

  it('a failing batch leaves nothing behind (duplicate score key → no run row, no blob)', async () => {
    const row = newRun('o/atomic');
    const score: ScoreRecord = { benchmark: 'b', groupKey: '', groupValue: '', metric: 'accuracy', value: 1, n: 1,
      ciLow: null, ciHigh: null, fingerprint: 'f', protocol: 'paper', chanceAccuracy: null };
    await expect(insertRun(db, row, '{}', [score, score])).rejects.toThrow();
    expect(await getRun(db, row.id)).toBeNull();
    const blobs = await db.prepare('SELECT COUNT(*) AS n FROM blobs WHERE key = ?').bind(`run:${row.id}`).first<{ n: number }>();
    expect(blobs!.n).toBe(0);
    expect(await getRepository(db, 'o/atomic')).toBeNull();
  });

  it('lists newest first and pages by cursor without gaps or repeats, ties broken by id', async () => {
    const rows = Array.from({ length: 7 }, (_, i) => newRun('o/list', { createdAt: 5_000 + Math.floor(i / 2), model: i % 2 ? 'x' : 'y' }));
    for (const r of rows) await insertRun(db, r, '{}', []);
    const seen: string[] = [];
    let cursor = null;
    do {
      const page: Awaited<ReturnType<typeof listRuns>> = await listRuns(db, 'o/list', { limit: 3, cursor });
      seen.push(...page.runs.map((r) => r.id));
      cursor = page.nextCursor;
    } while (cursor);
    const expected = [...rows].sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1)).map((r) => r.id);
    expect(seen).toEqual(expected);
    const onlyX = await listRuns(db, 'o/list', { limit: 10, model: 'x' });
    expect(onlyX.runs).toHaveLength(3);
  });

  it('latestRun matches "main" to refs/heads/main, skips incomplete runs, filters by sha', async () => {
    const done = newRun('o/latest', { createdAt: 10 });
    const pending = newRun('o/latest', { createdAt: 20, status: 'incomplete', shardCount: 2 });
    const other = newRun('o/latest', { createdAt: 30, commit: 'b'.repeat(40), ref: 'refs/heads/dev' });
    for (const r of [done, pending, other]) await insertRun(db, r, '{}', []);
    expect((await latestRun(db, 'o/latest', { ref: 'main' }))?.id).toBe(done.id);
    expect((await latestRun(db, 'o/latest'))?.id).toBe(other.id);
    expect((await latestRun(db, 'o/latest', { sha: 'b'.repeat(40), ref: 'main' }))).toBeNull();
    expect((await latestRun(db, 'o/latest', { sha: 'bbbbbbb' }))?.id).toBe(other.id);
    expect((await latestRun(db, 'o/latest', { sha: 'abbbbbb' }))).toBeNull();
  });

  it('runHistory returns a benchmark\'s scores oldest first', async () => {
    for (const [i, value] of [0.5, 0.6, 0.7].entries()) {
      const result = makeRun({ repository: 'o/history', n: 10, correct: (k) => k < value * 10 });
      await insertRun(db, newRun('o/history', { createdAt: 100 + i }), '{}', scoreRecords(result));
    }
    const points = await runHistory(db, 'o/history', { benchmark: 'vqa-rad', ref: 'main' });
    expect(points.map((p) => p.value)).toEqual([0.5, 0.6, 0.7]);
    const group = await runHistory(db, 'o/history', { benchmark: 'vqa-rad', groupKey: 'questionType', groupValue: 'reasoning' });
    expect(group).toHaveLength(3);
  });
});

describe('used_jti', () => {
  it('accepts a token id once', async () => {
    expect(await consumeJti(db, 'abc', 100)).toBe(true);
    expect(await consumeJti(db, 'abc', 100)).toBe(false);
  });
});
