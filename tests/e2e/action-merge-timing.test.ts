/**
 * End to end, a fan-in job (`merge-shards`) of the action built from source: two shard jobs evaluate, their timings
 * are then set to hand-picked values, and the merged results.json must carry the timing docs/results-schema.md
 * states ("Merged timing"): first start to last finish, items answered by all shards ÷ that span, the largest shard
 * latency percentiles, tokens summed, rounded to 3 decimals. Every expected number below is worked out by hand.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBaselineServer, type BaselineServer } from '../../action/src/runner/baseline-server.js';
import { pushEvent, runBundle, sha, writeManifest } from './action-harness.js';
import { buildFreshBundle, type FreshBundle } from './fresh-bundle.js';

/** shard 1: 100 s answering 20 items; shard 2 starts 50 s later and takes 160 s for its 20 (they overlap for 50 s) */
const SHARD_TIMING = [
  { startedAt: '2026-03-01T10:00:00.000Z', finishedAt: '2026-03-01T10:01:40.000Z', wallSeconds: 100, itemsPerSecond: 0.2,
    latencyMs: { p50: 120, p95: 400 }, tokens: { prompt: 1000, completion: 50 } },
  { startedAt: '2026-03-01T10:00:50.000Z', finishedAt: '2026-03-01T10:03:30.000Z', wallSeconds: 160, itemsPerSecond: 0.125,
    latencyMs: { p50: 90, p95: 650 }, tokens: { prompt: 1500, completion: 70 } },
];

describe('action merge-shards: merged timing', () => {
  let fresh: FreshBundle;
  let model: BaselineServer;
  let workspace: string;

  beforeAll(async () => {
    [fresh, model] = await Promise.all([buildFreshBundle(), startBaselineServer({ policy: 'constant:A' })]);
    workspace = mkdtempSync(path.join(tmpdir(), 'medvlm-ws-'));
  }, 60_000);

  afterAll(async () => {
    await model?.close();
    fresh?.remove();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  const job = (inputs: Record<string, string>) => runBundle({
    bundle: fresh.bundle, workspace, event: pushEvent(sha('0')), timeoutMs: 90_000,
    inputs: { comment: 'never', ...inputs },
    env: { GITHUB_REPOSITORY: 'acme/vision', GITHUB_SHA: sha('a'), GITHUB_REF: 'refs/heads/main', GITHUB_EVENT_NAME: 'push' },
  });

  it('first start to last finish, answered items over that span, largest shard percentiles, summed tokens', async () => {
    const manifest = writeManifest(workspace, 'm', 40, 30);
    for (const [i, s] of ['1/2', '2/2'].entries()) {
      const r = await job({ endpoint: `${model.url}/v1`, model: 'vlm', benchmarks: 'custom', manifest, shard: s, 'results-dir': `shards/s${i + 1}` });
      expect(r.code, r.stdout).toBe(0);
      const file = r.outputs['results-file']!;
      const result = JSON.parse(readFileSync(file, 'utf8'));
      expect(result.shard).toMatchObject({ shardIndex: i, shardCount: 2 }); // 0-based in results.json
      writeFileSync(file, JSON.stringify({ ...result, timing: SHARD_TIMING[i] }));
    }
    const merged = await job({ 'merge-shards': 'shards/*', 'results-dir': 'merged', gates: 'gates:\n  - benchmark: custom\n    min: 0.7\n' });
    expect(merged.code, merged.stdout).toBe(0);
    expect(merged.stdout).toContain('merging 2 shard(s)');
    const result = JSON.parse(readFileSync(merged.outputs['results-file']!, 'utf8'));
    expect(result.shard).toBeNull();
    expect(result.timing).toEqual({
      startedAt: '2026-03-01T10:00:00.000Z',
      finishedAt: '2026-03-01T10:03:30.000Z',
      wallSeconds: 210, // 10:00:00 → 10:03:30
      itemsPerSecond: 0.19, // (0.2 × 100 + 0.125 × 160) = 40 items ÷ 210 s = 0.190476… → 0.190
      latencyMs: { p50: 120, p95: 650 },
      tokens: { prompt: 2500, completion: 120 },
    });
    // the merged scores are the whole run's: 40 items, gold A for 30
    expect(result.benchmarks[0].counts.scored).toBe(40);
    expect(merged.summary).toContain('accuracy 0.750 ≥ floor 0.700');
  }, 180_000);
});
