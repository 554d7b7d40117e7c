import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeRun } from '../../helpers/run-fixture.js';
import type { TestIssuer } from '../../helpers/oidc.js';
import { call, createApiToken, json, postRun, rowCounts, setupIssuer } from '../support.js';

let issuer: TestIssuer;
let vars: Record<string, string>;
let token: string;
beforeAll(async () => {
  ({ issuer, vars } = await setupIssuer());
  token = await createApiToken(['acme/*']);
});

describe('POST /api/v1/runs', () => {
  it('stores a run uploaded with an OIDC token: 201 {id,url}, readable back with its body', async () => {
    const run = makeRun({ commit: '1'.repeat(40) });
    const res = await postRun(run, await issuer.mint({ sha: '1'.repeat(40) }), vars);
    expect(res.status).toBe(201);
    const { id, url } = await json(res);
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(url).toBe(`http://localhost/api/v1/runs/${id}`);
    const got = await json(await call(`/api/v1/runs/${id}`));
    expect(got).toMatchObject({ id, repository: 'acme/vision', status: 'complete', uploader: 'oidc', ghRunId: '42',
      workflowRef: 'acme/vision/.github/workflows/bench.yml@refs/heads/main', verified: false });
    // the run id the body left out comes from the token's run_id claim
    expect(got.result).toEqual({ ...run, identity: { ...run.identity, runId: '42' } });
    const repo = await env.DB.prepare('SELECT github_id, owner_github_id FROM repositories WHERE full_name = ?')
      .bind('acme/vision').first();
    expect(repo).toEqual({ github_id: 1001, owner_github_id: 2001 });
  });

  it('is idempotent: the same body again → same id, 200, nothing new written', async () => {
    const run = makeRun({ commit: '2'.repeat(40) });
    const first = await json(await postRun(run, token));
    const before = await rowCounts();
    const again = await postRun(run, token);
    expect(again.status).toBe(200);
    expect((await json(again)).id).toBe(first.id);
    expect(await rowCounts()).toEqual(before);
  });

  it('refuses a different body under the same run key with 409 naming the existing run', async () => {
    const run = makeRun({ commit: '3'.repeat(40) });
    const first = await json(await postRun(run, token));
    const changed = makeRun({ commit: '3'.repeat(40), correct: () => true });
    const res = await postRun(changed, token);
    expect(res.status).toBe(409);
    expect(await json(res)).toMatchObject({ error: { code: 'run_conflict', details: { id: first.id } } });
  });

  it('marks runs from a trusted workflow as verified', async () => {
    const run = makeRun({ commit: '4'.repeat(40) });
    const trusted = { ...vars, TRUSTED_WORKFLOWS: 'acme/vision/.github/workflows/bench.yml' };
    const { id } = await json(await postRun(run, await issuer.mint({ sha: '4'.repeat(40) }), trusted));
    expect((await json(await call(`/api/v1/runs/${id}`))).verified).toBe(true);
  });

  it('never verifies a run whose token comes from a pull-request ref (the PR can edit the trusted workflow)', async () => {
    const pr = makeRun({ commit: '8'.repeat(40), ref: 'refs/pull/7/merge' });
    const trusted = { ...vars, TRUSTED_WORKFLOWS: 'acme/vision/.github/workflows/bench.yml' };
    const token = await issuer.mint({ sha: '8'.repeat(40), ref: 'refs/pull/7/merge',
      workflow_ref: 'acme/vision/.github/workflows/bench.yml@refs/pull/7/merge',
      job_workflow_ref: 'acme/vision/.github/workflows/bench.yml@refs/pull/7/merge' });
    const res = await postRun(pr, token, trusted);
    expect(res.status).toBe(201);
    const got = await json(await call(`/api/v1/runs/${(await json(res)).id}`));
    // prNumber follows from the ref although the body left it null, so retention and the leaderboard see a PR run
    expect(got).toMatchObject({ verified: false, prNumber: 7, ref: 'refs/pull/7/merge' });
  });

  it('answers 401 without a token, 403 for a token scoped elsewhere, 413 for an oversized body', async () => {
    const run = makeRun({ commit: '5'.repeat(40) });
    expect((await postRun(run, null)).status).toBe(401);
    const other = await createApiToken(['someone/else']);
    const res = await postRun(run, other);
    expect(res.status).toBe(403);
    expect((await json(res)).error.code).toBe('token_scope');
    const big = await postRun(`{"pad":"${'x'.repeat(8 * 1024 * 1024)}"}`, token);
    expect(big.status).toBe(413);
    expect((await json(big)).error.code).toBe('payload_too_large');
  });

  it('enforces array limits and the JSON content type with 400s in the same envelope', async () => {
    const run = makeRun({ commit: '7'.repeat(40), n: 8 });
    const tooMany = { ...run, benchmarks: Array.from({ length: 33 }, () => run.benchmarks[0]) };
    const res = await postRun(tooMany, token);
    expect(res.status).toBe(400);
    expect((await json(res)).error.details.issues[0].path).toBe('benchmarks');
    const groups = structuredClone(run);
    groups.benchmarks[0]!.groups = Array.from({ length: 257 }, (_, i) => ({ ...run.benchmarks[0]!.groups[0]!, value: `g${i}` }));
    expect((await json(await postRun(groups, token))).error.details.issues[0].path).toBe('benchmarks[0].groups');
    const text = await call('/api/v1/runs', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' },
      body: JSON.stringify(run) });
    expect(text.status).toBe(400);
    const err = (await json(text)).error;
    expect(err.code).toBe('invalid_json');
    expect(err.message).toContain('Content-Type: application/json');
    expect(err.message).toContain('"text/plain"');
    const broken = await postRun('{"schemaVersion": 1,', token);
    expect((await json(broken)).error).toMatchObject({ code: 'invalid_json', message: expect.stringContaining('not valid JSON') });
  });

  it('rejects semantically inconsistent bodies with the field named', async () => {
    const run = makeRun({ commit: '6'.repeat(40), n: 16 });
    run.benchmarks[0]!.outcomes.correct = btoa('\u0001');
    const res = await postRun(run, token);
    expect(res.status).toBe(400);
    const body = await json(res);
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.details.issues[0].path).toBe('benchmarks[0].outcomes.correct');
  });
});

describe('reads', () => {
  it('lists a repository\'s runs newest first with cursor pagination and filters', async () => {
    for (let i = 0; i < 5; i++) {
      await postRun(makeRun({ repository: 'acme/paged', commit: String(i).repeat(40).slice(0, 40).padEnd(40, 'b'),
        model: i % 2 ? 'odd' : 'even' }), token);
    }
    const page1 = await json(await call('/api/v1/repos/acme/paged/runs?limit=2'));
    expect(page1.runs).toHaveLength(2);
    const page2 = await json(await call(`/api/v1/repos/acme/paged/runs?limit=2&cursor=${page1.nextCursor}`));
    const page3 = await json(await call(`/api/v1/repos/acme/paged/runs?limit=2&cursor=${page2.nextCursor}`));
    expect(page3.nextCursor).toBeNull();
    const ids = [...page1.runs, ...page2.runs, ...page3.runs].map((r: { id: string }) => r.id);
    expect(new Set(ids).size).toBe(5);
    const odd = await json(await call('/api/v1/repos/acme/paged/runs?model=odd'));
    expect(odd.runs.map((r: { model: string }) => r.model)).toEqual(['odd', 'odd']);
    const bad = await call('/api/v1/repos/acme/paged/runs?limit=1000');
    expect(bad.status).toBe(400);
    expect((await json(bad)).error.details.issues[0].path).toBe('limit');
  });

  it('latest returns the newest complete run matching ref/sha/model and 404s with the envelope otherwise', async () => {
    const sha = 'c'.repeat(40);
    const { id } = await json(await postRun(makeRun({ repository: 'acme/latest', commit: sha, ref: 'refs/heads/main' }), token));
    const latest = await json(await call(`/api/v1/repos/acme/latest/latest?ref=main&sha=${sha}`));
    expect(latest.id).toBe(id);
    const none = await call('/api/v1/repos/acme/latest/latest?model=nope');
    expect(none.status).toBe(404);
    expect((await json(none)).error).toMatchObject({ code: 'not_found' });
  });

  it('needs a token to read when PRIVATE_READS=true', async () => {
    const priv = { ...vars, PRIVATE_READS: 'true' };
    expect((await call('/api/v1/repos/acme/vision/runs', {}, priv)).status).toBe(401);
    const ok = await call('/api/v1/repos/acme/vision/runs', { headers: { authorization: `Bearer ${token}` } }, priv);
    expect(ok.status).toBe(200);
  });

  it('unknown routes and ids answer with the error envelope', async () => {
    expect(await json(await call('/api/v1/nothing'))).toMatchObject({ error: { code: 'not_found' } });
    const bad = await call('/api/v1/runs/NOT-AN-ID');
    expect(bad.status).toBe(400);
    expect((await json(bad)).error.code).toBe('invalid_request');
  });
});
