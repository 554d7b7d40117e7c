/**
 * `medvlm-bench report`: rebuilds report.html of a run folder, with a local baseline results.json (its
 * predictions.jsonl found beside it) or a run stored on a real local worker (workerd + D1); refuses unclear flags.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../action/src/cli/main.js';
import type { CliDeps } from '../../action/src/cli/deps.js';
import type { ReportData } from '../../action/src/runner/report/types.js';
import { startLocalWorker, type LocalWorker } from '../../scripts/local-worker.mjs';
import { makeReportRuns, type ReportRuns } from '../helpers/report-runs.js';

function cli(cwd: string) {
  const io = { out: '', err: '' };
  const deps: CliDeps = { out: (t) => { io.out += `${t}\n`; }, err: (t) => { io.err += `${t}\n`; }, fetch, now: () => 0, env: {}, cwd, version: '0', isTTY: false };
  return { io, deps };
}

/** The JSON blob of a written report.html, parsed back (the page's own data, read independently of the builder). */
function dataOf(file: string): ReportData {
  const html = readFileSync(file, 'utf8');
  return JSON.parse(/<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html)![1]!) as ReportData;
}

describe('medvlm-bench report', () => {
  let runs: ReportRuns;
  let worker: LocalWorker;
  const goldA = (r: ReportRuns) => new Set([...r.data.answers].filter(([, a]) => a.toLowerCase() === 'yes').map(([id]) => id));

  beforeAll(async () => {
    [runs, worker] = await Promise.all([makeReportRuns(40), startLocalWorker({ vars: { ALLOW_UNAUTHENTICATED_UPLOADS: 'true' } })]);
  }, 120_000);
  afterAll(async () => { await worker?.stop(); });

  it('with --baseline: every item of the run, the changed ones carrying the baseline response', async () => {
    const { io, deps } = cli(runs.prDir);
    const code = await main(['report', '.', '--baseline', path.join(runs.mainDir, 'results.json'), '-o', 'r.html'], deps);
    expect(code, io.err).toBe(0);
    expect(io.out).toMatch(/^wrote .*r\.html \(32 items, .* with changes vs baseline-constant/);
    const data = dataOf(path.join(runs.prDir, 'r.html'));
    const b = data.benchmarks[0]!;
    expect(b.pairing.status).toBe('paired');
    const regressed = b.items.filter((i) => i.b === 1 && !(i.f & 1)).map((i) => i.id);
    expect(new Set(regressed)).toEqual(goldA(runs));
    expect(b.items.every((i) => i.br === 'The answer is \\boxed{A}.')).toBe(true);
  });

  it('with --baseline-run: the outcome bits of a run stored on the worker; no baseline responses exist there', async () => {
    const res = await fetch(`${worker.url}/api/v1/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...runs.main.result, identity: { ...runs.main.result.identity, repository: 'acme/vision', commit: 'a'.repeat(40), ref: 'refs/heads/main' } }) });
    expect(res.status, await res.clone().text()).toBe(201);
    const { id } = (await res.json()) as { id: string };
    const { io, deps } = cli(runs.prDir);
    expect(await main(['report', runs.prDir, '--baseline-run', id, '--aggregator-url', worker.url], deps), io.err).toBe(0);
    const b = dataOf(path.join(runs.prDir, 'report.html')).benchmarks[0]!;
    expect(new Set(b.items.filter((i) => i.b === 1 && !(i.f & 1)).map((i) => i.id))).toEqual(goldA(runs));
    expect(b.items.some((i) => i.br !== undefined)).toBe(false);
    expect(dataOf(path.join(runs.prDir, 'report.html')).baseline).toBe(`run ${id} on ${worker.url}`);
  });

  it('refuses both baselines at once, a run id without a URL, and a folder without run-config.json', async () => {
    const { io, deps } = cli(runs.prDir);
    expect(await main(['report', '.', '--baseline', 'x.json', '--baseline-run', 'abc'], deps)).toBe(2);
    expect(io.err).toContain('not both');
    expect(await main(['report', '.', '--baseline-run', 'abc'], deps)).toBe(2);
    expect(io.err).toContain('--baseline-run needs --aggregator-url');
    const empty = mkdtempSync(path.join(tmpdir(), 'medvlm-rep-empty-'));
    try {
      expect(await main(['report', empty], deps)).toBe(1);
      expect(io.err).toMatch(/results\.json: ENOENT|cannot read .*results\.json/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
