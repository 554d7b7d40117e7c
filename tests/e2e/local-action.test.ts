/**
 * GitHub's own local runner for JavaScript actions (`@github/local-action`) imports the logic entry
 * (action/src/github-action/main.ts, as in the official TypeScript action template), calls its exported `run()`
 * with its stand-in for @actions/core, and prints the outputs the action set. Before `run()` was exported it ran
 * the action on import and then failed with "does not export a run() function".
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBaselineServer, type BaselineServer } from '../../action/src/runner/baseline-server.js';
import { REPO_ROOT } from '../helpers/shared-data.js';
import { writeManifest } from './action-harness.js';

const LOCAL_ACTION = path.join(REPO_ROOT, 'node_modules', '@github', 'local-action', 'bin', 'local-action.js');

// local-action starts itself through `npm exec tsx`, which resolves tsx from the working directory: the repository.
function localAction(envFile: string, home: string): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, [LOCAL_ACTION, 'run', REPO_ROOT, 'action/src/github-action/main.ts', envFile], {
    cwd: REPO_ROOT, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? home, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out })));
}

/** local-action prints outputs as a table: `│ 0 │ 'passed' │ 'true' │`. */
function outputsOf(out: string): Record<string, string> {
  const tail = out.slice(out.lastIndexOf('Action Outputs'));
  const rows: Record<string, string> = {};
  for (const m of tail.matchAll(/│\s*\d+\s*│\s*'([^']+)'\s*│\s*'([^']*)'/g)) rows[m[1]!] = m[2]!;
  return rows;
}

describe('@github/local-action runs the action', () => {
  let model: BaselineServer;
  let dir: string;

  beforeAll(async () => {
    model = await startBaselineServer({ policy: 'constant:A' });
    dir = mkdtempSync(path.join(tmpdir(), 'medvlm-local-action-'));
  });
  afterAll(async () => {
    await model?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('imports main.ts, calls run(), evaluates and sets the outputs', async () => {
    const manifest = writeManifest(dir, 'm', 6, 6);
    const env = path.join(dir, '.env');
    writeFileSync(env, [
      `INPUT_ENDPOINT=${model.url}/v1`, 'INPUT_MODEL=baseline', 'INPUT_BENCHMARKS=custom',
      `INPUT_MANIFEST=${path.join(dir, manifest)}`, `INPUT_RESULTS-DIR=${path.join(dir, 'out')}`,
      `GITHUB_WORKSPACE=${dir}`, 'GITHUB_REPOSITORY=acme/vision', 'GITHUB_SHA=' + '1'.repeat(40), 'GITHUB_REF=refs/heads/main',
    ].join('\n'));
    const r = await localAction(env, dir);
    expect(r.out).not.toMatch(/does not export a run\(\) function/);
    expect(r.out).not.toMatch(/::error::/);
    const outputs = outputsOf(r.out);
    expect(outputs.passed, r.out.slice(-3000)).toBe('true');
    const results = JSON.parse(readFileSync(path.join(dir, 'out', 'results.json'), 'utf8')) as {
      benchmarks: Array<{ id: string; counts: { scored: number; unparsed: number; errors: number }; metrics: Array<{ name: string; value: number }> }>;
    };
    // six items, gold A for all six, and a model that always answers A
    const custom = results.benchmarks[0]!;
    expect(custom.id).toBe('custom');
    expect(custom.counts).toMatchObject({ scored: 6, unparsed: 0, errors: 0 });
    expect(custom.metrics.find((m) => m.name === 'accuracy')?.value).toBe(1);
    expect(outputs['results-file']).toBe(path.join(dir, 'out', 'results.json'));
  });
});
