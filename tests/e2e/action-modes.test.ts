/**
 * End to end, without an aggregator: the bundled action's config check before any model request, the
 * `comment: on-change` policy, and a sharded run merged by a fan-in job (merge-shards).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBaselineServer, type BaselineServer } from '../../action/src/runner/baseline-server.js';
import { startFakeGithub, type FakeGithub } from '../helpers/fake-github.js';
import { BUNDLE, prEvent, runBundle, sha, writeManifest } from './action-harness.js';

describe('action bundle: config errors, comment modes, shards', () => {
  let github: FakeGithub;
  let model: BaselineServer;
  let workspace: string;
  let manifest: string;

  beforeAll(async () => {
    expect(existsSync(BUNDLE), 'run `npm run build` first').toBe(true);
    [github, model] = await Promise.all([startFakeGithub(), startBaselineServer({ policy: 'constant:A' })]);
    workspace = mkdtempSync(path.join(tmpdir(), 'medvlm-ws-'));
    manifest = writeManifest(workspace, 'm', 40, 30);
  });

  afterAll(async () => {
    await Promise.all([github?.close(), model?.close()]);
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  const run = (pr: number, inputs: Record<string, string>) => runBundle({
    workspace,
    event: prEvent(pr, sha('3'), sha('4')),
    inputs: { endpoint: `${model.url}/v1`, model: 'vlm', benchmarks: 'custom', manifest, 'github-token': 'fake', ...inputs },
    env: { GITHUB_REPOSITORY: 'acme/vision', GITHUB_SHA: sha('5'), GITHUB_REF: `refs/pull/${pr}/merge`, GITHUB_API_URL: github.url },
  });

  it('an invalid gates config fails the step with file:line before any model request', async () => {
    const before = model.stats.requests;
    const r = await run(1, { gates: 'gates:\n  - benchmark: custom\n    min: 0.5\n    max_drop: 0.1\n' });
    expect(r.code).toBe(1);
    // workflow commands encode newlines as %0A; the Actions UI shows them as lines
    expect(r.stdout.replace(/%0A/g, '\n')).toContain("invalid gates config:\ngates input:4:5: gates[0]: unknown key 'max_drop'");
    expect(model.stats.requests).toBe(before);
    expect(existsSync(path.join(workspace, 'medvlm-bench-results', 'results.json'))).toBe(false);
  });

  it('a gate on a benchmark outside an explicit `benchmarks` list fails before any model request, naming its line', async () => {
    const before = model.stats.requests;
    const r = await run(5, { 'results-dir': 'not-run', gates: 'alpha: 0.05\ngates:\n  - benchmark: custom\n    min: 0.5\n  - benchmark: vqa-rad\n    min: 0.5\n' });
    expect(r.code).toBe(1);
    expect(r.stdout.replace(/%0A/g, '\n')).toContain('gates input:5:16: gates[1].benchmark: vqa-rad is gated but will not run (benchmarks: custom)');
    expect(model.stats.requests).toBe(before);
  });

  it('with a personal token the sticky comment is found by its author (GET /user), never a bot\'s look-alike', async () => {
    github.users.set('pat-token', { login: 'ci-user', type: 'User' });
    const marker = '<!-- medvlm-bench:vlm -->';
    const decoy = github.addComment(6, `${marker}\nnot mine`, { login: 'github-actions[bot]', type: 'Bot' });
    const gates = 'gates:\n  - benchmark: custom\n    min: 0.5\n';
    for (const dir of ['pat-1', 'pat-2']) {
      const r = await run(6, { 'github-token': 'pat-token', comment: 'always', 'results-dir': dir, gates });
      expect(r.code, r.stdout).toBe(0);
    }
    const mine = github.comments.filter((c) => c.issue === 6 && c.user.login === 'ci-user');
    expect(mine).toHaveLength(1);
    expect(mine[0]!.body.startsWith(marker)).toBe(true);
    expect(decoy.body).toBe(`${marker}\nnot mine`);
    expect(github.requests.filter((q) => q.path === '/user').length).toBeGreaterThan(0);
  });

  it('comment: on-change stays quiet while all is well, comments on failure, then keeps that comment fresh', async () => {
    const quiet = await run(2, { comment: 'on-change', 'results-dir': 'oc-1', gates: 'gates:\n  - benchmark: custom\n    min: 0.5\n' });
    expect(quiet.code, quiet.stdout).toBe(0);
    expect(quiet.stdout).toContain('PR comment: on-change: nothing changed significantly and all gates passed');
    expect(github.comments.filter((c) => c.issue === 2)).toHaveLength(0);
    const failing = await run(2, { comment: 'on-change', 'results-dir': 'oc-2', gates: 'gates:\n  - benchmark: custom\n    min: 0.9\n' });
    expect(failing.code).toBe(1);
    expect(github.comments.filter((c) => c.issue === 2)).toHaveLength(1);
    expect(github.comments.find((c) => c.issue === 2)!.body).toContain('1 gate failed');
    const fixed = await run(2, { comment: 'on-change', 'results-dir': 'oc-3', gates: 'gates:\n  - benchmark: custom\n    min: 0.5\n' });
    expect(fixed.code).toBe(0);
    const comments = github.comments.filter((c) => c.issue === 2);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain('all gates passed');
  });

  it('fail-on: never reports a failing gate without failing the step, and the check run is neutral', async () => {
    const r = await run(3, { 'fail-on': 'never', 'results-dir': 'fo', gates: 'gates:\n  - benchmark: custom\n    min: 0.9\n' });
    expect(r.code, r.stdout).toBe(0);
    expect(r.outputs.passed).toBe('false');
    expect(github.checkRuns.at(-1)).toMatchObject({ conclusion: 'neutral', head_sha: sha('4') });
  });

  it('shard jobs only evaluate; the fan-in job merges them and gates the whole run', async () => {
    for (const s of ['1/2', '2/2']) {
      const r = await run(4, { shard: s, 'results-dir': `shards/shard-${s[0]}`, comment: 'never' });
      expect(r.code, r.stdout).toBe(0);
      expect(r.summary).toContain(`medvlm-bench shard ${s}`);
    }
    expect(github.comments.filter((c) => c.issue === 4)).toHaveLength(0);
    const merged = await run(4, { 'merge-shards': 'shards/*', 'results-dir': 'merged', comment: 'always', gates: 'gates:\n  - benchmark: custom\n    min: 0.7\n' });
    expect(merged.code, merged.stdout).toBe(0);
    const result = JSON.parse(readFileSync(merged.outputs['results-file']!, 'utf8'));
    expect(result.shard).toBeNull();
    expect(result.benchmarks[0].counts.scored).toBe(40);
    expect(result.benchmarks[0].metrics.find((m: { name: string }) => m.name === 'accuracy').value).toBe(0.75);
    expect(github.comments.find((c) => c.issue === 4)!.body).toContain('accuracy 0.750 ≥ floor 0.700');
  });
});
