/**
 * End to end on loopback: the worker served by scripts/local-worker.mjs verifies GitHub-style OIDC tokens against a
 * remote JWKS (a local issuer also serving the Actions ID-token endpoint), and accepts/refuses API tokens created
 * and revoked with scripts/worker-token.mjs (through `wrangler d1 execute` on the same persisted local D1).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalWorker } from '../../scripts/local-worker.mjs';
import { startOidcServer, type OidcServer } from '../helpers/oidc-server.js';
import { makeRun } from '../helpers/run-fixture.js';
import { buildBenchmarkResult, type ItemOutcome, type PreparedForSummary } from '../../action/src/core/scoring/summary.js';
import type { BenchmarkDef } from '../../action/src/core/benchmarks/define.js';
import type { Sample } from '../../action/src/core/benchmarks/types.js';
import { CHAIN_SCORER } from '../../action/src/core/scoring/scorer.js';
import type { PreparedItem } from '../../action/src/core/scoring/protocol.js';

/** A full-protocol benchmark built by the runner's own buildBenchmarkResult: 3 of every 5 items closed, 2 open. */
function fullProtocolBenchmark() {
  const samples: Sample[] = Array.from({ length: 50 }, (_, i) => ({
    id: `s${i}`, question: `q${i}`, answer: i % 5 < 3 ? 'A' : 'left lung', images: [], answerType: i % 5 < 3 ? 'closed' : 'open',
    questionType: i % 4 === 0 ? 'reasoning' : 'understanding', metadata: { modality: i % 2 ? 'CT' : 'MRI' },
  } as Sample));
  const items = samples.map((sample, index): PreparedItem => ({
    index, sample, kind: index % 5 < 3 ? 'mcq' : 'open', choices: index % 5 < 3 ? { A: 'yes', B: 'no' } : null,
    gold: sample.answer, prompt: sample.question,
  }));
  const def = { id: 'vqa-rad', version: 1, title: 'VQA-RAD', groupBy: ['answerType', 'modality'], scorer: CHAIN_SCORER } as unknown as BenchmarkDef;
  const pb = { def, protocol: 'full', language: null, samples, items, excluded: [], fingerprint: 'c'.repeat(64), promptVersion: 1 } as PreparedForSummary;
  const outcomes: ItemOutcome[] = items.map((it, i) => ({
    present: true, correct: i % 3 === 0, unparsed: i % 11 === 0, error: i === 7, truncated: false,
    ...(it.kind === 'open' ? { graded: { open_exact_match: i % 3 === 0 ? 1 : 0, open_token_recall: (i % 7) / 7, open_token_f1: (i % 9) / 9 } } : {}),
  }));
  return buildBenchmarkResult(pb, outcomes);
}

describe('a full-protocol run built by buildBenchmarkResult', () => {
  let worker: Awaited<ReturnType<typeof startLocalWorker>>;
  beforeAll(async () => {
    worker = await startLocalWorker({ vars: { ALLOW_UNAUTHENTICATED_UPLOADS: 'true' } });
  });
  afterAll(async () => worker?.stop());
  const post = (body: unknown) => fetch(`${worker.url}/api/v1/runs`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('is accepted as built; the same run with accuracy over all items (not only the closed ones) is refused', async () => {
    const b = fullProtocolBenchmark();
    expect(b.metrics.map((m) => m.name)).toEqual(['accuracy', 'open_exact_match', 'open_token_recall', 'open_token_f1']);
    expect(b.metrics[0]!.n).toBe(30);
    const run = { ...makeRun({ repository: 'acme/full', benchmarks: ['vqa-rad'] }), protocol: 'full' as const, benchmarks: [b] };
    const ok = await post(run);
    expect(ok.status, await ok.clone().text()).toBe(201);
    const forged = structuredClone(run);
    forged.identity.commit = 'b'.repeat(40);
    forged.benchmarks[0]!.metrics[0] = { ...forged.benchmarks[0]!.metrics[0]!, n: 50, value: 17 / 50 };
    const res = await post(forged);
    expect(res.status).toBe(400);
    const err = ((await res.json()) as { error: { code: string; message: string } }).error;
    expect(err.code).toBe('inconsistent_result');
    expect(err.message).toContain('vqa-rad: accuracy n claims 50 but the outcome bits give 30');
  });
});

const repoRoot = path.resolve(import.meta.dirname, '..', '..');

async function upload(url: string, body: unknown, token: string): Promise<Response> {
  // a spawnSync (wrangler) just blocked the event loop for seconds: let undici see that workerd closed the idle
  // pooled connection meanwhile, or the request goes out on a dead socket ("other side closed")
  await new Promise((r) => setTimeout(r, 20));
  return fetch(`${url}/api/v1/runs`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body),
  });
}

describe('OIDC against a remote JWKS', () => {
  let oidc: OidcServer;
  let worker: Awaited<ReturnType<typeof startLocalWorker>>;
  beforeAll(async () => {
    oidc = await startOidcServer({ repository: 'acme/e2e', repository_id: '77', repository_owner_id: '78' });
    worker = await startLocalWorker({ vars: { OIDC_ISSUER: oidc.url, OIDC_JWKS_URL: oidc.jwksUrl, ALLOWED_OWNERS: 'acme' } });
  });
  afterAll(async () => {
    await worker?.stop();
    await oidc?.close();
  });

  it('a token fetched from the Actions ID-token endpoint uploads; the same token again is a replay', async () => {
    const res = await fetch(`${oidc.env.ACTIONS_ID_TOKEN_REQUEST_URL}&audience=medvlm-bench`, {
      headers: { authorization: `Bearer ${oidc.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN}` },
    });
    const { value } = (await res.json()) as { value: string };
    expect(oidc.requests).toEqual([{ audience: 'medvlm-bench' }]);
    const run = makeRun({ repository: 'acme/e2e' });
    const first = await upload(worker.url, run, value);
    expect(first.status).toBe(201);
    const again = await upload(worker.url, run, value);
    expect(again.status).toBe(401);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('token_replayed');
  });
});

describe('API tokens via npm run token', () => {
  const state = mkdtempSync(path.join(tmpdir(), 'mvb-token-'));
  afterAll(() => rmSync(state, { recursive: true, force: true }));
  const token = (...args: string[]) => {
    const r = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'worker-token.mjs'), ...args, '--persist-to', state],
      { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    return r.stdout;
  };

  it('create → upload accepted; revoke → refused; bad arguments exit non-zero with the reason', async () => {
    // the server migrates the persisted database; wrangler then writes the same SQLite file while it runs
    const worker = await startLocalWorker({ persistDir: path.join(state, 'v3') });
    try {
      const out = token('create', '--repo', 'acme/*', '--label', 'e2e');
      const secret = /token \(shown once[^)]*\): (mvb_\S+)/.exec(out)![1]!;
      expect((await upload(worker.url, makeRun({ repository: 'acme/tok' }), secret)).status).toBe(201);
      expect((await upload(worker.url, makeRun({ repository: 'other/tok' }), secret)).status).toBe(403);
      expect(token('list')).toMatch(/^1\tactive\tacme\/\*\te2e/m);
      token('revoke', '--id', '1');
      expect((await upload(worker.url, makeRun({ repository: 'acme/tok', commit: 'b'.repeat(40) }), secret)).status).toBe(401);
    } finally {
      await worker.stop();
    }
    const bad = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'worker-token.mjs'), 'create', '--repo', 'no-slash'],
      { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('must look like owner/name');
  });
});
