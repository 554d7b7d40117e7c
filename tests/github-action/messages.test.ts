/**
 * Messages that say what happened: a skipped-only gate set is not "all gates passed"; a check run that fails for a
 * network reason is not blamed on permissions; a push that created its branch is not "not a pull request or push".
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveBaseline } from '../../action/src/github-action/baseline.js';
import { GatesConfig } from '../../action/src/github-action/gates/config.js';
import { evaluateGates } from '../../action/src/github-action/gates/evaluate.js';
import type { GithubApi } from '../../action/src/github-action/github/client.js';
import type { GithubContext } from '../../action/src/github-action/github/context.js';
import { headline, renderSummary, type ReportInput } from '../../action/src/github-action/report/markdown.js';
import { publishReport } from '../../action/src/github-action/report/publish.js';
import { firstK, makeRun } from './make-run.js';

const head = makeRun([{ id: 'vqa-rad', correct: firstK(100, 70) }]);

function input(gates: ReportInput['gates']): ReportInput {
  return { head, gates, baselineNote: 'none', uploadNote: null, gatesSource: 'inline', links: {}, failOn: 'gate' };
}

const ctx: GithubContext = {
  owner: 'acme', repo: 'vision', repository: 'acme/vision', sha: 'a'.repeat(40), ref: 'refs/heads/main', eventName: 'push',
  pr: null, pushBefore: null, runUrl: null, workspace: '/',
};

describe('headline and gates header', () => {
  it('a regression gate skipped for want of a baseline is "no gate could be checked", not "all passed"', () => {
    const gates = evaluateGates(GatesConfig.parse({ gates: [{ benchmark: '*', 'max-drop': 0.02 }] }), head, null);
    expect(gates.checks.map((c) => c.status)).toEqual(['skipped']);
    expect(headline(input(gates))).toBe('⚠️ medvlm-bench · demo-vlm: no gate could be checked (1 skipped)');
    expect(renderSummary(input(gates))).toContain('### Gates (0 failed, 0 passed, 1 skipped)');
  });

  it('a floor that passes beside a skipped regression gate says both', () => {
    const gates = evaluateGates(GatesConfig.parse({ gates: [{ benchmark: '*', 'max-drop': 0.02 }, { benchmark: 'vqa-rad', min: 0.5 }] }), head, null);
    expect(headline(input(gates))).toBe('✅ medvlm-bench · demo-vlm: 1 gate passed, 1 skipped');
  });
});

describe('check-run and comment failures', () => {
  const passing = evaluateGates(GatesConfig.parse({ gates: [{ benchmark: 'vqa-rad', min: 0.5 }] }), head, null);
  function github(error: unknown): GithubApi {
    const fail = async (): Promise<never> => { throw error; };
    return { mergeBase: fail, findComment: fail, upsertComment: fail, createCheckRun: fail };
  }
  async function warnings(error: unknown, pr = false): Promise<string[]> {
    const out: string[] = [];
    const c = pr ? { ...ctx, eventName: 'pull_request', pr: { number: 7, baseSha: 'b'.repeat(40), baseRef: 'main', headSha: 'c'.repeat(40), headRef: 'x', fromFork: true } } : ctx;
    await publishReport(input(passing), 'always', github(error), c, (m) => out.push(m));
    return out;
  }

  it('a DNS failure is reported as unreachable, with its code, and no permission advice', async () => {
    const dns = Object.assign(new Error('getaddrinfo ENOTFOUND api.github.com'), { code: 'ENOTFOUND' });
    const [w] = await warnings(dns);
    expect(w).toBe('could not create the check run: could not reach the GitHub API (ENOTFOUND): getaddrinfo ENOTFOUND api.github.com');
  });

  it('a 403 names the permission, and for a fork PR says its token is read-only', async () => {
    const denied = Object.assign(new Error('Resource not accessible by integration'), { status: 403 });
    const w = await warnings(denied, true);
    expect(w).toContain('could not write the PR comment: GitHub answered 403 (the job needs `permissions: pull-requests: write`; this PR comes from a fork, whose GITHUB_TOKEN is read-only): Resource not accessible by integration');
    // the check run fails for the same reason as the comment: the fork's token is read-only
    expect(w).toContain('could not create the check run: GitHub answered 403 (the job needs `permissions: checks: write`; this PR comes from a fork, whose GITHUB_TOKEN is read-only): Resource not accessible by integration');
  });

  it('a 502 is GitHub failing, not a permission problem', async () => {
    const [w] = await warnings(Object.assign(new Error('Bad Gateway'), { status: 502 }));
    expect(w).toBe('could not create the check run: GitHub answered 502: Bad Gateway');
  });
});

describe('baseline notes', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer((_req, res) => { res.setHeader('content-type', 'application/json'); res.end('{"runs":[]}'); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const deps = () => ({ client: { baseUrl: url, fetch }, github: null, warn: () => {} });

  it('a push that created its branch says so', async () => {
    const b = await resolveBaseline({ kind: 'merge-base' }, head, { ...ctx, ref: 'refs/heads/new-feature' }, deps());
    expect(b.run).toBeNull();
    expect(b.note).toBe('push with no previous commit (`before` is 000…: the push created the branch or tag), so no baseline commit, and none on new-feature: absolute gates only');
  });

  it('a scheduled run names its event', async () => {
    const b = await resolveBaseline({ kind: 'merge-base' }, head, { ...ctx, eventName: 'schedule', ref: null }, deps());
    expect(b.note).toBe('a `schedule` event has no merge-base (only pull requests and pushes do): absolute gates only');
  });
});
