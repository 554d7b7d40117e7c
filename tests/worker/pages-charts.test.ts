import { exports, env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { ingestRun } from '../../worker/src/ingest.js';
import { makeRun } from '../helpers/run-fixture.js';

const T0 = Date.UTC(2026, 10, 1);
const sha = (i: number) => i.toString(16).padStart(2, '0').repeat(20);
// four runs of model-a on main (different outcome seeds per commit), one of model-b, one PR run
const mainRuns = [0, 1, 2, 3].map((i) => makeRun({
  repository: 'acme/chart', commit: sha(i), model: 'model-a', correct: (k) => (k * (i + 3)) % 10 < 5 + i,
}));

async function chart(path: string) {
  const res = await exports.default.fetch(new Request(`http://local${path}`));
  return { res, svg: await res.text() };
}
const circles = (svg: string) => (svg.match(/<circle /g) ?? []).length;

beforeAll(async () => {
  const who = { kind: 'anonymous' } as const;
  for (const [i, run] of mainRuns.entries()) await ingestRun(env.DB, who, run, T0 + i * 1000);
  await ingestRun(env.DB, who, makeRun({ repository: 'acme/chart', commit: sha(9), model: 'model-b' }), T0 + 500);
  await ingestRun(env.DB, who, makeRun({ repository: 'acme/chart', commit: sha(8), model: 'model-a', ref: 'refs/pull/3/merge', prNumber: 3 }), T0 + 9000);
});

describe('GET /chart/:owner/:repo.svg', () => {
  it('plots the default branch history of the latest model, oldest first, with a band', async () => {
    const { res, svg } = await chart('/chart/acme/chart.svg?benchmark=vqa-rad');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('public, no-cache');
    expect(circles(svg)).toBe(4); // model-b and the PR run are not on this line
    const labels = [...svg.matchAll(/<text class="mvb-x"[^>]*>([^<]+)</g)].map((m) => m[1]);
    expect(labels).toEqual([0, 1, 2, 3].map((i) => sha(i).slice(0, 7)));
    const acc = mainRuns.map((r) => r.benchmarks[0]!.metrics[0]!.value);
    for (const a of acc) expect(svg).toContain(`${(a * 100).toFixed(1)}% (95% CI`);
    expect(svg).toContain('<polygon class="mvb-band"');
    expect(svg).toContain('model-a on main');
  });

  it('revalidates with ETag: 304 when unchanged', async () => {
    const { res } = await chart('/chart/acme/chart.svg?benchmark=slake');
    const again = await exports.default.fetch(new Request('http://local/chart/acme/chart.svg?benchmark=slake', {
      headers: { 'If-None-Match': res.headers.get('etag')! },
    }));
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
  });

  it('follows model and ref filters', async () => {
    expect(circles((await chart('/chart/acme/chart.svg?benchmark=vqa-rad&model=model-b')).svg)).toBe(1);
    expect(circles((await chart('/chart/acme/chart.svg?benchmark=slake&ref=refs/pull/3/merge')).svg)).toBe(1);
  });

  it('plots the suite mean without a benchmark', async () => {
    const { svg } = await chart('/chart/acme/chart.svg');
    expect(circles(svg)).toBe(4);
    expect(svg).toContain('suite mean · accuracy');
    expect(svg).not.toContain('mvb-band"');
  });

  it.each(['/chart/nobody/none.svg?benchmark=vqa-rad', '/chart/acme/chart.svg?benchmark=pathvqa', '/chart/bad%20owner/x.svg'])(
    'answers 200 with a "no data" chart for %s', async (path) => {
      const { res, svg } = await chart(path);
      expect(res.status).toBe(200);
      expect(svg).toContain('>no data<');
    });
});
