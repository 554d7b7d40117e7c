import { exports, env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { ingestRun } from '../../worker/src/ingest.js';
import type { RunResult } from '../../schemas/results.js';
import { makeRun } from '../helpers/run-fixture.js';

const T0 = Date.UTC(2026, 10, 1);
const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
const accuracy = (run: RunResult, id: string) => run.benchmarks.find((b) => b.id === id)!.metrics[0]!.value;
const meanOf = (run: RunResult) => run.benchmarks.reduce((a, b) => a + b.metrics[0]!.value, 0) / run.benchmarks.length;

const old = makeRun({ repository: 'acme/vision', commit: '1'.repeat(40), model: 'model-old' });
const latest = makeRun({ repository: 'acme/vision', commit: '2'.repeat(40), model: 'model-a' });
const pr = makeRun({ repository: 'acme/vision', commit: '3'.repeat(40), ref: 'refs/pull/7/merge', prNumber: 7, model: 'model-pr' });
const onMaster = makeRun({ repository: 'acme/legacy', commit: '4'.repeat(40), ref: 'refs/heads/master', model: 'model-m' });

async function get(path: string, headers: Record<string, string> = {}) {
  return exports.default.fetch(new Request(`http://local${path}`, { headers }));
}

beforeAll(async () => {
  const who = { kind: 'anonymous' } as const;
  await ingestRun(env.DB, who, old, T0);
  await ingestRun(env.DB, who, latest, T0 + 1000);
  await ingestRun(env.DB, who, pr, T0 + 2000); // newer, but not on the default branch
  await ingestRun(env.DB, who, onMaster, T0);
});

describe('GET /badge/:owner/:repo.json', () => {
  it('defaults to the suite mean of the newest run on the default branch', async () => {
    const res = await get('/badge/acme/vision.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(await res.json()).toEqual({ schemaVersion: 1, label: 'medvlm-bench', message: pct(meanOf(latest)), color: expect.any(String) });
  });

  it('falls back to master when there is no main', async () => {
    expect((await (await get('/badge/acme/legacy.json')).json() as { message: string }).message).toBe(pct(meanOf(onMaster)));
  });

  it('selects a benchmark, a group, a ref and a model', async () => {
    const msg = async (q: string) => ((await (await get(`/badge/acme/vision.json${q}`)).json()) as { message: string; label: string });
    expect(await msg('?benchmark=slake')).toMatchObject({ message: pct(accuracy(latest, 'slake')), label: 'slake' });
    const reasoning = latest.benchmarks.find((b) => b.id === 'vqa-rad')!.groups.find((g) => g.value === 'reasoning')!;
    expect(await msg('?benchmark=vqa-rad&group=questionType:reasoning')).toMatchObject({
      message: pct(reasoning.metrics[0]!.value), label: 'vqa-rad · reasoning',
    });
    expect((await msg('?ref=refs/pull/7/merge')).message).toBe(pct(meanOf(pr)));
    expect((await msg('?model=model-old')).message).toBe(pct(meanOf(old)));
  });

  it('pools a group across benchmarks when no benchmark is given', async () => {
    const groups = latest.benchmarks.map((b) => b.groups.find((g) => g.value === 'reasoning')!);
    const k = groups.reduce((a, g) => a + Math.round(g.metrics[0]!.value * g.n), 0);
    const n = groups.reduce((a, g) => a + g.n, 0);
    const body = await (await get('/badge/acme/vision.json?group=reasoning')).json() as { message: string };
    expect(body.message).toBe(pct(k / n));
  });

  it.each([
    '/badge/nobody/nothing.json', '/badge/acme/vision.json?benchmark=pathvqa', '/badge/acme/vision.json?ref=develop',
    `/badge/acme/vision.json?model=${'x'.repeat(300)}`, '/badge/acme/vision.json?group=nope',
  ])('answers 200 "no data" in grey for %s', async (path) => {
    const res = await get(path);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ message: 'no data', color: 'lightgrey' });
  });
});

describe('GET /badge/:owner/:repo.svg', () => {
  it('renders an SVG badge with a short cache and an ETag', async () => {
    const res = await get('/badge/acme/vision.svg');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('public, no-cache');
    expect(res.headers.get('etag')).toMatch(/^"[0-9a-f]{24}"$/);
    const svg = await res.text();
    expect(svg).toContain(pct(meanOf(latest)));
  });

  it('answers 304 without a body when If-None-Match matches, 200 when it does not', async () => {
    const etag = (await get('/badge/acme/vision.svg?benchmark=slake')).headers.get('etag')!;
    const hit = await get('/badge/acme/vision.svg?benchmark=slake', { 'If-None-Match': `W/${etag}, "other"` });
    expect(hit.status).toBe(304);
    expect(await hit.text()).toBe('');
    expect(hit.headers.get('etag')).toBe(etag);
    const miss = await get('/badge/acme/vision.svg?benchmark=vqa-rad', { 'If-None-Match': etag });
    expect(miss.status).toBe(200);
  });

  it('escapes a malicious label and honours the style', async () => {
    const label = encodeURIComponent('<script>alert(1)</script>');
    const svg = await (await get(`/badge/acme/vision.svg?label=${label}&style=for-the-badge`)).text();
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;SCRIPT&gt;'); // for-the-badge upper-cases
    expect(svg).toMatch(/height="28"/);
  });

  it('never 404s for missing data, even for an invalid owner', async () => {
    const res = await get('/badge/bad%20owner/x.svg');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('no data');
  });
});

describe('default branch', () => {
  it('follows the branch pull requests target (here "develop"), not main, once a PR run names it', async () => {
    const who = { kind: 'anonymous' } as const;
    const develop = makeRun({ repository: 'acme/trunk', commit: '6'.repeat(40), ref: 'refs/heads/develop', correct: (i) => i % 2 === 0 });
    const stale = makeRun({ repository: 'acme/trunk', commit: '7'.repeat(40), ref: 'refs/heads/main', correct: (i) => i % 5 === 0 });
    await ingestRun(env.DB, who, develop, T0);
    await ingestRun(env.DB, who, stale, T0 + 1000);
    const msg = async () => ((await (await get('/badge/acme/trunk.json')).json()) as { message: string }).message;
    expect(await msg()).toBe(pct(meanOf(stale))); // unknown yet: main/master
    const pr = makeRun({ repository: 'acme/trunk', commit: '8'.repeat(40), ref: 'refs/pull/4/merge', model: 'model-pr' });
    pr.identity.baseRef = 'develop';
    await ingestRun(env.DB, who, pr, T0 + 2000);
    const { invalidateReads } = await import('../../worker/src/read-cache.js');
    invalidateReads();
    expect(await msg()).toBe(pct(meanOf(develop)));
  });
});

describe('freshness', () => {
  it('shows a new upload at once although badge reads are memoised', async () => {
    const { app } = await import('../../worker/src/index.js');
    const before = (await (await get('/badge/acme/fresh.json')).json()) as { message: string };
    expect(before.message).toBe('no data');
    const run = makeRun({ repository: 'acme/fresh', commit: '5'.repeat(40), model: 'model-f', correct: (i) => i % 4 === 0 });
    const upload = await app.request('/api/v1/runs', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(run),
    }, { ...env, ALLOW_UNAUTHENTICATED_UPLOADS: 'true' });
    expect(upload.status).toBe(201);
    const after = (await (await get('/badge/acme/fresh.json')).json()) as { message: string; color: string };
    expect(after).toMatchObject({ message: pct(meanOf(run)), color: 'red' });
  });
});
