/**
 * The run page (/:owner/:repo/runs/:id) and "Recent runs" on the repository page, on workerd + local D1 with runs
 * stored by ingestRun. Expected figures come from the fixture's own outcome rule (i % 10 < 6 → 60.0%), not from
 * the worker. Recent runs: a main run is compared with the previous main run, never with a PR run in between.
 */
import { exports, env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../schemas/results.js';
import { ingestRun } from '../../worker/src/ingest.js';
import { fingerprintOf, makeRun, splitIntoShards } from '../helpers/run-fixture.js';
import { call } from './support.js';

const T0 = Date.UTC(2026, 10, 5);
const REPO = 'acme/runpage';
const ids: Record<string, string> = {};
const mainRun = (commit: string, correct: (i: number) => boolean) => makeRun({ repository: REPO, commit, model: 'model-a', correct, n: 200 });
const prRun: RunResult = (() => {
  const r = makeRun({ repository: REPO, commit: 'b'.repeat(40), ref: 'refs/pull/3/merge', prNumber: 3, model: 'model-a', correct: (i) => i % 10 < 2 });
  return { ...r, identity: { ...r.identity, baseRef: 'main' } };
})();

async function page(path: string) {
  const res = await exports.default.fetch(new Request(`http://local${path}`));
  return { res, html: await res.text() };
}

beforeAll(async () => {
  const who = { kind: 'anonymous' } as const;
  ids.base = (await ingestRun(env.DB, who, mainRun('a'.repeat(40), (i) => i % 10 < 6), T0)).id;
  ids.pr = (await ingestRun(env.DB, who, prRun, T0 + 1000)).id;
  ids.head = (await ingestRun(env.DB, who, mainRun('c'.repeat(40), (i) => i % 10 < 7), T0 + 2000)).id;
  const [s0] = splitIntoShards(makeRun({ repository: REPO, commit: 'd'.repeat(40), n: 40 }), 3, 'runpage-shards');
  ids.incomplete = (await ingestRun(env.DB, who, s0!, T0 + 3000)).id;
  ids.other = (await ingestRun(env.DB, who, makeRun({ repository: 'acme/elsewhere', commit: 'e'.repeat(40) }), T0 + 4000)).id;
});

describe('GET /:owner/:repo/runs/:id', () => {
  it('shows identity, model, protocol, per-benchmark scores with n and interval, counts and fingerprints', async () => {
    const { res, html } = await page(`/${REPO}/runs/${ids.base}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html).toContain('a'.repeat(40)); // full commit
    expect(html).toContain('model-a');
    expect(html).toContain('paper protocol');
    expect(html).toContain('VQA-RAD');
    expect(html).toContain('60.0%'); // 120 of 200
    expect(html).toMatch(/<td class="num">200<\/td>/); // n
    expect(html).toContain(fingerprintOf('vqa-rad')); // full fingerprint
    expect(html).toContain(fingerprintOf('slake'));
    expect(html).toContain('temperature 0');
    expect(html).toContain('Unparsed');
    expect(html).toContain(`href="/api/v1/runs/${ids.base}"`);
  });

  it('links a main run to the previous main run (not the PR run uploaded in between)', async () => {
    const { html } = await page(`/${REPO}/runs/${ids.head}`);
    expect(html).toContain('70.0%');
    expect(html).toContain(`href="/${REPO}/compare/${ids.base}...${ids.head}"`);
    expect(html).not.toContain(`compare/${ids.pr}...`);
  });

  it('links a PR run to the latest run of its base branch', async () => {
    const { html } = await page(`/${REPO}/runs/${ids.pr}`);
    expect(html).toContain('#3 into main');
    expect(html).toContain(`href="/${REPO}/compare/${ids.head}...${ids.pr}"`);
  });

  it('an incomplete sharded run says which shards are missing', async () => {
    const { res, html } = await page(`/${REPO}/runs/${ids.incomplete}`);
    expect(res.status).toBe(200);
    expect(html).toContain('Incomplete');
    expect(html).toContain('2 of 3');
    expect(html).toContain('(1, 2)');
  });

  it('unknown ids, malformed ids and runs of another repository are HTML 404s', async () => {
    for (const path of [`/${REPO}/runs/${'0'.repeat(16)}`, `/${REPO}/runs/nope`, `/${REPO}/runs/${ids.other}`]) {
      const { res, html } = await page(path);
      expect(res.status, path).toBe(404);
      expect(html).toContain('<h1>Not found</h1>');
    }
  });
});

describe('POST /api/v1/runs', () => {
  it('answers the run page address beside the JSON one', async () => {
    const res = await call('http://local/api/v1/runs', {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify(makeRun({ repository: REPO, commit: 'f'.repeat(40) })),
    }, { ALLOW_UNAUTHENTICATED_UPLOADS: 'true' });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { id: string; url: string; page: string };
    expect(body.url).toBe(`http://local/api/v1/runs/${body.id}`);
    expect(body.page).toBe(`http://local/${REPO}/runs/${body.id}`);
    expect((await page(new URL(body.page).pathname)).res.status).toBe(200);
  });
});

describe('Recent runs on the repository page', () => {
  it('compares each run with the previous complete run of its model on the same ref, and links the run page', async () => {
    const { html } = await page(`/${REPO}`);
    expect(html).toContain(`href="/${REPO}/compare/${ids.base}...${ids.head}"`);
    expect(html).not.toContain(`href="/${REPO}/compare/${ids.pr}...${ids.head}"`);
    // the PR run has no earlier run on refs/pull/3/merge: no compare link for it
    expect(html).not.toContain(`...${ids.pr}"`);
    expect(html).toContain(`href="/${REPO}/runs/${ids.head}"`);
  });
});
