/**
 * The Action's item report step with an injected uploader (there is no artifact service in tests): the report is
 * written with the baseline's changes, uploaded under a per-model file name, and linked as
 * RUN_URL/artifacts/ID; an upload failure is a warning and no link; the summary shows the link line.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { GatesConfig } from '../../action/src/github-action/gates/config.js';
import { evaluateGates } from '../../action/src/github-action/gates/evaluate.js';
import { artifactFileName, shipItemReport } from '../../action/src/github-action/item-report.js';
import { renderComment, renderSummary } from '../../action/src/github-action/report/markdown.js';
import { makeReportRuns, type ReportRuns } from '../helpers/report-runs.js';

describe('item report in the Action', () => {
  let runs: ReportRuns;
  const log = () => {
    const lines = { info: [] as string[], warning: [] as string[] };
    return { lines, log: { info: (m: string) => lines.info.push(m), warning: (m: string) => lines.warning.push(m) } };
  };
  beforeAll(async () => { runs = await makeReportRuns(20); }, 60_000);

  it('writes report.html with the changes view and uploads it under a per-model name; the link is RUN_URL/artifacts/ID', async () => {
    const uploaded: string[] = [];
    const { lines, log: l } = log();
    const url = await shipItemReport({
      outDir: runs.prDir, result: runs.pr.result, benchmarks: runs.pr.benchmarks, shardDirs: null,
      baseline: { result: runs.main.result, label: 'main' }, runUrl: 'https://github.com/acme/vision/actions/runs/77',
    }, { upload: async (f) => { uploaded.push(f); return { id: 4242 }; }, log: l, env: { RUNNER_TEMP: runs.prDir }, now: () => 0 });
    expect(url).toBe('https://github.com/acme/vision/actions/runs/77/artifacts/4242');
    expect(uploaded).toHaveLength(1);
    expect(path.basename(uploaded[0]!)).toBe('medvlm-bench-report-baseline-constant.html');
    const html = readFileSync(uploaded[0]!, 'utf8');
    expect(html).toBe(readFileSync(path.join(runs.prDir, 'report.html'), 'utf8'));
    expect(html).toContain('"baseline":"main"');
    expect(lines.info.join('\n')).toContain('changes vs the baseline first');
    expect(lines.warning).toEqual([]);
  });

  it('an upload failure is a warning and gives no link; no uploader gives no link', async () => {
    const { lines, log: l } = log();
    const input = { outDir: runs.prDir, result: runs.pr.result, benchmarks: runs.pr.benchmarks, shardDirs: null, baseline: null, runUrl: 'https://x/runs/1' };
    expect(await shipItemReport(input, { upload: async () => { throw new Error('artifact service 503'); }, log: l, env: {}, now: () => 0 })).toBeNull();
    expect(lines.warning[0]).toMatch(/could not be uploaded as an artifact \(it is still in .*report\.html\): artifact service 503/);
    expect(await shipItemReport(input, { log: l, env: {}, now: () => 0 })).toBeNull();
  });

  it('a checkpoint label becomes a safe, distinct file name', () => {
    const r = { ...runs.pr.result, model: { ...runs.pr.result.model, checkpoint: 'my-vlm@step 2000/../x' } };
    expect(artifactFileName(r)).toBe('medvlm-bench-report-my-vlm_step_2000_.._x.html');
  });

  it('the summary and the comment link the artifact, and only link it', () => {
    const gates = evaluateGates(GatesConfig.parse({ gates: [] }), runs.pr.result, null);
    const input = { head: runs.pr.result, gates, baselineNote: 'none', uploadNote: null, gatesSource: 'default config', failOn: 'gate' as const,
      links: { report: 'https://github.com/acme/vision/actions/runs/77/artifacts/4242' } };
    for (const md of [renderSummary(input), renderComment(input)]) {
      expect(md).toContain('[Item report (artifact)](https://github.com/acme/vision/actions/runs/77/artifacts/4242)');
      expect(md).not.toMatch(/lesion|boxed/);
    }
  });
});
