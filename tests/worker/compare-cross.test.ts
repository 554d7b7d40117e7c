/**
 * Issue 12 item 17 on workerd + local D1: `/compare?run=A&run=B` compares any two readable runs across
 * repositories (the leaderboard's form submits exactly that), answers 422 for different item sets, 400 unless
 * exactly two runs are named, and on a private deployment a run the token may not read is a 404.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { makeRun } from '../helpers/run-fixture.js';
import { call, createApiToken, json, postRun } from './support.js';

let writer: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  writer = await createApiToken(['xa/*', 'xb/*']);
  const up = async (name: string, run: ReturnType<typeof makeRun>) => {
    const res = await postRun(run, writer);
    expect(res.status).toBe(201);
    ids[name] = (await json(res)).id;
  };
  await up('a', makeRun({ repository: 'xa/alpha', commit: '1'.repeat(40), model: 'm-a', benchmarks: ['medframeqa'], correct: (i) => i % 10 < 5 }));
  await up('b', makeRun({ repository: 'xb/beta', commit: '2'.repeat(40), model: 'm-b', benchmarks: ['medframeqa'], correct: (i) => i % 10 < 8 }));
  await up('other', makeRun({ repository: 'xb/beta', commit: '3'.repeat(40), model: 'm-c', benchmarks: ['medframeqa'], fingerprint: 'e'.repeat(64) }));
});

describe('cross-repository compare page', () => {
  it('pairs two runs of different repositories item by item', async () => {
    const res = await call(`/compare?run=${ids.a}&run=${ids.b}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('xa/alpha');
    expect(html).toContain('xb/beta');
    // 50% vs 80% correct on the same 200 items: +30.0 pp, 60 won and 0 lost
    expect(html).toContain('+30.0 pp');
    expect(html).toMatch(/>0 \/ 60</);
    expect(html).toContain(`/compare?base=${ids.b}&amp;head=${ids.a}`); // swap link
    // the same two runs through base=/head= give the same figures
    expect(await (await call(`/compare?base=${ids.a}&head=${ids.b}`)).text()).toContain('+30.0 pp');
  });

  it('the leaderboard offers the pick: a GET form to /compare with one checkbox per entry', async () => {
    const html = await (await call('/?benchmark=medframeqa')).text();
    expect(html).toContain('<form method="get" action="/compare">');
    expect(html).toContain(`name="run" value="${ids.a}"`);
    expect(html).toContain(`name="run" value="${ids.b}"`);
  });

  it('different item sets: 422; not exactly two runs: 400; an unknown run: 404', async () => {
    expect((await call(`/compare?run=${ids.a}&run=${ids.other}`)).status).toBe(422);
    expect((await call(`/compare?run=${ids.a}`)).status).toBe(400);
    expect((await call(`/compare?run=${ids.a}&run=${ids.b}&run=${ids.other}`)).status).toBe(400);
    expect((await call(`/compare?run=${ids.a}&run=not-an-id`)).status).toBe(400);
    expect((await call(`/compare?run=${ids.a}&run=${'0'.repeat(16)}`)).status).toBe(404);
  });

  it('private deployment: a run outside the token\'s scope answers like a missing one', async () => {
    const priv = { PRIVATE_READS: 'true' };
    const onlyA = await createApiToken(['xa/*']);
    const auth = (t: string) => ({ headers: { authorization: `Bearer ${t}` } });
    expect((await call(`/compare?run=${ids.a}&run=${ids.b}`, {}, priv)).status).toBe(401);
    const res = await call(`/compare?run=${ids.a}&run=${ids.b}`, auth(onlyA), priv);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('xb/beta');
    expect((await call(`/compare?run=${ids.a}&run=${ids.b}`, auth(writer), priv)).status).toBe(200);
  });
});
