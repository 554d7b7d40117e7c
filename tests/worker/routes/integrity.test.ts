/**
 * Upload integrity: figures that contradict the outcome bits are refused, the OIDC token's commit/ref fill or bind
 * the run's identity, re-runs and per-benchmark jobs get their own run, and refused uploads write nothing.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { packBits } from '../../../schemas/bitset.js';
import { wilson } from '../../../schemas/stats.js';
import type { TestIssuer } from '../../helpers/oidc.js';
import { makeRun } from '../../helpers/run-fixture.js';
import { call, createApiToken, json, postRun, rowCounts, setupIssuer } from '../support.js';

let issuer: TestIssuer;
let vars: Record<string, string>;
let token: string;
beforeAll(async () => {
  ({ issuer, vars } = await setupIssuer());
  token = await createApiToken(['acme/*', 'fresh/*']);
});
const sha = (c: string) => c.repeat(40);

describe('uploaded figures must agree with the outcome bits', () => {
  const cases: [string, (r: ReturnType<typeof makeRun>) => void, string, RegExp][] = [
    ['a forged benchmark accuracy', (r) => { r.benchmarks[0]!.metrics[0]!.value = 0.99; },
      'benchmarks[0].metrics[0].value', /^vqa-rad: accuracy value claims 0\.99 but the outcome bits give 0\.\d+/],
    ['a forged accuracy n', (r) => { r.benchmarks[1]!.metrics[0]!.n = 10; },
      'benchmarks[1].metrics[0].n', /^slake: accuracy n claims 10 but the outcome bits give 200/],
    ['a forged interval', (r) => { r.benchmarks[0]!.metrics[0]!.ci95 = [0.1, 0.9]; },
      'benchmarks[0].metrics[0].ci95', /ci95 claims \[0\.1,0\.9\]/],
    ['a forged group accuracy', (r) => { r.benchmarks[0]!.groups[0]!.metrics[0]!.value = 1; },
      'benchmarks[0].groups[0].metrics[0].value', /group questionType=reasoning accuracy value claims 1 but/],
    ['a group n that is not its member count', (r) => { r.benchmarks[0]!.groups[1]!.n = 5; },
      'benchmarks[0].groups[1].n', /group questionType=understanding n claims 5 but its members bitset holds 133/],
    ['counts.unparsed vs the unparsed bits', (r) => { r.benchmarks[0]!.counts.unparsed = 3; },
      'benchmarks[0].counts.unparsed', /^vqa-rad: counts.unparsed claims 3 but the outcome bits give 0/],
    ['unparsed bits the counts leave out', (r) => { r.benchmarks[0]!.outcomes.unparsed = packBits(Array.from({ length: 200 }, (_, i) => i < 4)); },
      'benchmarks[0].counts.unparsed', /claims 0 but the outcome bits give 4/],
  ];
  it.each(cases)('%s → 400 inconsistent_result naming benchmark, field, claimed and recomputed; no rows', async (_, forge, path, message) => {
    const run = makeRun({ repository: 'fresh/forged', commit: sha('1') });
    forge(run);
    const before = await rowCounts();
    const res = await postRun(run, token);
    expect(res.status).toBe(400);
    const err = (await json(res)).error;
    expect(err.code).toBe('inconsistent_result');
    expect(err.details.issues[0].path).toBe(path);
    expect(err.details.issues[0].message).toMatch(message);
    expect(await rowCounts()).toEqual(before);
  });

  it('accepts figures within rounding of the recomputed ones, and full-protocol accuracy over closed items only', async () => {
    const run = makeRun({ repository: 'acme/rounding', commit: sha('2'), benchmarks: ['vqa-rad'], n: 30, correct: (i) => i % 2 === 0 });
    const b = run.benchmarks[0]!;
    // items i % 3 === 0 are open-ended (graded); accuracy counts the other 20, of which 10 are correct
    b.outcomes.graded = { open_exact_match: Array.from({ length: 30 }, (_, i) => (i % 3 === 0 ? (i % 2 === 0 ? 1 : 0) : null)) };
    b.metrics = [
      { name: 'accuracy', value: 0.5 + 1e-12, n: 20, ci95: wilson(10, 20), higherIsBetter: true },
      { name: 'open_exact_match', value: 5 / 10, n: 10, ci95: wilson(5, 10), higherIsBetter: true },
    ];
    b.groups = [];
    expect((await postRun(run, token)).status).toBe(201);
    const wrong = structuredClone(run);
    wrong.identity.commit = sha('3');
    wrong.benchmarks[0]!.metrics[0]!.n = 30; // "all items": what a worker ignoring the open items would compute
    expect((await json(await postRun(wrong, token))).error.details.issues[0].message).toMatch(/accuracy n claims 30 but the outcome bits give 20/);
  });
});

describe('the OIDC token binds the run identity', () => {
  it('fills a missing commit, ref and run id from the token instead of storing nulls', async () => {
    const run = makeRun({ commit: null, ref: null });
    const res = await postRun(run, await issuer.mint({ sha: sha('9'), ref: 'refs/heads/main', run_id: '777' }), vars);
    expect(res.status).toBe(201);
    const got = await json(await call(`/api/v1/runs/${(await json(res)).id}`));
    expect(got).toMatchObject({ commit: sha('9'), ref: 'refs/heads/main', ghRunId: '777' });
    expect(got.result.identity).toMatchObject({ commit: sha('9'), ref: 'refs/heads/main', runId: '777' });
  });

  it('names both values when the run claims another commit or ref', async () => {
    const res = await postRun(makeRun({ commit: sha('8') }), await issuer.mint({ sha: sha('7') }), vars);
    expect(res.status).toBe(403);
    expect(await json(res)).toMatchObject({ error: { code: 'identity_mismatch',
      details: { field: 'identity.commit', run: sha('8'), token: sha('7') } } });
    const ref = await json(await postRun(makeRun({ commit: sha('8'), ref: 'main' }),
      await issuer.mint({ sha: sha('8'), ref: 'refs/heads/dev' }), vars));
    expect(ref.error.message).toContain('identity.ref is "main" but the OIDC token was issued for ref "refs/heads/dev"');
  });
});

describe('run keys: re-runs and per-benchmark jobs', () => {
  it('a new workflow run on the same commit is a new run; the same body again is 200 with the same id', async () => {
    const first = makeRun({ repository: 'acme/reruns', commit: sha('4') });
    first.identity.runId = '100';
    const second = { ...structuredClone(first), identity: { ...first.identity, runId: '101' },
      timing: { ...first.timing, startedAt: '2026-11-02T10:00:00.000Z', finishedAt: '2026-11-02T10:01:00.000Z' } };
    const a = await postRun(first, token);
    const b = await postRun(second, token);
    expect([a.status, b.status]).toEqual([201, 201]);
    const [ida, idb] = [(await json(a)).id, (await json(b)).id];
    expect(ida).not.toBe(idb);
    const again = await postRun(second, token);
    expect(again.status).toBe(200);
    expect((await json(again)).id).toBe(idb);
    // the baseline lookup for that commit finds the newest complete run
    expect((await json(await call(`/api/v1/repos/acme/reruns/latest?sha=${sha('4')}`))).id).toBe(idb);
    const changed = { ...second, timing: { ...second.timing, wallSeconds: 61 } };
    expect((await json(await postRun(changed, token))).error.code).toBe('run_conflict');
  });

  it('separate jobs uploading different benchmarks at one commit are separate runs', async () => {
    const vqa = makeRun({ repository: 'acme/split-jobs', commit: sha('5'), benchmarks: ['vqa-rad'] });
    const slake = makeRun({ repository: 'acme/split-jobs', commit: sha('5'), benchmarks: ['slake'] });
    const [a, b] = [await postRun(vqa, token), await postRun(slake, token)];
    expect([a.status, b.status]).toEqual([201, 201]);
    expect((await json(a)).id).not.toBe((await json(b)).id);
  });
});

describe('a refused upload writes nothing', () => {
  it('409, identity mismatch and replay leave every table (repositories, used_jti…) unchanged', async () => {
    const claims = { repository: 'acme/atomic', repository_id: '3001', sha: sha('6') };
    const run = makeRun({ repository: 'acme/atomic', commit: sha('6') });
    const used = await issuer.mint(claims);
    expect((await postRun(run, used, vars)).status).toBe(201);
    const before = await rowCounts();
    const conflict = await postRun(makeRun({ repository: 'acme/atomic', commit: sha('6'), correct: () => true }),
      await issuer.mint(claims), vars);
    expect(conflict.status).toBe(409);
    const replay = await postRun(makeRun({ repository: 'acme/atomic', commit: sha('6'), model: 'other' }), used, vars);
    expect((await json(replay)).error.code).toBe('token_replayed');
    const newRepo = await postRun(makeRun({ repository: 'acme/brand-new', commit: sha('6') }),
      await issuer.mint({ repository: 'acme/brand-new', repository_id: '3003', sha: sha('7') }), vars);
    expect(newRepo.status).toBe(403);
    expect(await rowCounts()).toEqual(before);
    const repo = await env.DB.prepare('SELECT COUNT(*) AS n FROM repositories WHERE full_name = ?').bind('acme/brand-new').first<{ n: number }>();
    expect(repo!.n).toBe(0);
  });
});
