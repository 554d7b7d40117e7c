/**
 * Caching and private pages. Public deployment: badges and charts `public, no-cache` + ETag (GitHub's image proxy
 * revalidates), pages `public, max-age=60`. Private deployment: every gated answer — page, API, badge, chart — is
 * `private, no-cache` with `Vary: Authorization`; a browser refused a page gets an HTML page saying what access is
 * needed (401/403), the API keeps its JSON envelope; JSON answers carry `nosniff`.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { makeRun } from '../../helpers/run-fixture.js';
import { call, createApiToken, postRun } from '../support.js';

const PRIVATE = { PRIVATE_READS: 'true' };
let reader: string;
let outsider: string;
beforeAll(async () => {
  const writer = await createApiToken(['cachey/*']);
  expect((await postRun(makeRun({ repository: 'cachey/repo', commit: 'c'.repeat(40) }), writer)).status).toBe(201);
  reader = await createApiToken(['cachey/repo']);
  outsider = await createApiToken(['someone/else']);
});

const auth = (token: string, extra: Record<string, string> = {}) => ({ headers: { authorization: `Bearer ${token}`, ...extra } });
const BROWSER = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };
const varyAuth = (res: Response) => (res.headers.get('vary') ?? '').toLowerCase().split(/\s*,\s*/).includes('authorization');

describe('public deployment', () => {
  it.each(['/badge/cachey/repo.svg', '/badge/cachey/repo.json', '/chart/cachey/repo.svg'])('%s: public, no-cache + ETag; 304 on revalidation', async (path) => {
    const res = await call(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, no-cache');
    const etag = res.headers.get('etag');
    expect(etag).toMatch(/^"[0-9a-f]{24}"$/);
    const again = await call(path, { headers: { 'if-none-match': etag! } });
    expect(again.status).toBe(304);
    expect(again.headers.get('cache-control')).toBe('public, no-cache');
    expect(varyAuth(res)).toBe(false);
  });

  it('pages stay public for a minute; API JSON has nosniff', async () => {
    expect((await call('/cachey/repo')).headers.get('cache-control')).toBe('public, max-age=60');
    const api = await call('/api/v1/repos/cachey/repo/runs');
    expect(api.headers.get('x-content-type-options')).toBe('nosniff');
    const err = await call('/api/v1/runs/0000000000000000');
    expect(err.status).toBe(404);
    expect(err.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('private deployment', () => {
  it.each(['/cachey/repo', '/', '/api/v1/repos/cachey/repo/runs', '/badge/cachey/repo.svg', '/chart/cachey/repo.svg'])(
    '%s with a reader token: private, no-cache + Vary: Authorization', async (path) => {
      const res = await call(path, auth(reader), PRIVATE);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('private, no-cache');
      expect(varyAuth(res)).toBe(true);
    });

  it('the grey "private" badge for an anonymous caller is private too (the same URL answers differently with a token)', async () => {
    const res = await call('/badge/cachey/repo.svg', {}, PRIVATE);
    expect(await res.text()).toContain('private');
    expect(res.headers.get('cache-control')).toBe('private, no-cache');
    expect(varyAuth(res)).toBe(true);
  });

  it('PUBLIC_BADGES keeps badges public (no-cache + ETag)', async () => {
    const res = await call('/badge/cachey/repo.svg', {}, { ...PRIVATE, PUBLIC_BADGES: 'true' });
    expect(res.headers.get('cache-control')).toBe('public, no-cache');
  });

  it('a browser without a token gets an HTML 401 page that says what access is needed', async () => {
    const res = await call('/cachey/repo', { headers: BROWSER }, PRIVATE);
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(res.headers.get('cache-control')).toBe('private, no-cache');
    const page = await res.text();
    expect(page).toContain('<h1>Sign-in needed</h1>');
    expect(page).toContain('API token');
    expect(page).toContain('Authorization: Bearer');
  });

  it('a token that does not cover the repository gets an HTML 403 naming it; run and compare pages too', async () => {
    const res = await call('/cachey/repo', auth(outsider, BROWSER), PRIVATE);
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const page = await res.text();
    expect(page).toContain('<h1>No access</h1>');
    expect(page).toContain('cachey/repo');
    for (const path of ['/cachey/repo/compare/cccccccc...cccccccc', '/']) {
      const r = await call(path, { headers: BROWSER }, PRIVATE);
      expect(r.status).toBe(401);
      expect(r.headers.get('content-type')).toMatch(/^text\/html/);
    }
  });

  it('the API still answers the JSON envelope (with nosniff)', async () => {
    const res = await call('/api/v1/repos/cachey/repo/runs', { headers: BROWSER }, PRIVATE);
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await res.json() as { error: { code: string } }).error.code).toBe('unauthenticated');
  });
});
