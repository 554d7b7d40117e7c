/**
 * End to end: the bundled action against a real local worker (workerd + local D1), a local OIDC issuer, constant
 * baseline models and a fake GitHub API. One story in order: main gets a baseline run, PRs are compared with it.
 * "good" answers A, "bad" answers B; the manifest's gold is A for 45 of 60 items (accuracy 0.75 vs 0.25).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { createServer as createHttpServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBaselineServer, type BaselineServer } from '../../action/src/runner/baseline-server.js';
import { startFakeGithub, type FakeGithub } from '../helpers/fake-github.js';
import type { GithubClaims } from '../helpers/oidc.js';
import { startOidcServer, type OidcServer } from '../helpers/oidc-server.js';
import { startLocalWorker, type LocalWorker } from '../../scripts/local-worker.mjs';
import { BUNDLE, prEvent, pushEvent, runBundle, SECRET, sha, writeManifest, type BundleRun } from './action-harness.js';

const MAIN = sha('1');
const BASE_TIP = sha('3');
const UNRUN_BASE = sha('5');

describe('action bundle end to end', () => {
  let worker: LocalWorker;
  let oidc: OidcServer;
  let github: FakeGithub;
  let good: BaselineServer;
  let bad: BaselineServer;
  let workspace: string;
  let manifest: string;
  const runs: BundleRun[] = [];
  // minted tokens carry these (read at mint time), so each job's token names its own commit and ref, as GitHub's do
  const claims: Partial<GithubClaims> = {};

  beforeAll(async () => {
    oidc = await startOidcServer(claims);
    [worker, github, good, bad] = await Promise.all([
      startLocalWorker({ vars: { OIDC_ISSUER: oidc.url, OIDC_JWKS_URL: oidc.jwksUrl, ALLOWED_OWNERS: 'acme' } }),
      startFakeGithub(),
      startBaselineServer({ policy: 'constant:A' }),
      startBaselineServer({ policy: 'constant:B' }),
    ]);
    expect(existsSync(BUNDLE), 'run `npm run build` first').toBe(true);
    workspace = mkdtempSync(path.join(tmpdir(), 'medvlm-ws-'));
    manifest = writeManifest(workspace, 'm1', 60, 45);
  });

  afterAll(async () => {
    await Promise.all([worker?.stop(), github?.close(), good?.close(), bad?.close(), oidc?.close()]);
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  async function act(o: {
    model: string; server: BaselineServer; event: unknown; sha: string; ref: string;
    inputs?: Record<string, string>; manifestPath?: string;
  }): Promise<BundleRun> {
    Object.assign(claims, { sha: o.sha, ref: o.ref, run_id: String(100 + runs.length) });
    const r = await runBundle({
      workspace,
      event: o.event,
      inputs: {
        endpoint: `${o.server.url}/v1`, model: o.model, benchmarks: 'custom', manifest: o.manifestPath ?? manifest,
        'aggregator-url': worker.url, 'github-token': 'fake-token', comment: 'always',
        'results-dir': `results-${runs.length}`, concurrency: '8',
        ...o.inputs,
      },
      env: {
        GITHUB_REPOSITORY: 'acme/vision', GITHUB_SHA: o.sha, GITHUB_REF: o.ref, GITHUB_API_URL: github.url,
        GITHUB_EVENT_NAME: o.ref.startsWith('refs/pull/') ? 'pull_request' : 'push', GITHUB_RUN_ID: String(100 + runs.length),
        ...oidc.env,
      },
    });
    runs.push(r);
    return r;
  }

  /** PR n's head commit: n in hex, repeated to 40 characters */
  const head = (n: number) => n.toString(16).padStart(2, '0').repeat(20);
  // a fresh test-merge commit per run: the worker keys runs by commit + model, as a re-run of one commit would be
  const pr = (n: number) => ({ event: prEvent(n, BASE_TIP, head(n)), sha: `e${runs.length.toString(16).padStart(3, '0')}`.repeat(10), ref: `refs/pull/${n}/merge` });

  it('push to main: uploads with an OIDC token; no earlier run, so absolute gates only', async () => {
    const r = await act({ model: 'vlm-a', server: good, event: pushEvent(sha('0')), sha: MAIN, ref: 'refs/heads/main' });
    expect(r.code, r.stdout).toBe(0);
    expect(r.outputs.passed).toBe('true');
    // run-url is the run page; the same id reads as JSON under /api/v1/runs/
    expect(r.outputs['run-url']).toMatch(new RegExp(`^${worker.url}/acme/vision/runs/[0-9a-f]{16}$`));
    expect((await fetch(r.outputs['run-url']!)).headers.get('content-type')).toMatch(/^text\/html/);
    expect(oidc.requests.at(-1)).toEqual({ audience: 'medvlm-bench' });
    expect(r.summary).toContain('absolute gates only');
    expect(r.summary).toMatch(/\| custom \| 0\.750 \|/);
    const results = JSON.parse(readFileSync(r.outputs['results-file']!, 'utf8'));
    expect(results.benchmarks[0].counts.scored).toBe(60);
    const stored = await (await fetch(r.outputs['run-url']!.replace('/acme/vision/runs/', '/api/v1/runs/'))).json() as { commit: string };
    expect(stored.commit).toBe(MAIN);
  });

  /** the action's own comments (GITHUB_TOKEN writes as github-actions[bot]) */
  const ours = (issue: number) => github.comments.filter((c) => c.issue === issue && c.user.login === 'github-actions[bot]');

  it('PR equal to its merge-base run passes, with one comment and a success check run; a decoy is left alone', async () => {
    github.mergeBases.set(`${BASE_TIP}...${head(7)}`, MAIN);
    const decoy = github.addComment(7, '<!-- medvlm-bench:vlm-a -->\nlooks like the sticky comment', { login: 'mallory', type: 'User' });
    const r = await act({ model: 'vlm-a', server: good, ...pr(7) });
    expect(r.code, r.stdout).toBe(0);
    const compare = github.requests.find((q) => q.path.includes('/compare/'));
    expect(compare?.path).toBe(`/repos/acme/vision/compare/${BASE_TIP}...${head(7)}`);
    expect(decoy.body).toBe('<!-- medvlm-bench:vlm-a -->\nlooks like the sticky comment');
    expect(github.requests.filter((q) => q.method === 'PATCH')).toHaveLength(0);
    const comments = ours(7);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toMatch(/^<!-- medvlm-bench:vlm-a -->/);
    expect(comments[0]!.body).toContain('at the merge-base `1111111`');
    expect(comments[0]!.body).toMatch(/\| custom \| 0\.750 \| 0\.750 \| \+0\.000/);
    // the page judges with the gate settings (default gates: max-drop 0.02, alpha 0.05, regression)
    expect(r.outputs['compare-url']).toMatch(new RegExp(`^${worker.url}/acme/vision/compare/[0-9a-f]{16}\\.\\.\\.[0-9a-f]{16}\\?margin=0\\.02&alpha=0\\.05&mode=regression$`));
    // the links in the report resolve on the worker
    const page = await fetch(r.outputs['compare-url']!);
    expect(page.status).toBe(200);
    const badge = await fetch(r.outputs['badge-url']!);
    expect([badge.status, badge.headers.get('content-type')]).toEqual([200, expect.stringContaining('image/svg+xml')]);
    const check = github.checkRuns.at(-1)!;
    expect(check).toMatchObject({ head_sha: head(7), conclusion: 'success', name: 'medvlm-bench (vlm-a)' });
  });

  it('a significant regression fails the step; the comment is updated in place, not duplicated', async () => {
    const r = await act({ model: 'vlm-a', server: bad, ...pr(7) });
    expect(r.code).toBe(1);
    expect(r.outputs.passed).toBe('false');
    expect(r.stdout).toMatch(/::error::.*gate\(s\) failed/);
    const comments = ours(7);
    expect(comments).toHaveLength(1);
    expect(github.comments.filter((c) => c.issue === 7)).toHaveLength(2); // ours + the untouched decoy
    expect(github.requests.filter((q) => q.method === 'PATCH')).toHaveLength(1);
    expect(comments[0]!.body).toMatch(/\| custom \| 0\.750 \| 0\.250 \| −0\.500 \[.*\] \| <0\.001 \| 🔻 worse \|/);
    expect(comments[0]!.body).toContain('❌ medvlm-bench · vlm-a: 1 gate failed');
    expect(github.checkRuns.at(-1)).toMatchObject({ conclusion: 'failure' });
  });

  it('an absolute floor fails even when nothing regressed', async () => {
    github.mergeBases.set(`${BASE_TIP}...${head(8)}`, MAIN);
    const r = await act({ model: 'vlm-a', server: good, ...pr(8), inputs: { gates: 'gates:\n  - benchmark: custom\n    min: 0.9\n' } });
    expect(r.code).toBe(1);
    expect(r.summary).toContain('accuracy 0.750 < floor 0.900');
  });

  it('a small drop that is not significant passes', async () => {
    const m2 = writeManifest(workspace, 'm2', 60, 31); // A: 31/60, B: 29/60 → Δ −0.033 over 60 discordant items
    const main2 = sha('6');
    const base = await act({ model: 'vlm-b', server: good, event: pushEvent(sha('0')), sha: main2, ref: 'refs/heads/main', manifestPath: m2 });
    expect(base.code, base.stdout).toBe(0);
    github.mergeBases.set(`${BASE_TIP}...${head(9)}`, main2);
    const r = await act({ model: 'vlm-b', server: bad, ...pr(9), manifestPath: m2, inputs: { gates: '{"gates": [{"benchmark": "*", "max-drop": 0.02}]}' } });
    expect(r.code, r.stdout).toBe(0);
    expect(r.summary).toMatch(/\| custom \| 0\.517 \| 0\.483 \| −0\.033 \[.*\] \| 0\.\d{3} \| no significant change \|/);
  });

  it('no run at the merge-base: falls back to the base branch and says so', async () => {
    github.mergeBases.set(`${BASE_TIP}...${head(10)}`, UNRUN_BASE);
    const r = await act({ model: 'vlm-a', server: good, ...pr(10) });
    expect(r.code, r.stdout).toBe(0);
    const body = github.comments.find((c) => c.issue === 10)!.body;
    expect(body).toContain('no run of vlm-a with the same fingerprints at the merge-base `5555555`; fell back to the latest run on main');
    expect(body).toMatch(/\| custom \| 0\.750 \| 0\.750 \|/);
  });

  it('no baseline anywhere: absolute gates only, stated in the comment', async () => {
    github.mergeBases.set(`${BASE_TIP}...${head(11)}`, MAIN);
    const r = await act({ model: 'vlm-new', server: good, ...pr(11) });
    expect(r.code, r.stdout).toBe(0);
    const body = github.comments.find((c) => c.issue === 11)!.body;
    expect(body).toContain('and none on main: absolute gates only');
    expect(body).toMatch(/⏭️ \| regression \| custom \| accuracy \| no baseline run: absolute gates only/);
  });

  it('worker down: results and summary still written, absolute gates applied, loud warning', async () => {
    const down = { 'aggregator-url': `http://127.0.0.1:${await closedPort()}`, gates: 'gates:\n  - benchmark: custom\n    min: 0.7\n' };
    const ok = await act({ model: 'vlm-a', server: good, ...pr(12), inputs: down });
    expect(ok.code, ok.stdout).toBe(0);
    expect(ok.stdout).toMatch(/::warning::upload to the aggregator failed: aggregator unreachable/);
    expect(existsSync(ok.outputs['results-file']!)).toBe(true);
    expect(ok.summary).toContain('> [!WARNING]');
    expect(ok.summary).toContain('accuracy 0.750 ≥ floor 0.700');
    const floorFails = await act({ model: 'vlm-a', server: bad, ...pr(12), inputs: down });
    expect(floorFails.code).toBe(1);
    expect(floorFails.summary).toContain('accuracy 0.250 < floor 0.700');
    const required = await act({ model: 'vlm-a', server: good, ...pr(12), inputs: { ...down, 'aggregator-required': 'true' } });
    expect(required.code).toBe(1);
    expect(required.stdout).toMatch(/::error::.*aggregator-required: true/);
  });

  it('uploads with a scoped API token instead of OIDC, masked in the log; a wrong token is a loud warning', async () => {
    const token = 'mvb_e2e_0123456789abcdef';
    const db = await worker.mf.getD1Database('DB');
    await db.prepare('INSERT INTO api_tokens (token_sha256, repos, label, created_at) VALUES (?, ?, ?, ?)')
      .bind(createHash('sha256').update(token).digest('hex'), 'acme/vision', 'e2e', Date.now()).run();
    github.mergeBases.set(`${BASE_TIP}...${head(14)}`, MAIN);
    const tokenInputs = { 'aggregator-auth': 'token', 'aggregator-token': token };
    const r = await act({ model: 'vlm-a', server: good, ...pr(14), inputs: tokenInputs });
    expect(r.code, r.stdout).toBe(0);
    expect(r.outputs['run-url']).toMatch(/\/acme\/vision\/runs\/[0-9a-f]{16}$/);
    // registered for masking (the runner hides it from then on) and never printed otherwise
    const lines = r.stdout.split('\n').filter((l) => l.includes(token));
    expect(lines).toEqual([`::add-mask::${token}`]);
    const wrong = await act({ model: 'vlm-a', server: good, ...pr(14), inputs: { ...tokenInputs, 'aggregator-token': 'mvb_wrong' } });
    expect(wrong.code).toBe(0);
    expect(wrong.stdout).toMatch(/::warning::upload to the aggregator failed: POST \/api\/v1\/runs → 401 invalid_token/);
  });

  it('no upload body, comment, check run or summary contains question text, options or model responses', async () => {
    const RESPONSE = `RESPONSE-MARKER lesion seen ${SECRET}`;
    const verbose = await startBaselineServer({ policy: `constant:Answer: A. ${RESPONSE}` });
    const proxy = await recordingProxy(worker.url);
    try {
      github.mergeBases.set(`${BASE_TIP}...${head(13)}`, MAIN);
      const r = await act({ model: 'vlm-a', server: verbose, ...pr(13), inputs: { 'aggregator-url': proxy.url } });
      expect(r.code, r.stdout).toBe(0);
      // the response was really produced and kept locally, in predictions.jsonl and the item report…
      const dir = path.dirname(r.outputs['results-file']!);
      expect(readFileSync(path.join(dir, 'predictions.jsonl'), 'utf8')).toContain(RESPONSE);
      const report = readFileSync(path.join(dir, 'report.html'), 'utf8');
      expect(report).toContain(RESPONSE);
      expect(report).toContain(`${SECRET} question 0`);
      expect(r.stdout).toContain('no artifact service here (ACTIONS_RUNTIME_TOKEN is not set)');
      expect(r.summary).toMatch(/\| custom \| 0\.750 \| 0\.750 \|/);
      // …and what went to the worker is numbers: the upload happened, without any item text
      expect(proxy.bodies.some((b) => b.includes('"benchmarks"'))).toBe(true);
      for (const body of proxy.bodies) expect(body).not.toMatch(/SECRET|RESPONSE-MARKER|lesion|option left|option right/);
    } finally {
      await Promise.all([verbose.close(), proxy.close()]);
    }
    // …but nothing published anywhere carries it, nor any question or option text
    const published = [...github.comments.map((c) => c.body), ...github.checkRuns.map((c) => c.output.summary), ...runs.map((r) => r.summary)];
    expect(published.length).toBeGreaterThan(15);
    for (const text of published) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toMatch(/RESPONSE-MARKER|lesion|option left|option right/);
    }
  });
});

/** Forwards every request to `target` and keeps each request body: what the action sent the worker, byte for byte. */
async function recordingProxy(target: string): Promise<{ url: string; bodies: string[]; close(): Promise<void> }> {
  const bodies: string[] = [];
  const srv = createHttpServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    bodies.push(body.toString('utf8'));
    const headers: Record<string, string> = {};
    for (const h of ['authorization', 'content-type']) if (req.headers[h]) headers[h] = String(req.headers[h]);
    const r = await fetch(`${target}${req.url}`, { method: req.method, headers, body: body.length ? body : undefined });
    res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'application/json' });
    res.end(Buffer.from(await r.arrayBuffer()));
  });
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, bodies, close: () => new Promise((resolve) => srv.close(() => resolve())) };
}

/** A loopback port nothing listens on (bound once, then released). */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as AddressInfo;
  await new Promise((resolve) => srv.close(resolve));
  return port;
}
