/**
 * End to end, how the action built from source chooses its baseline on a real local worker: the push baseline from
 * the event's `before`, `baseline: sha:/ref:/run:`, a merge-base GitHub cannot compute, and the checkpoint label a
 * matrix over checkpoints relies on. "good" answers A, "bad" answers B; the manifest's gold is A for 45 of 60 items,
 * so a run scores 0.750 or 0.250 by construction, and every expected run id is the one this file uploaded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBaselineServer, type BaselineServer } from '../../action/src/runner/baseline-server.js';
import type { BundleRun } from './action-harness.js';
import { prEvent, pushEvent, sha, writeManifest } from './action-harness.js';
import { runIdOf, startStack, type Stack } from './action-stack.js';

const M1 = sha('1');
const M2 = sha('2');
const REL = sha('7');
const BASE_TIP = sha('3');

describe('action baselines', () => {
  let stack: Stack;
  let good: BaselineServer;
  let bad: BaselineServer;
  let manifest: string;
  /** run ids the worker gave the three pushes: main at M1 (0.750), main at M2 (0.250), release at REL (0.750) */
  const id = { m1: '', m2: '', rel: '' };

  beforeAll(async () => {
    [stack, good, bad] = await Promise.all([
      startStack(), startBaselineServer({ policy: 'constant:A' }), startBaselineServer({ policy: 'constant:B' }),
    ]);
    manifest = writeManifest(stack.workspace, 'm', 60, 45);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([stack?.stop(), good?.close(), bad?.close()]);
  });

  const push = (server: BaselineServer, commit: string, before: string, branch: string, inputs: Record<string, string> = {}) =>
    stack.act({ model: 'vlm-b', server, event: { ...pushEvent(before), ref: `refs/heads/${branch}` }, sha: commit, ref: `refs/heads/${branch}`, inputs: { manifest, ...inputs } });

  /** a PR job with the good model (0.750), test-merge commit `commit`, head `head` */
  const prJob = (n: number, head: string, commit: string, inputs: Record<string, string> = {}) =>
    stack.act({ model: 'vlm-b', server: good, event: prEvent(n, BASE_TIP, head), sha: commit, ref: `refs/pull/${n}/merge`, inputs: { manifest, ...inputs } });

  const row = (r: BundleRun) => /\| custom \| (\d\.\d{3}) \| (\d\.\d{3}) \|/.exec(r.summary)?.slice(1, 3);
  const baselineLine = (r: BundleRun) => /^\*\*Baseline:\*\* (.*?) {2}$/m.exec(r.summary)?.[1];
  const compareCalls = () => stack.github.requests.filter((q) => q.path.includes('/compare/')).length;

  it('push: the previous tip of the branch (`before`) is the baseline, and the note says so', async () => {
    const first = await push(good, M1, sha('0'), 'main');
    expect(first.code, first.stdout).toBe(0);
    id.m1 = runIdOf(first)!;
    expect(baselineLine(first)).toBe('push with no previous commit (`before` is 000…: the push created the branch or tag), so no baseline commit, and none on main: absolute gates only');
    const second = await push(bad, M2, M1, 'main');
    expect(second.code).toBe(1); // 0.750 → 0.250 is a significant regression
    id.m2 = runIdOf(second)!;
    expect(baselineLine(second)).toBe(`run ${id.m1} at the branch's previous tip \`1111111\` (same model, same dataset fingerprints)`);
    expect(row(second)).toEqual(['0.750', '0.250']);
    const release = await push(good, REL, sha('0'), 'release');
    expect(release.code, release.stdout).toBe(0);
    id.rel = runIdOf(release)!;
    expect(new Set([id.m1, id.m2, id.rel]).size).toBe(3);
    expect(await stack.runIdsAt(M1)).toEqual([id.m1]);
  });

  it('baseline: sha:<prefix> picks the run at that commit, not the branch\'s newest', async () => {
    const calls = compareCalls();
    const r = await prJob(51, sha('a'), sha('b'), { baseline: 'sha:1111111' });
    expect(r.code, r.stdout).toBe(0);
    expect(baselineLine(r)).toBe(`run ${id.m1} at \`1111111\` (chosen with \`baseline: sha:\`)`);
    expect(row(r)).toEqual(['0.750', '0.750']);
    expect(compareCalls()).toBe(calls); // an explicit baseline needs no merge-base
  });

  it('baseline: ref:<branch> picks that branch\'s latest run', async () => {
    const release = await prJob(52, sha('a'), sha('c'), { baseline: 'ref:release' });
    expect(release.code, release.stdout).toBe(0);
    expect(baselineLine(release)).toBe(`latest run on release: run ${id.rel} at \`7777777\``);
    expect(row(release)).toEqual(['0.750', '0.750']);
    const main = await prJob(52, sha('a'), sha('d'), { baseline: 'ref:main' });
    expect(main.code, main.stdout).toBe(0);
    expect(baselineLine(main)).toBe(`latest run on main: run ${id.m2} at \`2222222\``);
    expect(row(main)).toEqual(['0.250', '0.750']);
  });

  it('baseline: run:<id> picks exactly that run', async () => {
    const r = await prJob(53, sha('a'), sha('e'), { baseline: `run:${id.m2}` });
    expect(r.code, r.stdout).toBe(0);
    expect(baselineLine(r)).toBe(`run ${id.m2} (chosen with \`baseline: run:${id.m2}\`)`);
    expect(row(r)).toEqual(['0.250', '0.750']);
    expect(r.outputs['compare-url']).toContain(`/compare/${id.m2}...`);
  });

  it('merge-base unknown (GitHub\'s compare fails): falls back to the base branch\'s latest run, warned and stated', async () => {
    const head = sha('f');
    expect(stack.github.mergeBases.has(`${BASE_TIP}...${head}`)).toBe(false); // the fake answers 404, as for an unknown commit
    const r = await prJob(54, head, sha('9'));
    expect(r.code, r.stdout).toBe(0);
    expect(stack.github.requests.filter((q) => q.path === `/repos/acme/vision/compare/${BASE_TIP}...${head}`)).toHaveLength(1);
    expect(r.stdout).toMatch(/^::warning::could not compute the merge-base with the GitHub API: Not Found/m);
    expect(baselineLine(r)).toBe(`merge-base unknown (GitHub API error); fell back to the latest run on main: run ${id.m2} at \`2222222\``);
    expect(row(r)).toEqual(['0.250', '0.750']);
  });

  it('a matrix over checkpoints: each PR job compares with its own label at the merge-base, in its own comment', async () => {
    const C = sha('6');
    const ckpt = (label: string, server: BaselineServer, event: unknown, commit: string, ref: string, runId: string) =>
      stack.act({ model: 'vlm-m', server, event, sha: commit, ref, runId, inputs: { manifest, checkpoint: label, 'fail-on': 'never' } });
    // one workflow run at the base commit, two matrix jobs; step-2000 uploads last, so it is the commit's newest run
    const base1000 = await ckpt('step-1000', good, pushEvent(sha('0')), C, 'refs/heads/main', '900');
    const base2000 = await ckpt('step-2000', bad, pushEvent(sha('0')), C, 'refs/heads/main', '900');
    expect([base1000.code, base2000.code]).toEqual([0, 0]);
    const [id1000, id2000] = [runIdOf(base1000)!, runIdOf(base2000)!];
    expect(new Set(await stack.runIdsAt(C))).toEqual(new Set([id1000, id2000]));
    stack.github.mergeBases.set(`${BASE_TIP}...${sha('d')}`, C);
    const pr = prEvent(55, BASE_TIP, sha('d'));
    const head1000 = await ckpt('step-1000', good, pr, sha('8'), 'refs/pull/55/merge', '901');
    const head2000 = await ckpt('step-2000', bad, pr, sha('8'), 'refs/pull/55/merge', '901');
    expect(baselineLine(head1000)).toBe(`run ${id1000} at the merge-base \`6666666\` (same model, same dataset fingerprints)`);
    expect(row(head1000)).toEqual(['0.750', '0.750']);
    expect(baselineLine(head2000)).toBe(`run ${id2000} at the merge-base \`6666666\` (same model, same dataset fingerprints)`);
    expect(row(head2000)).toEqual(['0.250', '0.250']);
    const comments = stack.github.comments.filter((c) => c.issue === 55).map((c) => c.body.split('\n')[0]);
    expect(comments).toEqual(['<!-- medvlm-bench:step-1000 -->', '<!-- medvlm-bench:step-2000 -->']);
    const checks = stack.github.checkRuns.filter((c) => c.head_sha === sha('d')).map((c) => `${c.name} ${c.conclusion}`);
    expect(checks).toEqual(['medvlm-bench (step-1000) success', 'medvlm-bench (step-2000) success']);
  });
});
