import { beforeAll, describe, expect, it } from 'vitest';
import { CompareResult } from '../../../schemas/compare.js';
import { fingerprintOf, makeRun } from '../../helpers/run-fixture.js';
import { call, createApiToken, json, postRun } from '../support.js';

let token: string;
beforeAll(async () => {
  token = await createApiToken(['acme/*', 'lab/*']);
});

/** base: items 0–1 only base correct, 2–9 only head correct, 10–59 both, 60–99 neither (slake identical). */
const baseCorrect = (i: number, b: string) => (b === 'slake' ? i % 2 === 0 : i < 2 || (i >= 10 && i < 60));
const headCorrect = (i: number, b: string) => (b === 'slake' ? i % 2 === 0 : (i >= 2 && i < 10) || (i >= 10 && i < 60));

async function upload(opts: Parameters<typeof makeRun>[0]): Promise<string> {
  // runs are ordered by upload time (ms): keep consecutive uploads apart so "latest" is unambiguous
  await new Promise((r) => setTimeout(r, 3));
  const res = await postRun(makeRun({ n: 100, ...opts }), token);
  expect(res.status).toBe(201);
  return (await json(res)).id;
}

describe('GET /api/v1/compare', () => {
  it('hand-checked: 2 losses vs 8 wins → McNemar p = 112/1024, Holm over 2 benchmarks → 224/1024', async () => {
    const base = await upload({ commit: '1'.repeat(40), correct: baseCorrect });
    const head = await upload({ commit: '2'.repeat(40), correct: headCorrect });
    const res = await call(`/api/v1/compare?base=${base}&head=${head}`);
    expect(res.status).toBe(200);
    const body = CompareResult.parse(await res.json());
    const vqa = body.benchmarks.find((b) => b.id === 'vqa-rad')!;
    expect(vqa.counts).toEqual({ both: 50, baseOnly: 2, headOnly: 8, neither: 40 });
    expect(vqa.base.value).toBeCloseTo(0.52, 12);
    expect(vqa.head.value).toBeCloseTo(0.58, 12);
    expect(vqa.diff).toBeCloseTo(0.06, 12);
    expect(vqa.pValue).toBeCloseTo(112 / 1024, 12);
    expect(vqa.pAdjusted).toBeCloseTo(224 / 1024, 12);
    expect(vqa.ci95[0]).toBeLessThan(0);
    expect(vqa.ci95[1]).toBeGreaterThan(0.06);
    expect(vqa.verdict).toBe('no-significant-change');
    const slake = body.benchmarks.find((b) => b.id === 'slake')!;
    expect(slake).toMatchObject({ diff: 0, pValue: 1, pAdjusted: 1, counts: { baseOnly: 0, headOnly: 0 } });
    // group "reasoning" = items i % 3 === 0: losses {0}, wins {3, 6, 9}
    const reasoning = vqa.groups.find((g) => g.value === 'reasoning')!;
    expect(reasoning.counts.baseOnly).toBe(1);
    expect(reasoning.counts.headOnly).toBe(3);
    expect(reasoning.pValue).toBeCloseTo((2 * (1 + 4)) / 16, 12);
    expect(body.verdict).toBe('no-significant-change');
  });

  it('significant wins and losses give better/worse; the margin keeps a small significant drop neutral', async () => {
    const base = await upload({ commit: '3'.repeat(40), correct: (i) => i < 60 });
    const head = await upload({ commit: '4'.repeat(40), correct: (i) => i < 30 });
    const worse = CompareResult.parse(await (await call(`/api/v1/compare?base=${base}&head=${head}`)).json());
    expect(worse.benchmarks[0]!.pValue).toBeCloseTo(2 / 2 ** 30, 15);
    expect(worse.verdict).toBe('worse');
    const better = CompareResult.parse(await (await call(`/api/v1/compare?base=${head}&head=${base}`)).json());
    expect(better.verdict).toBe('better');
    const lenient = CompareResult.parse(await (await call(`/api/v1/compare?base=${base}&head=${head}&margin=0.5`)).json());
    expect(lenient.verdict).toBe('no-significant-change');
  });

  it('different fingerprints → 422 naming the benchmark and both fingerprints', async () => {
    const base = await upload({ commit: '5'.repeat(40), benchmarks: ['pathvqa'] });
    const head = await upload({ commit: '6'.repeat(40), benchmarks: ['pathvqa'], fingerprint: 'e'.repeat(64) });
    const res = await call(`/api/v1/compare?base=${base}&head=${head}`);
    expect(res.status).toBe(422);
    expect(await json(res)).toMatchObject({ error: { code: 'fingerprint_mismatch',
      details: { benchmark: 'pathvqa', base: fingerprintOf('pathvqa'), head: 'e'.repeat(64) } } });
  });

  it('validates its query and 404s unknown runs', async () => {
    const bad = await call('/api/v1/compare?base=zz&head=0000000000000000&alpha=2');
    expect(bad.status).toBe(400);
    const paths = (await json(bad)).error.details.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['base', 'alpha']));
    expect((await call('/api/v1/compare?base=0000000000000000&head=0000000000000001')).status).toBe(404);
  });
});

describe('GET /api/v1/leaderboard', () => {
  it('ranks the latest run per (repository, model) among one fingerprint, with rank ranges and the chance row', async () => {
    const bench = { benchmarks: ['mmmu-med' as const], n: 400 };
    await upload({ ...bench, repository: 'lab/one', model: 'alpha', commit: 'a'.repeat(40), correct: (i) => i % 10 < 3,
      startedAt: '2026-11-01T00:00:00.000Z' });
    await upload({ ...bench, repository: 'lab/one', model: 'alpha', commit: 'b'.repeat(40), correct: (i) => i % 10 < 8,
      startedAt: '2026-11-02T00:00:00.000Z' });
    await upload({ ...bench, repository: 'lab/two', model: 'beta', commit: 'c'.repeat(40), correct: (i) => i % 100 < 79 });
    await upload({ ...bench, repository: 'lab/three', model: 'gamma', commit: 'd'.repeat(40), correct: (i) => i % 10 < 5 });
    await upload({ ...bench, repository: 'lab/four', model: 'delta', commit: 'e'.repeat(40), fingerprint: '1'.repeat(64) });
    const board = await json(await call('/api/v1/leaderboard?benchmark=mmmu-med'));
    expect(board.fingerprint).toBe(fingerprintOf('mmmu-med'));
    expect(board.otherFingerprints).toEqual([{ fingerprint: '1'.repeat(64), entries: 1 }]);
    expect(board.entries.map((e: { repository: string }) => e.repository)).toEqual(['lab/one', 'lab/two', 'lab/three']);
    expect(board.entries[0].value).toBeCloseTo(0.8, 12); // the newer alpha run, not the 0.3 one
    expect(board.entries.map((e: { rank: object }) => e.rank)).toEqual([
      { best: 1, worst: 2 }, { best: 1, worst: 2 }, { best: 3, worst: 3 }]);
    expect(board.chance).toBe(0.5);
    const other = await json(await call(`/api/v1/leaderboard?benchmark=mmmu-med&fingerprint=${'1'.repeat(64)}`));
    expect(other.entries.map((e: { repository: string }) => e.repository)).toEqual(['lab/four']);
    expect((await call('/api/v1/leaderboard?benchmark=unknown')).status).toBe(400);
  });

  it('picks each (repository, model)\'s latest non-PR run first, then the fingerprint: an old run never stands in', async () => {
    const bench = { benchmarks: ['medframeqa' as const], n: 100 };
    const F2 = 'f'.repeat(64); // sorts after the default fingerprint: one entry each, ties go by fingerprint
    await upload({ ...bench, repository: 'lab/moved', model: 'm', commit: '1'.repeat(40), correct: (i) => i < 90 });
    await upload({ ...bench, repository: 'lab/moved', model: 'm', commit: '2'.repeat(40), fingerprint: F2 });
    await upload({ ...bench, repository: 'lab/steady', model: 'm', commit: '3'.repeat(40), correct: (i) => i < 40 });
    // a newer pull-request run (prNumber from its ref) must not represent lab/steady
    await upload({ ...bench, repository: 'lab/steady', model: 'm', commit: '4'.repeat(40), ref: 'refs/pull/3/merge', correct: () => true });
    const board = await json(await call('/api/v1/leaderboard?benchmark=medframeqa'));
    expect(board.fingerprint).toBe(fingerprintOf('medframeqa'));
    expect(board.entries.map((e: { repository: string; value: number }) => [e.repository, e.value])).toEqual([['lab/steady', 0.4]]);
    expect(board.otherFingerprints).toEqual([{ fingerprint: F2, entries: 1 }]);
    const moved = await json(await call(`/api/v1/leaderboard?benchmark=medframeqa&fingerprint=${F2}`));
    expect(moved.entries.map((e: { repository: string }) => e.repository)).toEqual(['lab/moved']);
  });
});
