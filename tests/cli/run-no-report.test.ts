/** `medvlm-bench run --no-report`: the run writes results.json and predictions.jsonl but no report.html. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunResult } from '../../schemas/results.js';
import { startBaselineServer, type BaselineServer } from '../../action/src/runner/baseline-server.js';
import { writeFakeVqaRad } from '../helpers/fake-vqa-rad.js';
import { spawnCli } from './cli-helpers.js';

const data = writeFakeVqaRad(40, 5);

describe('run --no-report', () => {
  let server: BaselineServer;
  beforeAll(async () => {
    server = await startBaselineServer({ seed: 7 });
  });
  afterAll(async () => {
    await server.close();
    rmSync(data.root, { recursive: true, force: true });
  });

  const run = async (extra: string[]) => {
    const out = mkdtempSync(path.join(tmpdir(), 'medvlm-noreport-'));
    const cli = spawnCli(['run', '--endpoint', server.url, '--model', 'baseline', '--benchmarks', 'vqa-rad', '--data-dir', data.root,
      '--out', out, '--concurrency', '4', ...extra]);
    const { code } = await cli.exit;
    expect(code, cli.stderr()).toBe(0);
    return { out, stderr: cli.stderr() };
  };

  it('leaves report.html out and still writes results.json and predictions.jsonl', async () => {
    const { out, stderr } = await run(['--no-report']);
    expect(existsSync(path.join(out, 'report.html'))).toBe(false);
    expect(stderr).not.toMatch(/item report:/);
    const result = RunResult.parse(JSON.parse(readFileSync(path.join(out, 'results.json'), 'utf8')));
    expect(result.benchmarks[0]!.counts.scored).toBe(data.yesNo);
    expect(readFileSync(path.join(out, 'predictions.jsonl'), 'utf8').trim().split('\n')).toHaveLength(data.yesNo);
  });

  it('without the flag the same run writes report.html (the contrast the flag is about)', async () => {
    const { out, stderr } = await run([]);
    expect(stderr).toMatch(/item report: .*report\.html/);
    expect(readFileSync(path.join(out, 'report.html'), 'utf8')).toMatch(/^<!doctype html>/);
  });

  it('is listed in run --help', async () => {
    const cli = spawnCli(['run', '--help']);
    expect((await cli.exit).code).toBe(0);
    expect(cli.stdout()).toMatch(/--no-report\s+do not write the item report/);
  });
});
