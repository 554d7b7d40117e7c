/**
 * Secure by default: GitHub OIDC uploads are refused until ALLOWED_OWNERS / ALLOWED_REPOS is set (with an error that
 * says how), API-token and local anonymous uploads are unaffected; uploads per repository are limited by the
 * rate-limiting binding (a real workerd ratelimit binding, 30 a minute as in wrangler.jsonc) with 429 + Retry-After.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { app } from '../../../worker/src/index.js';
import { makeRun } from '../../helpers/run-fixture.js';
import type { TestIssuer } from '../../helpers/oidc.js';
import { createApiToken, json, postRun, rowCounts, setupIssuer } from '../support.js';

let issuer: TestIssuer;
let oidcVars: Record<string, string>;
beforeAll(async () => {
  ({ issuer, vars: oidcVars } = await setupIssuer());
});

describe('OIDC uploads need an allow-list', () => {
  it('no ALLOWED_OWNERS / ALLOWED_REPOS → 403 allow_list_required naming both settings and where to set them; no row', async () => {
    const { ALLOWED_OWNERS: _o, ALLOWED_REPOS: _r, ...bare } = oidcVars;
    const before = await rowCounts();
    const res = await postRun(makeRun({ commit: 'a'.repeat(40) }), await issuer.mint(), bare);
    expect(res.status).toBe(403);
    const err = (await json(res)).error;
    expect(err.code).toBe('allow_list_required');
    for (const s of ['ALLOWED_OWNERS', 'ALLOWED_REPOS', 'wrangler.jsonc', 'wrangler secret put', '"acme"']) expect(err.message).toContain(s);
    expect(await rowCounts()).toEqual(before);
  });

  it('the same token is accepted once ALLOWED_OWNERS or ALLOWED_REPOS admits it', async () => {
    const owners = await postRun(makeRun({ commit: 'b'.repeat(40) }), await issuer.mint({ sha: 'b'.repeat(40) }), { ...oidcVars, ALLOWED_OWNERS: 'acme' });
    expect(owners.status).toBe(201);
    const repos = await postRun(makeRun({ commit: 'c'.repeat(40) }), await issuer.mint({ sha: 'c'.repeat(40) }), { ...oidcVars, ALLOWED_REPOS: 'acme/vision' });
    expect(repos.status).toBe(201);
  });

  it('API tokens and local anonymous uploads need no allow-list', async () => {
    const token = await createApiToken(['acme/*']);
    expect((await postRun(makeRun({ commit: 'd'.repeat(40) }), token)).status).toBe(201);
    expect((await postRun(makeRun({ commit: 'e'.repeat(40) }), null, { ALLOW_UNAUTHENTICATED_UPLOADS: 'true' })).status).toBe(201);
  });
});

describe('per-repository upload limit (ratelimit binding)', () => {
  const strict = (body: unknown, token: string | null, vars: Record<string, string> = {}) => app.request('/api/v1/runs', {
    method: 'POST', body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
  }, { ...env, ...vars, UPLOAD_LIMITER: env.STRICT_UPLOAD_LIMITER });

  it('30 uploads a minute per repository; the 31st is 429 rate_limited with Retry-After and writes nothing', async () => {
    const token = await createApiToken(['limits/*']);
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      statuses.push((await strict(makeRun({ repository: 'limits/busy', commit: i.toString(16).padStart(40, '0') }), token)).status);
    }
    expect(statuses).toEqual(new Array(30).fill(201));
    const before = await rowCounts();
    const over = await strict(makeRun({ repository: 'limits/busy', commit: 'f'.repeat(40) }), token);
    expect(over.status).toBe(429);
    expect(over.headers.get('retry-after')).toBe('60');
    const err = (await json(over)).error;
    expect(err.code).toBe('rate_limited');
    expect(err.message).toContain('limits/busy');
    expect(await rowCounts()).toEqual(before);
    // another repository has its own budget; the key ignores case like repository names do
    expect((await strict(makeRun({ repository: 'limits/quiet', commit: 'f'.repeat(40) }), token)).status).toBe(201);
    expect((await strict(makeRun({ repository: 'Limits/Busy', commit: 'e'.repeat(40) }), token)).status).toBe(429);
  });

  it('refused uploads (400) do not use up the budget; anonymous local uploads are not limited', async () => {
    const token = await createApiToken(['limits2/*']);
    for (let i = 0; i < 40; i++) expect((await strict({ not: 'a run' }, token)).status).toBe(400);
    expect((await strict(makeRun({ repository: 'limits2/a', commit: '1'.repeat(40) }), token)).status).toBe(201);
    for (let i = 0; i < 35; i++) {
      const res = await strict(makeRun({ repository: 'limits2/open', commit: i.toString(16).padStart(40, '0') }), null,
        { ALLOW_UNAUTHENTICATED_UPLOADS: 'true' });
      expect(res.status).toBe(201);
    }
  });
});
