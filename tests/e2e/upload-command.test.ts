/**
 * `medvlm-bench upload` against a real local worker (scripts/local-worker.mjs, in-memory D1) with an API token stored
 * the way `npm run token -- create` stores it (SHA-256 in api_tokens): identity overrides, the worker's refusals
 * (401/403/409) as readable messages, and schema errors with the field path before anything is sent.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalWorker, type LocalWorker } from '../../scripts/local-worker.mjs';
import { main } from '../../action/src/cli/main.js';
import type { CliDeps } from '../../action/src/cli/deps.js';
import { RunResult } from '../../schemas/results.js';
import { makeRun } from '../helpers/run-fixture.js';
import { tempDir } from '../core/data/fixtures.js';

const TOKEN = 'mvb_upload-command-test-token';

async function upload(args: string[], env: Record<string, string> = { MEDVLM_TOKEN: TOKEN }) {
  const out: string[] = [];
  const err: string[] = [];
  const d: CliDeps = { out: (t) => out.push(t), err: (t) => err.push(t), fetch: globalThis.fetch, now: () => 0, env, cwd: process.cwd(), version: '0', isTTY: false };
  const code = await main(['upload', ...args], d);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function resultsFile(body: unknown): string {
  const file = path.join(tempDir(), 'results.json');
  writeFileSync(file, JSON.stringify(body));
  return file;
}

describe('medvlm-bench upload (real local worker)', () => {
  let worker: LocalWorker;
  beforeAll(async () => {
    worker = await startLocalWorker();
    const db = await worker.mf.getD1Database('DB');
    const sha = createHash('sha256').update(TOKEN).digest('hex');
    await db.prepare('INSERT INTO api_tokens (token_sha256, repos, label, created_at) VALUES (?, ?, ?, ?)').bind(sha, 'acme/*', 'test', Date.now()).run();
  });
  afterAll(async () => worker?.stop());

  it('a run recorded under a repository the token does not cover: 403 explained; --repository fixes it', async () => {
    // what `run` records in a clone of a local path: no GitHub owner/name the token is scoped to
    const file = resultsFile(makeRun({ repository: 'work/main', commit: 'c'.repeat(40) }));
    const refused = await upload([file, '--aggregator-url', worker.url]);
    expect(refused.code).toBe(1);
    expect(refused.err).toBe('medvlm-bench upload: the token may not upload for this repository (pass --repository, or create a token ' +
      'scoped to it) (HTTP 403): token_scope: API token is not scoped to work/main');

    const ok = await upload([file, '--aggregator-url', worker.url, '--repository', 'acme/up', '--ref', 'refs/heads/main']);
    expect(ok.code, ok.err).toBe(0);
    const id = /^uploaded run (\S+)$/m.exec(ok.out)![1]!;
    const url = ok.out.split('\n')[1]!;
    expect(url).toContain(id);
    const stored = (await (await fetch(`${worker.url}/api/v1/runs/${id}`)).json()) as Record<string, unknown>;
    const run = RunResult.parse(stored.result ?? stored);
    expect(run.identity).toMatchObject({ repository: 'acme/up', ref: 'refs/heads/main', commit: 'c'.repeat(40) });

    const again = await upload([file, '--aggregator-url', worker.url, '--repository', 'acme/up', '--ref', 'refs/heads/main']);
    expect(again.code, again.err).toBe(0);
    expect(again.out).toContain(`already stored: run ${id}`);
  });

  it('a different result under the same run key: 409 with the worker\'s message', async () => {
    const first = resultsFile(makeRun({ repository: 'acme/conflict', commit: 'd'.repeat(40) }));
    expect((await upload([first, '--aggregator-url', worker.url])).code).toBe(0);
    const other = resultsFile(makeRun({ repository: 'acme/conflict', commit: 'd'.repeat(40), correct: () => true }));
    const r = await upload([other, '--aggregator-url', worker.url]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/the upload conflicts with a run already stored \(HTTP 409\): run_conflict: a different result was already uploaded/);
  });

  it('an unknown token: 401 explained', async () => {
    const file = resultsFile(makeRun({ repository: 'acme/x' }));
    const r = await upload([file, '--aggregator-url', worker.url], { MEDVLM_TOKEN: 'mvb_nope' });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/did not accept the token .*\(HTTP 401\): invalid_token: unknown or revoked API token/);
  });

  it('checks the file and the flags before sending anything', async () => {
    const broken = structuredClone(makeRun({ repository: 'acme/x' })) as unknown as { benchmarks: Array<{ metrics: Array<{ n: unknown }> }> };
    broken.benchmarks[0]!.metrics[0]!.n = 'many';
    const bad = await upload([resultsFile(broken), '--aggregator-url', worker.url]);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/is not a valid results file:\n {2}benchmarks\.0\.metrics\.0\.n: /);

    const file = resultsFile(makeRun({ repository: 'acme/x' }));
    expect((await upload([file, '--aggregator-url', worker.url], {})).err).toMatch(/--token-env MEDVLM_TOKEN: that environment variable is not set/);
    const sha = await upload([file, '--aggregator-url', worker.url, '--commit', 'abc']);
    expect(sha.code).toBe(2);
    expect(sha.err).toMatch(/--commit 'abc' must be a 40-hex commit sha/);
    expect((await upload([file])).err).toMatch(/--aggregator-url URL is required/);
    const missing = await upload([path.join(tempDir(), 'none.json'), '--aggregator-url', worker.url]);
    expect(missing.err).toMatch(/none\.json: cannot read \(ENOENT\)/);
  });
});
