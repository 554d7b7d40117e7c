import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countBits } from '../../schemas/bitset.js';
import { RunResult } from '../../schemas/results.js';
import { startBaselineServer, type BaselineServer } from '../../action/src/runner/baseline-server.js';
import { mergeResultDirs } from '../../action/src/runner/merge.js';
import { runEvaluation, type RunOptions } from '../../action/src/runner/run.js';
import { writeFakeVqaRad } from '../helpers/fake-vqa-rad.js';
import { spawnCli } from './cli-helpers.js';

/** generated data (no ../shared/data needed): 240 closed yes/no + 60 open items, all scored under --protocol full */
const data = writeFakeVqaRad(300, 5);
const tmp = () => mkdtempSync(path.join(tmpdir(), 'medvlm-merge-'));
const quiet = { fetch, now: Date.now, log: () => {} };
/** fixed identity: other work may commit to this checkout while the test runs, and shards must share a commit */
const IDENTITY = { GITHUB_REPOSITORY: 'acme/scans', GITHUB_SHA: 'a'.repeat(40), GITHUB_REF: 'refs/pull/7/merge' };

describe('merge shard results (generated VQA-RAD folder)', () => {
  let server: BaselineServer;
  let unsharded: RunResult;
  const shardDirs: string[] = [];
  const opts = (over: Partial<RunOptions>): RunOptions => ({
    endpoint: server.url, model: 'baseline', benchmarks: 'vqa-rad', dataDir: data.root, protocol: 'full', outDir: tmp(),
    concurrency: 16, env: IDENTITY, ...over,
  });

  beforeAll(async () => {
    server = await startBaselineServer({ seed: 9 });
    unsharded = (await runEvaluation(opts({}), quiet)).result;
    for (const i of [1, 2, 3]) {
      const dir = tmp();
      await runEvaluation(opts({ outDir: dir, shard: `${i}/3` }), quiet);
      shardDirs.push(dir);
    }
  });
  afterAll(async () => {
    await server.close();
    rmSync(data.root, { recursive: true, force: true });
  });

  it('shards partition the items deterministically and carry only their own present bits', () => {
    const shards = shardDirs.map((d) => RunResult.parse(JSON.parse(readFileSync(path.join(d, 'results.json'), 'utf8'))));
    const n = unsharded.benchmarks[0]!.outcomes.n;
    expect(n).toBe(data.items);
    const sizes = shards.map((s) => countBits(s.benchmarks[0]!.outcomes.present, n));
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(n);
    expect(Math.min(...sizes)).toBeGreaterThan(n / 6);
    expect(shards.map((s) => s.shard!.shardIndex)).toEqual([0, 1, 2]);
    expect(new Set(shards.map((s) => s.shard!.runKey)).size).toBe(1);
  });

  it('merges 1/3 + 2/3 + 3/3 into the unsharded result', async () => {
    const out = tmp();
    const merged = await mergeResultDirs([shardDirs[2]!, shardDirs[0]!, shardDirs[1]!], out);
    expect(merged.benchmarks).toEqual(unsharded.benchmarks);
    expect(merged.shard).toBeNull();
    expect(merged.benchmarks[0]!.metrics.map((m) => m.name)).toContain('open_token_f1');
    expect(RunResult.parse(JSON.parse(readFileSync(path.join(out, 'results.json'), 'utf8')))).toEqual(merged);
    expect(merged.identity).toMatchObject({ repository: 'acme/scans', commit: 'a'.repeat(40), prNumber: 7 });
  });

  it('refuses shards run with different settings, naming the difference', async () => {
    const other = tmp();
    await runEvaluation(opts({ outDir: other, shard: '2/3', maxTokens: 512 }), quiet);
    await expect(mergeResultDirs([shardDirs[0]!, other, shardDirs[2]!], tmp())).rejects.toThrow(/in decoding\.maxTokens: 512 vs 8192/);
  });

  it('refuses shards of another commit', async () => {
    const other = tmp();
    await runEvaluation(opts({ outDir: other, shard: '2/3', env: { ...IDENTITY, GITHUB_SHA: 'b'.repeat(40) } }), quiet);
    await expect(mergeResultDirs([shardDirs[0]!, other, shardDirs[2]!], tmp())).rejects.toThrow(/in identity\.commit: "b{40}" vs "a{40}"/);
  });

  it('refuses missing and duplicate shards', async () => {
    await expect(mergeResultDirs([shardDirs[0]!, shardDirs[2]!], tmp())).rejects.toThrow(/missing shard\(s\) 2\/3/);
    await expect(mergeResultDirs([shardDirs[0]!, shardDirs[0]!, shardDirs[2]!], tmp())).rejects.toThrow(/shard 1\/3 appears twice/);
  });

  it('refuses a tampered fingerprint and an invalid results.json with the file named', async () => {
    const bad = tmp();
    const r = JSON.parse(readFileSync(path.join(shardDirs[1]!, 'results.json'), 'utf8'));
    r.benchmarks[0].fingerprint = 'f'.repeat(64);
    writeFileSync(path.join(bad, 'results.json'), JSON.stringify(r));
    await expect(mergeResultDirs([shardDirs[0]!, bad, shardDirs[2]!], tmp())).rejects.toThrow(/in vqa-rad\.fingerprint/);
    writeFileSync(path.join(bad, 'results.json'), '{"schemaVersion": 2}');
    await expect(mergeResultDirs([bad], tmp())).rejects.toThrow(new RegExp(`${bad}/results.json is not a valid results.json`));
  });

  it('works from the CLI: merge DIR… -o DIR', async () => {
    const out = tmp();
    const cli = spawnCli(['merge', ...shardDirs, '-o', out]);
    expect((await cli.exit).code, cli.stderr()).toBe(0);
    expect(cli.stdout()).toMatch(/merged 3 shard\(s\)/);
    const merged = RunResult.parse(JSON.parse(readFileSync(path.join(out, 'results.json'), 'utf8')));
    expect(merged.benchmarks).toEqual(unsharded.benchmarks);
  });
});
