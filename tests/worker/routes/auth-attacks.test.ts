/** The attack table: every forged, stale, misdirected or replayed upload is refused and writes no rows. */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestIssuer, hs256WithPublicKey, payloadOf, unsignedToken, type TestIssuer } from '../../helpers/oidc.js';
import { makeRun } from '../../helpers/run-fixture.js';
import { createApiToken, json, postRun, rowCounts, setupIssuer } from '../support.js';

let issuer: TestIssuer;
let vars: Record<string, string>;
const now = () => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  ({ issuer, vars } = await setupIssuer());
  // pins acme/vision to repository id 1001 / owner 2001, and provides the token that is replayed below
  const first = await postRun(makeRun({ commit: 'f'.repeat(40) }), replayable = await issuer.mint({ sha: 'f'.repeat(40) }), vars);
  expect(first.status).toBe(201);
});
let replayable = '';

const attacks: { name: string; token: () => Promise<string>; status: number; code: string }[] = [
  { name: 'bad signature (another key pair)', status: 401, code: 'invalid_token',
    token: async () => (await createTestIssuer(issuer.issuer)).mint() },
  { name: 'signature bytes tampered', status: 401, code: 'invalid_token',
    token: async () => { const t = await issuer.mint(); return `${t.slice(0, -6)}${t.slice(-6).split('').reverse().join('')}`; } },
  { name: 'alg none', status: 401, code: 'invalid_token',
    token: async () => unsignedToken(payloadOf(await issuer.mint())) },
  { name: 'HS256 signed with the public key', status: 401, code: 'invalid_token',
    token: async () => hs256WithPublicKey(issuer.publicJwk, payloadOf(await issuer.mint())) },
  { name: 'wrong audience', status: 401, code: 'invalid_token', token: () => issuer.mint({ aud: 'someone-else' }) },
  { name: 'wrong issuer', status: 401, code: 'invalid_token', token: () => issuer.mint({ iss: 'https://evil.test' }) },
  { name: 'expired', status: 401, code: 'invalid_token',
    token: () => issuer.mint({ iat: now() - 900, nbf: now() - 900, exp: now() - 600 }) },
  { name: 'not yet valid (nbf in the future)', status: 401, code: 'invalid_token',
    token: () => issuer.mint({ nbf: now() + 600, exp: now() + 900 }) },
  { name: 'issued too long ago (iat)', status: 401, code: 'invalid_token',
    token: () => issuer.mint({ iat: now() - 3 * 3600, exp: now() + 300 }) },
  { name: 'no jti', status: 401, code: 'invalid_token', token: () => issuer.mint({ jti: undefined }) },
  { name: "another repository's token", status: 403, code: 'repository_mismatch',
    token: () => issuer.mint({ repository: 'mallory/vision', repository_id: '666', repository_owner_id: '667' }) },
  { name: 'replayed jti', status: 401, code: 'token_replayed', token: async () => replayable },
  { name: 'renamed/re-created repository with a different id', status: 403, code: 'repository_id_mismatch',
    token: () => issuer.mint({ repository_id: '9999' }) },
  { name: 'same repository id, different owner id', status: 403, code: 'repository_id_mismatch',
    token: () => issuer.mint({ repository_owner_id: '9998' }) },
  { name: 'token sha ≠ run commit (a token of another workflow run)', status: 403, code: 'identity_mismatch',
    token: () => issuer.mint({ sha: 'a'.repeat(40) }) },
  { name: 'PR token claiming refs/heads/main', status: 403, code: 'identity_mismatch',
    token: () => issuer.mint({ sha: 'e'.repeat(40), ref: 'refs/pull/7/merge',
      workflow_ref: 'acme/vision/.github/workflows/bench.yml@refs/pull/7/merge' }) },
  { name: 'garbage', status: 401, code: 'invalid_token', token: async () => 'not.a.jwt' },
  { name: 'unknown API token', status: 401, code: 'invalid_token', token: async () => 'mvb_0123456789abcdef' },
];

describe('upload attack table', () => {
  it.each(attacks)('$name → $status $code, no rows written', async ({ token, status, code }) => {
    const before = await rowCounts();
    const res = await postRun(makeRun({ commit: 'e'.repeat(40) }), await token(), vars);
    expect(res.status).toBe(status);
    expect((await json(res)).error.code).toBe(code);
    expect(await rowCounts()).toEqual(before);
  });

  it('allow-lists refuse owners and repositories not listed', async () => {
    const before = await rowCounts();
    const owners = await postRun(makeRun({ commit: 'd'.repeat(40) }), await issuer.mint(), { ...vars, ALLOWED_OWNERS: 'other' });
    expect((await json(owners)).error.code).toBe('owner_not_allowed');
    const repos = await postRun(makeRun({ commit: 'd'.repeat(40) }), await issuer.mint(), { ...vars, ALLOWED_REPOS: 'acme/other' });
    expect((await json(repos)).error.code).toBe('repository_not_allowed');
    expect(await rowCounts()).toEqual(before);
  });

  it('a revoked API token is refused', async () => {
    const token = await createApiToken(['acme/vision']);
    await env.DB.prepare('UPDATE api_tokens SET revoked_at = ?').bind(Date.now()).run();
    const res = await postRun(makeRun({ commit: 'd'.repeat(40) }), token, vars);
    expect(res.status).toBe(401);
  });

  it('the legitimate token for the pinned repository still works', async () => {
    const res = await postRun(makeRun({ commit: 'c'.repeat(40) }), await issuer.mint({ sha: 'c'.repeat(40) }), vars);
    expect(res.status).toBe(201);
  });
});
