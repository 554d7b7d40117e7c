/**
 * PRIVATE_READS=true: every read route enforces the token's rights — API token scope, the owner/repository
 * allow-lists, and for OIDC tokens the token's own owner (any public repository can mint a token with our
 * audience). Badges and charts answer a grey "private" image with status 200 unless PUBLIC_BADGES=true.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { TestIssuer } from '../../helpers/oidc.js';
import { makeRun } from '../../helpers/run-fixture.js';
import { call, createApiToken, json, postRun, setupIssuer } from '../support.js';

let issuer: TestIssuer;
let vars: Record<string, string>;
let priv: Record<string, string>;
let acmeRunId = '';
let labRunId = '';
const auth = (t: string) => ({ headers: { authorization: `Bearer ${t}` } });

beforeAll(async () => {
  ({ issuer, vars } = await setupIssuer());
  priv = { ...vars, PRIVATE_READS: 'true', ALLOWED_OWNERS: 'acme,lab,mallory' };
  const writer = await createApiToken(['acme/*', 'lab/*']);
  acmeRunId = (await json(await postRun(makeRun({ repository: 'acme/vision', benchmarks: ['pathvqa'] }), writer))).id;
  labRunId = (await json(await postRun(makeRun({ repository: 'lab/rival', benchmarks: ['pathvqa'] }), writer))).id;
});

const outsider = () => issuer.mint({ repository: 'mallory/x', repository_id: '666', repository_owner: 'mallory', repository_owner_id: '667' });

describe('API reads on a private deployment', () => {
  it("an OIDC token of another owner reads none of acme's runs", async () => {
    const t = await outsider();
    for (const path of ['/api/v1/repos/acme/vision/runs', '/api/v1/repos/acme/vision/latest']) {
      const res = await call(path, auth(t), priv);
      expect(res.status, path).toBe(403);
      expect((await json(res)).error.code).toBe('read_not_allowed');
    }
    expect((await call(`/api/v1/runs/${acmeRunId}`, auth(t), priv)).status).toBe(404);
    expect((await call(`/api/v1/compare?base=${acmeRunId}&head=${acmeRunId}`, auth(t), priv)).status).toBe(404);
    const board = await json(await call('/api/v1/leaderboard?benchmark=pathvqa', auth(t), priv));
    expect(board.entries).toEqual([]);
  });

  it("an OIDC token of acme reads acme's runs, and only acme's on the leaderboard", async () => {
    const t = await issuer.mint();
    expect((await call('/api/v1/repos/acme/vision/runs', auth(t), priv)).status).toBe(200);
    expect((await call(`/api/v1/runs/${acmeRunId}`, auth(t), priv)).status).toBe(200);
    expect((await call(`/api/v1/runs/${labRunId}`, auth(t), priv)).status).toBe(404);
    const board = await json(await call('/api/v1/leaderboard?benchmark=pathvqa', auth(t), priv));
    expect(board.entries.map((e: { repository: string }) => e.repository)).toEqual(['acme/vision']);
  });

  it('OIDC reads need an allow-list that admits the token; API tokens read within their scope', async () => {
    const noLists = { ...vars, PRIVATE_READS: 'true', ALLOWED_OWNERS: '' };
    const res = await call('/api/v1/repos/acme/vision/runs', auth(await issuer.mint()), noLists);
    expect(res.status).toBe(403);
    expect((await json(res)).error.message).toContain('ALLOWED_OWNERS');
    const notListed = await call('/api/v1/repos/acme/vision/runs', auth(await issuer.mint()), { ...priv, ALLOWED_OWNERS: 'lab' });
    expect(notListed.status).toBe(403);
    const scoped = await createApiToken(['lab/rival']);
    expect((await call('/api/v1/repos/lab/rival/runs', auth(scoped), noLists)).status).toBe(200);
    expect((await call('/api/v1/repos/acme/vision/latest', auth(scoped), noLists)).status).toBe(403);
    const board = await json(await call('/api/v1/leaderboard?benchmark=pathvqa', auth(scoped), noLists));
    expect(board.entries.map((e: { repository: string }) => e.repository)).toEqual(['lab/rival']);
    expect((await call('/api/v1/repos/acme/vision/runs', {}, noLists)).status).toBe(401);
  });
});

describe('pages, badges and charts on a private deployment', () => {
  it('pages refuse outsiders; the leaderboard page lists only readable repositories', async () => {
    expect((await call('/acme/vision', {}, priv)).status).toBe(401);
    expect((await call('/acme/vision', auth(await outsider()), priv)).status).toBe(403);
    const page = await (await call('/', auth(await issuer.mint()), priv)).text();
    expect(page).toContain('acme/vision');
    expect(page).not.toContain('lab/rival');
  });

  it('badges and charts answer a grey "private" image with status 200, real data with a token or PUBLIC_BADGES', async () => {
    const json1 = await call('/badge/acme/vision.json', {}, priv);
    expect(json1.status).toBe(200);
    expect(await json(json1)).toMatchObject({ message: 'private', color: 'lightgrey' });
    const svg = await call('/badge/acme/vision.svg', auth(await outsider()), priv);
    expect(svg.status).toBe(200);
    expect(await svg.text()).toContain('private');
    const chart = await call('/chart/acme/vision.svg?benchmark=pathvqa', {}, priv);
    expect(chart.status).toBe(200);
    expect(await chart.text()).toContain('>private</text>');
    const withToken = await json(await call('/badge/acme/vision.json', auth(await issuer.mint()), priv));
    expect(withToken.message).toMatch(/%$/);
    const open = await json(await call('/badge/acme/vision.json', {}, { ...priv, PUBLIC_BADGES: 'true' }));
    expect(open.message).toMatch(/%$/);
    const openChart = await (await call('/chart/acme/vision.svg?benchmark=pathvqa', {}, { ...priv, PUBLIC_BADGES: 'true' })).text();
    expect(openChart).not.toContain('>private</text>');
  });
});
