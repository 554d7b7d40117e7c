/**
 * `medvlm-bench merge` (action/src/runner/merge.ts, over shard folders) and the worker's shard merge
 * (worker/src/merge.ts) give the same result for the same shards, and that result carries the figures the fixture
 * computed independently for the whole run (tests/helpers/run-fixture.ts counts them on its own).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { mergeResultDirs } from '../../action/src/runner/merge.js';
import type { RunResult } from '../../schemas/results.js';
import { mergeShards } from '../../worker/src/merge.js';
import { makeRun, splitIntoShards } from '../helpers/run-fixture.js';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

/** Writes each shard as <tmp>/shard-i/results.json and returns the folders. */
function writeShards(shards: RunResult[]): string[] {
  const root = mkdtempSync(path.join(tmpdir(), 'medvlm-parity-'));
  dirs.push(root);
  return shards.map((s, i) => {
    const dir = path.join(root, `shard-${i}`);
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'results.json'), JSON.stringify(s));
    return dir;
  });
}

/** Gives each shard its own timing, as shards on different machines have. */
function staggered(shards: RunResult[]): RunResult[] {
  return shards.map((s, i) => ({
    ...s,
    timing: {
      startedAt: new Date(Date.parse('2026-11-01T10:00:00.000Z') + i * 20_000).toISOString(),
      finishedAt: new Date(Date.parse('2026-11-01T10:01:00.000Z') + i * 40_000).toISOString(),
      wallSeconds: 60 + 20 * i, itemsPerSecond: 1 + i / 2, latencyMs: { p50: 100 + 30 * i, p95: 400 - 50 * i },
      tokens: { prompt: 1000 * (i + 1), completion: 100 },
    },
  }));
}

describe('runner merge and worker merge agree', () => {
  it('paper-protocol shards: identical results, equal to the whole run the fixture built', async () => {
    const whole = makeRun({ n: 61, benchmarks: ['vqa-rad', 'slake', 'pmc-vqa'] });
    const shards = staggered(splitIntoShards(whole, 3));
    const out = mkdtempSync(path.join(tmpdir(), 'medvlm-parity-out-'));
    dirs.push(out);
    const runner = await mergeResultDirs(writeShards([shards[2]!, shards[0]!, shards[1]!]), out);
    const worker = mergeShards(shards);
    expect(runner).toEqual(worker);
    expect(runner.benchmarks.map((b) => b.metrics)).toEqual(whole.benchmarks.map((b) => b.metrics));
    expect(runner.benchmarks.map((b) => b.groups)).toEqual(whole.benchmarks.map((b) => b.groups));
    // 10:00:00 → 10:02:20; answered 1 × 60 + 1.5 × 80 + 2 × 100 = 380 items over 140 s; latencies: largest shard value
    expect(runner.timing).toEqual({
      startedAt: '2026-11-01T10:00:00.000Z', finishedAt: '2026-11-01T10:02:20.000Z', wallSeconds: 140,
      itemsPerSecond: 2.714, latencyMs: { p50: 160, p95: 400 }, tokens: { prompt: 6000, completion: 300 },
    });
  });

  it('full-protocol shards with graded open items: identical results', async () => {
    const n = 45;
    const whole = makeRun({ n, benchmarks: ['vqa-rad'] });
    const b = whole.benchmarks[0]!;
    b.outcomes.graded = {
      open_exact_match: Array.from({ length: n }, (_, i) => (i % 4 === 0 ? i % 8 === 0 ? 1 : 0 : null)),
      open_token_recall: Array.from({ length: n }, (_, i) => (i % 4 === 0 ? (i % 5) / 4 : null)),
      open_token_f1: Array.from({ length: n }, (_, i) => (i % 4 === 0 ? (i % 7) / 10 : null)),
    };
    const shards = staggered(splitIntoShards(whole, 4)).map((s) => ({
      ...s,
      benchmarks: s.benchmarks.map((x) => ({ ...x, outcomes: { ...x.outcomes, graded: Object.fromEntries(
        Object.entries(x.outcomes.graded).map(([k, v]) => [k, v.map((g, i) => (i % 4 === s.shard!.shardIndex ? g : null))])) } })),
    }));
    const out = mkdtempSync(path.join(tmpdir(), 'medvlm-parity-out-'));
    dirs.push(out);
    const runner = await mergeResultDirs(writeShards(shards), out);
    expect(runner).toEqual(mergeShards(shards));
    const open = Array.from({ length: n }, (_, i) => i).filter((i) => i % 4 === 0);
    const [acc, em] = runner.benchmarks[0]!.metrics;
    expect(acc!.n).toBe(n - open.length);
    expect(em).toMatchObject({ name: 'open_exact_match', n: open.length, value: open.filter((i) => i % 8 === 0).length / open.length });
  });
});
