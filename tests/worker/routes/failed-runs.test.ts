/** A run stopped on a systematic failure (status "failed") carries errors, not scores: the worker never stores it. */
import { describe, expect, it } from 'vitest';
import { makeRun } from '../../helpers/run-fixture.js';
import { createApiToken, json, postRun, rowCounts } from '../support.js';

describe('POST /api/v1/runs with status failed', () => {
  it('answers 400 naming the status and the reason, and writes nothing', async () => {
    const token = await createApiToken(['acme/*']);
    const before = await rowCounts();
    const run = { ...makeRun({ commit: '7'.repeat(40) }), status: 'failed', failure: { reason: 'HTTP 400: max_tokens is too large', items: 12 } };
    const res = await postRun(run, token);
    expect(res.status).toBe(400);
    const body = await json(res);
    expect(body.error.message).toBe('invalid json: status: a failed run is not stored (HTTP 400: max_tokens is too large)');
    expect(await rowCounts()).toEqual(before);
    // the same run marked complete is stored: the refusal is about the status alone
    expect((await postRun({ ...run, status: 'complete', failure: null }, token)).status).toBe(201);
  });
});
