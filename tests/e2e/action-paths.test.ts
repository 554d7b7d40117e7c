/**
 * End to end, the action built from source against a real local worker, the loopback OIDC issuer and the fake GitHub
 * API: a pull request from a fork (no OIDC token, a read-only GITHUB_TOKEN), the sticky comment on a later page of a
 * long thread, and a preflight warning in the step log. "good" answers A, "bad" answers B; the manifest's gold is A
 * for 45 of 60 items, so accuracy is 45/60 = 0.750 or 15/60 = 0.250 by construction.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBaselineServer, type BaselineServer } from '../../action/src/runner/baseline-server.js';
import { prEvent, pushEvent, sha, writeManifest } from './action-harness.js';
import { runIdOf, startStack, type Stack } from './action-stack.js';

const MAIN = sha('1');
const BASE_TIP = sha('3');
const FORK_HEAD = sha('4');
const MARKER = '<!-- medvlm-bench:vlm-f -->';

describe('action paths: fork PRs, comment pages, preflight warnings', () => {
  let stack: Stack;
  let good: BaselineServer;
  let bad: BaselineServer;
  let manifest: string;
  let mainRunId: string;

  beforeAll(async () => {
    [stack, good, bad] = await Promise.all([
      startStack(), startBaselineServer({ policy: 'constant:A' }), startBaselineServer({ policy: 'constant:B' }),
    ]);
    manifest = writeManifest(stack.workspace, 'm', 60, 45);
    const main = await stack.act({ model: 'vlm-f', server: good, event: pushEvent(sha('0')), sha: MAIN, ref: 'refs/heads/main', inputs: { manifest } });
    expect(main.code, main.stdout).toBe(0);
    mainRunId = runIdOf(main)!;
    expect(await stack.runIdsAt(MAIN)).toEqual([mainRunId]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([stack?.stop(), good?.close(), bad?.close()]);
  });

  /** pull_request from mallory/vision (a fork): GitHub gives its job no ID-token variables and a read-only token */
  const forkJob = (n: number, server: BaselineServer, commit: string) => {
    const event = prEvent(n, BASE_TIP, FORK_HEAD);
    event.pull_request.head.repo = { full_name: 'mallory/vision', fork: true };
    stack.github.readOnly.add('fork-token');
    stack.github.mergeBases.set(`${BASE_TIP}...${FORK_HEAD}`, MAIN);
    return stack.act({
      model: 'vlm-f', server, event, sha: commit, ref: `refs/pull/${n}/merge`, oidc: false,
      inputs: { manifest, 'github-token': 'fork-token' },
    });
  };

  const warnings = (stdout: string) => stdout.split('\n').filter((l) => l.startsWith('::warning::'));
  const NO_OIDC = '::warning::upload to the aggregator failed: no OIDC token (the job needs `permissions: id-token: write`; pull requests from forks never get one)';
  const FORK_403 = (permission: string) =>
    `GitHub answered 403 (the job needs \`permissions: ${permission}\`; this PR comes from a fork, whose GITHUB_TOKEN is read-only)`;

  it('fork PR: the gate result is still reported, each refusal is a clear warning, and nothing is uploaded', async () => {
    const tokensBefore = stack.oidc.requests.length;
    const requestsBefore = stack.github.requests.length;
    const r = await forkJob(41, good, sha('a'));
    expect(r.code, r.stdout).toBe(0);
    expect(r.outputs.passed).toBe('true');
    // the baseline was still found through the worker's public reads: the run uploaded from main above
    expect(r.summary).toContain(`**Baseline:** run ${mainRunId} at the merge-base \`1111111\``);
    expect(r.summary).toMatch(/\| custom \| 0\.750 \| 0\.750 \| \+0\.000 /);
    expect(r.summary).toContain('✅ medvlm-bench · vlm-f: all gates passed');
    const w = warnings(r.stdout);
    expect(w.filter((l) => l.startsWith(NO_OIDC))).toHaveLength(1);
    expect(w.filter((l) => l.startsWith(`::warning::could not write the PR comment: ${FORK_403('pull-requests: write')}`))).toHaveLength(1);
    expect(w.filter((l) => l.startsWith(`::warning::could not create the check run: ${FORK_403('checks: write')}`))).toHaveLength(1);
    // GitHub was asked (and refused) exactly once for each write; the read-only reads went through
    const writes = stack.github.requests.slice(requestsBefore).filter((q) => q.method !== 'GET');
    expect(writes.map((q) => `${q.method} ${q.path}`)).toEqual(['POST /repos/acme/vision/issues/41/comments', 'POST /repos/acme/vision/check-runs']);
    expect(stack.github.comments.filter((c) => c.issue === 41)).toHaveLength(0);
    expect(stack.github.checkRuns).toHaveLength(1); // main's push job only
    // uploads nothing: no token was asked for, no run at the fork's commit, and the upload note says why
    expect(stack.oidc.requests.length).toBe(tokensBefore);
    expect(await stack.runIdsAt(sha('a'))).toEqual([]);
    expect(r.outputs['run-url']).toBe('');
    expect(r.summary).toContain('> [!WARNING]\n> upload to the aggregator failed: no OIDC token');
  });

  it('fork PR with a significant regression: the step fails on the gate even though nothing could be published', async () => {
    const r = await forkJob(42, bad, sha('b'));
    expect(r.code).toBe(1);
    expect(r.outputs.passed).toBe('false');
    expect(r.stdout).toMatch(/^::error::1 gate\(s\) failed: custom regression$/m);
    expect(r.summary).toMatch(/\| custom \| 0\.750 \| 0\.250 \| −0\.500 \[.*\] \| <0\.001 \| 🔻 worse \|/);
    expect(warnings(r.stdout).filter((l) => l.includes('this PR comes from a fork'))).toHaveLength(2);
    expect(await stack.runIdsAt(sha('b'))).toEqual([]);
  });

  it('the sticky comment on page 2 of a 251-comment thread is found and updated, not duplicated', async () => {
    const pr = 43;
    const alice = { login: 'alice', type: 'User' as const };
    for (let i = 0; i < 130; i++) stack.github.addComment(pr, `review note ${i}`, alice);
    stack.github.mergeBases.set(`${BASE_TIP}...${sha('c')}`, MAIN);
    const job = (server: BaselineServer, commit: string) => stack.act({
      model: 'vlm-f', server, event: prEvent(pr, BASE_TIP, sha('c')), sha: commit, ref: `refs/pull/${pr}/merge`, inputs: { manifest, 'fail-on': 'never' },
    });
    const first = await job(good, sha('d'));
    expect(first.code, first.stdout).toBe(0);
    for (let i = 130; i < 250; i++) stack.github.addComment(pr, `review note ${i}`, alice);
    const thread = stack.github.comments.filter((c) => c.issue === pr);
    expect(thread).toHaveLength(251);
    // ours is the 131st: on page 2 of 3 at GitHub's largest page size (100)
    expect(thread.findIndex((c) => c.body.startsWith(MARKER))).toBe(130);
    const before = stack.github.requests.length;
    const second = await job(bad, sha('e'));
    expect(second.code, second.stdout).toBe(0);
    const asked = stack.github.requests.slice(before);
    const pages = asked.filter((q) => q.method === 'GET' && q.path === `/repos/acme/vision/issues/${pr}/comments`).map((q) => new URLSearchParams(q.query).get('page') ?? '1');
    expect(pages).toEqual(['1', '2', '3']);
    expect(asked.filter((q) => q.method === 'POST' && q.path.endsWith('/comments'))).toHaveLength(0);
    expect(asked.filter((q) => q.method === 'PATCH').map((q) => q.path)).toEqual([`/repos/acme/vision/issues/comments/${thread[130]!.id}`]);
    const ours = stack.github.comments.filter((c) => c.issue === pr && c.body.startsWith(MARKER));
    expect(ours).toHaveLength(1);
    expect(ours[0]!.id).toBe(thread[130]!.id);
    expect(ours[0]!.body).toMatch(/\| custom \| 0\.750 \| 0\.250 \| −0\.500 /);
    expect(stack.github.comments.filter((c) => c.issue === pr)).toHaveLength(251);
  });

  it('a model name the endpoint does not list is a warning in the step log, results.json and the job summary; the run goes on', async () => {
    const renamed = await startBaselineServer({ policy: 'constant:A', modelId: 'llava-med-v1.5-7b' });
    try {
      const r = await stack.act({
        model: 'vlm-f', server: renamed, event: pushEvent(sha('0')), sha: sha('9'), ref: 'refs/heads/preflight', inputs: { manifest },
      });
      expect(r.code, r.stdout).toBe(0);
      const note = "note: the endpoint lists llava-med-v1.5-7b but not 'vlm-f'; sending 'vlm-f' anyway";
      // logged when found, and again with the run's diagnostics at the end
      expect(r.stdout.split('\n').filter((l) => l.includes('llava-med-v1.5-7b'))).toEqual([note, `warning: ${note}`]);
      // (not toEqual: on a loaded machine the serial-server heuristic may add its own warning)
      expect(JSON.parse(readFileSync(r.outputs['results-file']!, 'utf8')).diagnostics.warnings).toContain(note);
      expect(r.summary).toContain('### Problems');
      expect(r.summary).toContain(`> [!WARNING]\n> ${note}`);
      expect(renamed.stats.requests).toBeGreaterThanOrEqual(60);
      expect(r.summary).toMatch(/\| custom \| 0\.750 \|/);
    } finally {
      await renamed.close();
    }
  });
});
