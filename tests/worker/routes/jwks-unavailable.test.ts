/**
 * A key set that cannot be fetched says nothing about the token: the upload answers a retryable 503
 * `jwks_unavailable` (not 401) and writes nothing; a token whose key id is not in a reachable set stays a 401.
 * The unreachable set is a real loopback port nobody listens on.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestIssuer, TEST_ISSUER, type TestIssuer } from '../../helpers/oidc.js';
import { makeRun } from '../../helpers/run-fixture.js';
import { json, postRun, rowCounts } from '../support.js';

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await createTestIssuer(TEST_ISSUER);
});

describe('OIDC key set unavailable', () => {
  it('unreachable JWKS URL → 503 jwks_unavailable naming the URL, no row', async () => {
    const vars = { OIDC_ISSUER: TEST_ISSUER, OIDC_JWKS_URL: 'http://127.0.0.1:1/jwks', ALLOWED_OWNERS: 'acme' };
    const before = await rowCounts();
    const res = await postRun(makeRun({ commit: 'a'.repeat(40) }), await issuer.mint(), vars);
    expect(res.status).toBe(503);
    const err = (await json(res)).error;
    expect(err.code).toBe('jwks_unavailable');
    expect(err.message).toContain('http://127.0.0.1:1/jwks');
    expect(await rowCounts()).toEqual(before);
  });

  it('an unknown key id against an inline key set is still the token\'s fault: 401', async () => {
    const vars = { OIDC_ISSUER: TEST_ISSUER, OIDC_JWKS: JSON.stringify(issuer.jwks), ALLOWED_OWNERS: 'acme' };
    const res = await postRun(makeRun({ commit: 'a'.repeat(40) }), await issuer.mint({}, { kid: 'other-key' }), vars);
    expect(res.status).toBe(401);
    expect((await json(res)).error.code).toBe('invalid_token');
  });
});
