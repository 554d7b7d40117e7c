/**
 * The action against a private deployment (PRIVATE_READS=true, allow-listed to the repository), and the promise
 * that the PR comment and the worker's compare API judge a pair of runs with the same numbers: both call
 * schemas/paired-compare.ts, here checked through the real worker (workerd + local D1) against the gates, and both
 * against counts, exact p-values and Holm adjustments computed in this file from how the two runs were built.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBaselineServer, type BaselineServer } from '../../action/src/runner/baseline-server.js';
import { GatesConfig } from '../../action/src/github-action/gates/config.js';
import { evaluateGates } from '../../action/src/github-action/gates/evaluate.js';
import { packBits } from '../../schemas/bitset.js';
import { CompareResult } from '../../schemas/compare.js';
import type { RunResult } from '../../schemas/results.js';
import { wilson } from '../../schemas/stats.js';
import { startFakeGithub, type FakeGithub } from '../helpers/fake-github.js';
import type { GithubClaims } from '../helpers/oidc.js';
import { startOidcServer, type OidcServer } from '../helpers/oidc-server.js';
import { makeRun } from '../helpers/run-fixture.js';
import { startLocalWorker, type LocalWorker } from '../../scripts/local-worker.mjs';
import { BUNDLE, prEvent, pushEvent, runBundle, sha, writeManifest } from './action-harness.js';

const TOKEN = 'mvb_private_0123456789abcdef';
const N = 300;
const BENCHES = ['vqa-rad', 'slake', 'pathvqa'] as const;
const STEP: Record<string, number> = { 'vqa-rad': 9, slake: 13, pathvqa: 31 };
const baseCorrect = (i: number, b: string) => (i * 7 + b.length) % 10 < 6;
/** head loses every STEP-th item the base had right and wins every 3·STEP-th it had wrong */
const headCorrect = (i: number, b: string) => (baseCorrect(i, b) ? i % STEP[b]! !== 0 : i % (3 * STEP[b]!) === 1);

/** Membership of the groups the fixture defines: questionType from run-fixture.ts, modality from withModality below. */
const GROUP_OF: Record<string, (i: number) => boolean> = {
  'questionType=reasoning': (i) => i % 3 === 0, 'questionType=understanding': (i) => i % 3 !== 0,
  'modality=CT': (i) => i % 2 === 0, 'modality=MRI': (i) => i % 2 === 1,
};

/** The expected comparison from the construction alone: 2×2 counts, exact McNemar with BigInt, Holm per family. */
function expectedComparison(): Map<string, { counts: Record<string, number>; diff: number; p: number; pAdjusted: number }> {
  const rows = BENCHES.flatMap((b) => [null, ...Object.keys(GROUP_OF)].map((group) => {
    const counts = { both: 0, baseOnly: 0, headOnly: 0, neither: 0 };
    for (let i = 0; i < N; i++) {
      if (group && !GROUP_OF[group]!(i)) continue;
      const [x, y] = [baseCorrect(i, b), headCorrect(i, b)];
      counts[x && y ? 'both' : x ? 'baseOnly' : y ? 'headOnly' : 'neither']++;
    }
    const n = counts.both + counts.baseOnly + counts.headOnly + counts.neither;
    return { key: `${b} ${group}`, group, counts, diff: (counts.headOnly - counts.baseOnly) / n, p: exactMcNemar(counts.baseOnly, counts.headOnly) };
  }));
  const out = new Map<string, { counts: Record<string, number>; diff: number; p: number; pAdjusted: number }>();
  // a family: one group (or the whole benchmarks) across the three benchmarks
  for (const group of [null, ...Object.keys(GROUP_OF)]) {
    const family = rows.filter((r) => r.group === group).sort((a, b) => a.p - b.p);
    let running = 0;
    family.forEach((r, rank) => {
      running = Math.max(running, Math.min(1, (family.length - rank) * r.p));
      out.set(r.key, { counts: r.counts, diff: r.diff, p: r.p, pAdjusted: running });
    });
  }
  return out;
}

/** 2·P(X ≤ min(b, c)) for X ~ Bin(b + c, ½), summed exactly in integers. */
function exactMcNemar(b: number, c: number): number {
  const m = b + c;
  if (m === 0) return 1;
  let term = 1n;
  let sum = 0n;
  for (let i = 0; i <= Math.min(b, c); i++) {
    sum += term;
    term = (term * BigInt(m - i)) / BigInt(i + 1);
  }
  return Math.min(1, Number(2n * sum) / 2 ** m);
}

/** A second group key, so per-benchmark families (the old worker rule) would give different adjustments. */
function withModality(run: RunResult): RunResult {
  for (const b of run.benchmarks) {
    const correctOf = run.model.name === 'head' ? headCorrect : baseCorrect;
    const correct = Array.from({ length: N }, (_, i) => correctOf(i, b.id));
    for (const value of ['CT', 'MRI']) {
      const sel = Array.from({ length: N }, (_, i) => (i % 2 === 0) === (value === 'CT'));
      const k = correct.filter((c, i) => c && sel[i]).length;
      const n = sel.filter(Boolean).length;
      b.groups.push({ key: 'modality', value, n, members: packBits(sel),
        metrics: [{ name: 'accuracy', value: k / n, n, ci95: wilson(k, n), higherIsBetter: true }] });
    }
  }
  return run;
}

describe('action: private deployment and one comparison for the API and the gates', () => {
  let worker: LocalWorker;
  let oidc: OidcServer;
  let github: FakeGithub;
  let model: BaselineServer;
  let workspace: string;
  const auth = { authorization: `Bearer ${TOKEN}` };
  // minted tokens carry these (read at mint time), so each job's token names its own commit and ref
  const claims: Partial<GithubClaims> = {};

  beforeAll(async () => {
    expect(existsSync(BUNDLE), 'run `npm run build` first').toBe(true);
    oidc = await startOidcServer(claims);
    [worker, github, model] = await Promise.all([
      startLocalWorker({ vars: {
        OIDC_ISSUER: oidc.url, OIDC_JWKS_URL: oidc.jwksUrl, PRIVATE_READS: 'true', ALLOWED_OWNERS: 'acme', ALLOWED_REPOS: 'acme/vision',
      } }),
      startFakeGithub(),
      startBaselineServer({ policy: 'constant:A' }),
    ]);
    const db = await worker.mf.getD1Database('DB');
    await db.prepare('INSERT INTO api_tokens (token_sha256, repos, label, created_at) VALUES (?, ?, ?, ?)')
      .bind(createHash('sha256').update(TOKEN).digest('hex'), 'acme/vision', 'e2e', Date.now()).run();
    workspace = mkdtempSync(path.join(tmpdir(), 'medvlm-ws-'));
  });

  afterAll(async () => {
    await Promise.all([worker?.stop(), github?.close(), model?.close(), oidc?.close()]);
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  async function upload(run: RunResult): Promise<string> {
    const res = await fetch(`${worker.url}/api/v1/runs`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(run) });
    expect(res.status, await res.clone().text()).toBe(201);
    return ((await res.json()) as { id: string }).id;
  }

  it('gates and GET /api/v1/compare agree on p, pAdjusted, diff, interval, bound and verdict', async () => {
    const base = withModality(makeRun({ n: N, benchmarks: [...BENCHES], model: 'base', commit: sha('a'), correct: baseCorrect }));
    const head = withModality(makeRun({ n: N, benchmarks: [...BENCHES], model: 'head', commit: sha('b'), correct: headCorrect }));
    const [baseId, headId] = [await upload(base), await upload(head)];
    expect((await fetch(`${worker.url}/api/v1/compare?base=${baseId}&head=${headId}`)).status).toBe(401);
    const verdicts = new Set<string>();
    const expected = expectedComparison();
    for (const opts of [{ margin: 0.02, alpha: 0.05, mode: 'regression' }, { margin: 0.05, alpha: 0.1, mode: 'non-inferiority' }] as const) {
      const q = new URLSearchParams({ base: baseId, head: headId, margin: String(opts.margin), alpha: String(opts.alpha), mode: opts.mode });
      const api = CompareResult.parse(await (await fetch(`${worker.url}/api/v1/compare?${q}`, { headers: auth })).json());
      const groups = ['questionType=reasoning', 'questionType=understanding', 'modality=CT', 'modality=MRI'];
      const cfg = GatesConfig.parse({ alpha: opts.alpha, mode: opts.mode, gates: [
        { benchmark: '*', 'max-drop': opts.margin }, ...groups.map((group) => ({ benchmark: '*', group, 'max-drop': opts.margin })),
      ] });
      const report = evaluateGates(cfg, head, base);
      let checked = 0;
      for (const b of api.benchmarks) {
        for (const c of [{ ...b, group: null as string | null }, ...b.groups.map((g) => ({ ...g, group: `${g.key}=${g.value}` }))]) {
          const row = report.rows!.find((r) => r.benchmark === b.id && r.group === c.group && r.metric === 'accuracy')!;
          const check = report.checks.find((x) => x.benchmark === b.id && x.group === c.group && x.kind !== 'floor')!;
          const where = `${opts.mode} ${b.id} ${c.group ?? '(whole)'}`;
          expect([row.p, row.pAdjusted, row.diff, row.ci95, row.counts], where).toEqual([c.pValue, c.pAdjusted, c.diff, c.ci95, c.counts]);
          expect(row.lowerBound, where).toBe(c.lowerBound ?? null);
          expect(check.verdict, where).toBe(c.verdict);
          // and both are right, by the construction of the two runs
          const want = expected.get(`${b.id} ${c.group}`)!;
          expect(c.counts, where).toEqual(want.counts);
          expect(c.diff, where).toBeCloseTo(want.diff, 12);
          expect(Math.abs(c.pValue - want.p) / want.p, where).toBeLessThan(1e-9);
          expect(Math.abs(c.pAdjusted - want.pAdjusted) / want.pAdjusted, where).toBeLessThan(1e-9);
          if (opts.mode === 'regression') {
            const significant = want.pAdjusted < opts.alpha;
            expect(c.verdict, where).toBe(significant && want.diff < -opts.margin ? 'worse' : significant && want.diff > 0 ? 'better' : 'no-significant-change');
          }
          verdicts.add(c.verdict);
          checked++;
        }
      }
      expect(checked).toBe(BENCHES.length * 5);
    }
    // the pair exercises more than one verdict, so agreement is not trivially "all neutral"
    expect(verdicts.size).toBeGreaterThan(1);
  });

  it('finds the merge-base baseline on a private deployment, reading with the API token or a fresh OIDC token', async () => {
    const manifest = writeManifest(workspace, 'm', 40, 30);
    const act = (n: number, event: unknown, commit: string, ref: string, inputs: Record<string, string>) => {
      Object.assign(claims, { sha: commit, ref, run_id: String(500 + n) });
      return runBundle({
        workspace, event,
        inputs: {
          endpoint: `${model.url}/v1`, model: 'vlm-p', benchmarks: 'custom', manifest, 'aggregator-url': worker.url,
          'github-token': 'fake-token', comment: 'always', 'results-dir': `r-${n}`, ...inputs,
        },
        env: {
          GITHUB_REPOSITORY: 'acme/vision', GITHUB_SHA: commit, GITHUB_REF: ref, GITHUB_API_URL: github.url, GITHUB_RUN_ID: String(500 + n),
          GITHUB_EVENT_NAME: ref.startsWith('refs/pull/') ? 'pull_request' : 'push', ...oidc.env,
        },
      });
    };
    const tokenAuth = { 'aggregator-auth': 'token', 'aggregator-token': TOKEN };
    const main = await act(0, pushEvent(sha('0')), sha('1'), 'refs/heads/main', tokenAuth);
    expect(main.code, main.stdout).toBe(0);
    github.mergeBases.set(`${sha('3')}...${sha('4')}`, sha('1'));
    const viaToken = await act(1, prEvent(21, sha('3'), sha('4')), sha('5'), 'refs/pull/21/merge', tokenAuth);
    expect(viaToken.code, viaToken.stdout).toBe(0);
    expect(viaToken.summary).toContain('at the merge-base `1111111`');
    expect(viaToken.summary).toMatch(/\| custom \| 0\.750 \| 0\.750 \|/);
    const before = oidc.requests.length;
    const viaOidc = await act(2, prEvent(22, sha('3'), sha('4')), sha('6'), 'refs/pull/22/merge', {});
    expect(viaOidc.code, viaOidc.stdout).toBe(0);
    expect(viaOidc.summary).toContain('at the merge-base `1111111`');
    expect(viaOidc.outputs['run-url']).toMatch(/\/acme\/vision\/runs\/[0-9a-f]{16}$/); // the OIDC upload itself was accepted
    expect(oidc.requests.length - before).toBe(2); // one token for the upload, a fresh one for the reads
  });
});
