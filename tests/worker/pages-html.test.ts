import { exports, env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { ingestRun } from '../../worker/src/ingest.js';
import { makeRun } from '../helpers/run-fixture.js';

const T0 = Date.UTC(2026, 10, 1);
const EVIL = '<img src=x onerror=alert(1)>';
const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
const base = makeRun({ repository: 'acme/vision', commit: 'a'.repeat(40), model: 'model-a', correct: (i) => i % 10 < 6 });
const head = makeRun({ repository: 'acme/vision', commit: 'b'.repeat(40), model: 'model-a', correct: (i) => i % 10 < 8 });
const other = makeRun({ repository: 'other/repo', commit: 'c'.repeat(40), model: EVIL, correct: (i) => i % 10 < 3 });
const ids: Record<string, string> = {};

async function page(path: string) {
  const res = await exports.default.fetch(new Request(`http://local${path}`));
  return { res, html: await res.text() };
}

beforeAll(async () => {
  const who = { kind: 'anonymous' } as const;
  ids.base = (await ingestRun(env.DB, who, base, T0)).id;
  ids.head = (await ingestRun(env.DB, who, head, T0 + 1000)).id;
  ids.other = (await ingestRun(env.DB, who, other, T0 + 2000)).id;
});

describe('GET / (leaderboard)', () => {
  it('ranks the latest run per repository and model with the chance row, escaping model names', async () => {
    const { res, html } = await page('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(html).toContain('VQA-RAD');
    expect(html).toContain(pct(0.8)); // head, latest of acme/vision
    expect(html).not.toContain(`>${pct(0.6)}<`); // base is superseded
    expect(html).toContain(pct(0.3));
    expect(html).toContain('<tr class="chance">');
    expect(html).not.toContain(EVIL);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    // 80% vs 30% on 200 items: intervals apart, so distinct ranks 1 and 2
    expect(html).toMatch(/<td class="num">1<\/td>\s*<th scope="row" class="name"><a href="\/acme\/vision">/);
  });

  it('filters by benchmark', async () => {
    const { html } = await page('/?benchmark=slake');
    expect(html).toContain('SLAKE');
    expect(html).not.toContain('VQA-RAD');
  });
});

describe('GET /:owner/:repo', () => {
  it('shows latest scores, the split, charts, recent runs and badge snippets', async () => {
    const { res, html } = await page('/acme/vision');
    expect(res.status).toBe(200);
    expect(html).toContain('<h1>acme/vision</h1>');
    expect(html).toContain(`model <strong>model-a</strong>`);
    expect(html).toContain(pct(0.8));
    expect(html).toContain('Understanding vs reasoning');
    expect((html.match(/<svg /g) ?? []).length).toBe(2); // one chart per benchmark
    expect(html).toContain(`href="/acme/vision/compare/${ids.base}...${ids.head}"`);
    expect(html).toContain('[![medvlm-bench](http://local/badge/acme/vision.svg)](http://local/acme/vision)');
  });

  it('answers a friendly 404 page for an unknown repository', async () => {
    const { res, html } = await page('/nobody/nothing');
    expect(res.status).toBe(404);
    expect(html).toContain('No results for the repository nobody/nothing.');
    expect(html).toContain('<a href="/">Back to the leaderboard</a>');
  });
});

describe('GET /:owner/:repo/compare/:base...:head', () => {
  it('compares two runs by id with deltas, p-values and verdicts', async () => {
    const { res, html } = await page(`/acme/vision/compare/${ids.base}...${ids.head}`);
    expect(res.status).toBe(200);
    expect(html).toContain('Compare aaaaaaa…bbbbbbb');
    expect(html).toContain('+20.0 pp'); // 80% − 60% on the same items
    expect(html).toContain('<span class="pill better">better</span>');
    expect(html).toContain('questionType:');
    expect(html).toContain('0 / 40'); // items 6,7 of every ten: won by head, none lost
  });

  it('accepts short commit shas', async () => {
    const { res, html } = await page('/acme/vision/compare/aaaaaaa...bbbbbbbbbb');
    expect(res.status).toBe(200);
    expect(html).toContain('+20.0 pp');
  });

  it.each([
    ['/acme/vision/compare/aaaaaaa...1234567', 'No complete run of acme/vision matches 1234567.'],
    ['/acme/vision/compare/nonsense', 'A comparison address looks like'],
    [`/acme/vision/compare/${'0'.repeat(16)}...bbbbbbb`, 'matches 0000000000000000'],
  ])('404s with an explanation for %s', async (path, text) => {
    const { res, html } = await page(path);
    expect(res.status).toBe(404);
    expect(html).toContain(text);
  });

  it('does not compare a run of another repository', async () => {
    const { res } = await page(`/acme/vision/compare/${ids.other}...${ids.head}`);
    expect(res.status).toBe(404);
  });
});

describe('page errors', () => {
  it('answers 400 for an over-long query value and 409 for a comparison with an incomplete run', async () => {
    const long = await page(`/acme/vision?model=${'m'.repeat(201)}`);
    expect(long.res.status).toBe(400);
    expect(long.html).toContain('The query parameter &quot;model&quot; is longer than 200 characters.');
    expect((await page(`/?benchmark=${'b'.repeat(300)}`)).res.status).toBe(400);
    const shard = { ...makeRun({ repository: 'acme/vision', commit: 'd'.repeat(40), model: 'model-a' }),
      shard: { runKey: 'half', shardIndex: 0, shardCount: 2 } };
    const pending = await ingestRun(env.DB, { kind: 'anonymous' }, shard, T0 + 3000);
    for (const path of [`/acme/vision/compare/${ids.base}...${pending.id}`, '/acme/vision/compare/aaaaaaa...ddddddd']) {
      const { res, html } = await page(path);
      expect(res.status, path).toBe(409);
      expect(html).toContain('still missing shards');
    }
  });
});

describe('PRIVATE_READS', () => {
  it('makes pages require a token like the API; badges and charts stay 200 images saying "private"', async () => {
    const { app } = await import('../../worker/src/index.js');
    const privateEnv = { ...env, PRIVATE_READS: 'true' };
    for (const path of ['/', '/acme/vision', `/acme/vision/compare/${ids.base}...${ids.head}`]) {
      const res = await app.request(path, {}, privateEnv);
      expect(res.status, path).toBe(401);
    }
    for (const path of ['/badge/acme/vision.svg', '/chart/acme/vision.svg']) {
      const res = await app.request(path, {}, privateEnv);
      expect(res.status, path).toBe(200);
      expect(await res.text(), path).toContain('private');
    }
    expect(await (await app.request('/badge/acme/vision.svg', {}, env)).text()).not.toContain('private');
  });
});
