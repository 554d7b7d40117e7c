/**
 * The results algebra (schemas/outcomes.ts, outcome-metrics.ts, shard-merge.ts) on an eight-item benchmark small
 * enough to count by hand. Expected values are worked out in the comments; the Wilson intervals are the published
 * 95% Wilson score intervals (z = 1.96) for 3/5, 1/2 and 1/1, computed outside this code base.
 */
import { describe, expect, it } from 'vitest';
import { packBits, unpackBits } from '../../schemas/bitset.js';
import { metricsFromOutcomes } from '../../schemas/outcome-metrics.js';
import { OutcomeOverlap, unpackOutcomes, uniteOutcomes } from '../../schemas/outcomes.js';
import type { BenchmarkResult, Outcomes, RunResult, Timing } from '../../schemas/results.js';
import { mergeRunResults, mergeTiming, ShardOverlap } from '../../schemas/shard-merge.js';

const WILSON_3_5: [number, number] = [0.2307242812760128, 0.882379225767352];
const WILSON_1_2: [number, number] = [0.09453120573423074, 0.9054687942657693];
const WILSON_1_1: [number, number] = [0.20654931437723745, 1];

const bits = (...ones: number[]) => packBits(Array.from({ length: 8 }, (_, i) => ones.includes(i)));
const N = null;

/**
 * Items 0–4 closed (no grade), 5–7 open; item 7 absent. Closed: 0, 1, 3 correct (3/5); 2 unparsed; 4 errored.
 * Open: 5 exact (grades 1, 1, 1), 6 partial (0, 0.5, 0.6667) and truncated.
 */
const WHOLE: Outcomes = {
  n: 8, present: bits(0, 1, 2, 3, 4, 5, 6), correct: bits(0, 1, 3, 5), unparsed: bits(2, 7), error: bits(4),
  truncated: bits(6),
  graded: {
    open_exact_match: [N, N, N, N, N, 1, 0, N],
    open_token_recall: [N, N, N, N, N, 1, 0.5, N],
    open_token_f1: [N, N, N, N, N, 1, 0.6667, N],
  },
};

describe('metrics from outcome bits', () => {
  it('accuracy over present closed items, graded means over present open items, Wilson for proportions', () => {
    const m = metricsFromOutcomes(unpackOutcomes(WHOLE));
    expect(m.map((x) => x.name)).toEqual(['accuracy', 'open_exact_match', 'open_token_recall', 'open_token_f1']);
    expect(m[0]).toEqual({ name: 'accuracy', value: 0.6, n: 5, ci95: WILSON_3_5, higherIsBetter: true });
    expect(m[1]).toEqual({ name: 'open_exact_match', value: 0.5, n: 2, ci95: WILSON_1_2, higherIsBetter: true });
    expect(m[2]).toEqual({ name: 'open_token_recall', value: 0.75, n: 2, ci95: null, higherIsBetter: true });
    // (1 + 0.6667) / 2, not rounded again
    expect(m[3]!.value).toBeCloseTo(0.83335, 12);
    expect(m[3]!.ci95).toBeNull();
  });

  it('a group gets the metrics of the kinds it holds; an empty group gets accuracy n = 0', () => {
    const u = unpackOutcomes(WHOLE);
    const mask = (...ones: number[]) => unpackBits(bits(...ones), 8);
    const both = metricsFromOutcomes(u, mask(0, 5));
    expect(both.map((x) => [x.name, x.value, x.n])).toEqual([
      ['accuracy', 1, 1], ['open_exact_match', 1, 1], ['open_token_recall', 1, 1], ['open_token_f1', 1, 1]]);
    expect(both[0]!.ci95).toEqual(WILSON_1_1);
    expect(metricsFromOutcomes(u, mask(5, 6)).map((x) => x.name)).toEqual(['open_exact_match', 'open_token_recall', 'open_token_f1']);
    expect(metricsFromOutcomes(u, mask(7))).toEqual([{ name: 'accuracy', value: 0, n: 0, ci95: null, higherIsBetter: true }]);
  });

  it('unites disjoint parts item by item and refuses an item held twice', () => {
    const half = (keep: (i: number) => boolean): Outcomes => {
      const only = (b64: string) => packBits(Array.from(unpackBits(b64, 8), (v, i) => v === 1 && keep(i)));
      return {
        n: 8, present: only(WHOLE.present), correct: only(WHOLE.correct), unparsed: only(WHOLE.unparsed),
        error: only(WHOLE.error), truncated: only(WHOLE.truncated),
        graded: Object.fromEntries(Object.entries(WHOLE.graded).map(([k, v]) => [k, v.map((x, i) => (keep(i) ? x : null))])),
      };
    };
    const u = uniteOutcomes([half((i) => i % 2 === 0), half((i) => i % 2 === 1)]);
    expect(Array.from(u.present)).toEqual([1, 1, 1, 1, 1, 1, 1, 0]);
    expect(Array.from(u.correct)).toEqual([1, 1, 0, 1, 0, 1, 0, 0]);
    expect(u.graded.open_token_f1).toEqual(WHOLE.graded.open_token_f1);
    expect(() => uniteOutcomes([half(() => true), half((i) => i === 3)])).toThrow(OutcomeOverlap);
  });
});

const T0 = Date.parse('2026-11-01T10:00:00.000Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
function timing(start: number, wall: number, ips: number, p50: number, p95: number, prompt: number, completion: number): Timing {
  return { startedAt: at(start), finishedAt: at(start + wall), wallSeconds: wall, itemsPerSecond: ips, latencyMs: { p50, p95 }, tokens: { prompt, completion } };
}

describe('merged timing', () => {
  it('spans first start to last finish; items/s = answered items over that span; p50/p95 = largest shard value', () => {
    // answered: 2.5 × 100 + 3 × 90 + 1 × 60 = 580 items over 10:00:00 → 10:06:00 (360 s) = 1.611 items/s;
    // summing the rates (6.5) would count the third shard, which ran alone, as parallel
    const t = mergeTiming([
      timing(0, 100, 2.5, 120, 400, 1000, 200), timing(30, 90, 3, 80, 500, 900, 100), timing(300, 60, 1, 200, 300, 10, 5)]);
    expect(t).toEqual({
      startedAt: '2026-11-01T10:00:00.000Z', finishedAt: '2026-11-01T10:06:00.000Z', wallSeconds: 360,
      itemsPerSecond: 1.611, latencyMs: { p50: 200, p95: 500 }, tokens: { prompt: 1910, completion: 305 },
    });
  });
});

describe('mergeRunResults', () => {
  /** A shard of the eight-item benchmark holding the items `keep` selects, with its own (partial) figures wrong on purpose. */
  function shard(index: number, keep: (i: number) => boolean): RunResult {
    const only = (b64: string) => packBits(Array.from(unpackBits(b64, 8), (v, i) => v === 1 && keep(i)));
    const b: BenchmarkResult = {
      id: 'custom', version: 1, fingerprint: 'a'.repeat(64), protocol: 'full', promptVersion: 1, extraction: 'medvlm-chain/2',
      language: null, counts: { items: 9, scored: 8, excluded: 1, unparsed: 9, errors: 9, truncated: 9, excludedReasons: { 'open-ended': 1 } },
      chanceAccuracy: 0.5, metrics: [{ name: 'accuracy', value: 1, n: 99, ci95: null, higherIsBetter: true }],
      groups: [{ key: 'modality', value: 'CT', n: 0, metrics: [], members: bits(0, 5) }],
      outcomes: {
        n: 8, present: only(WHOLE.present), correct: only(WHOLE.correct), unparsed: only(WHOLE.unparsed),
        error: only(WHOLE.error), truncated: only(WHOLE.truncated),
        graded: Object.fromEntries(Object.entries(WHOLE.graded).map(([k, v]) => [k, v.map((x, i) => (keep(i) ? x : null))])),
      },
    };
    return {
      schemaVersion: 1, tool: { name: 'medvlm-bench', version: '0.1.0' }, suiteVersion: '1',
      identity: { repository: 'o/r', commit: null, ref: null, prNumber: null, baseRef: null, workflowRef: null, runId: null },
      model: { name: 'm', checkpoint: null, endpointHost: null }, decoding: { temperature: 0, topP: null, maxTokens: 8, seed: 0 },
      protocol: 'full', judge: null, shard: { runKey: 'k', shardIndex: index, shardCount: 2 },
      timing: timing(index * 10, 50, 2, 100 + index, 200 + index, 5, 1), benchmarks: [b],
    };
  }

  it('recomputes counts, metrics and group figures from the union (the CT group holds a closed item from one shard, an open one from the other)', () => {
    const merged = mergeRunResults([shard(1, (i) => i % 2 === 1), shard(0, (i) => i % 2 === 0)]);
    const b = merged.benchmarks[0]!;
    expect(merged.shard).toBeNull();
    expect(b.counts).toEqual({ items: 9, scored: 8, excluded: 1, unparsed: 1, errors: 1, truncated: 1, excludedReasons: { 'open-ended': 1 } });
    expect(b.metrics[0]).toEqual({ name: 'accuracy', value: 0.6, n: 5, ci95: WILSON_3_5, higherIsBetter: true });
    expect(b.metrics.map((m) => m.name)).toEqual(['accuracy', 'open_exact_match', 'open_token_recall', 'open_token_f1']);
    expect(b.groups[0]!.n).toBe(2);
    expect(b.groups[0]!.metrics.map((m) => [m.name, m.value, m.n])).toEqual([
      ['accuracy', 1, 1], ['open_exact_match', 1, 1], ['open_token_recall', 1, 1], ['open_token_f1', 1, 1]]);
    // item 7 is in no shard: it takes no bits, so its stray unparsed bit in WHOLE is gone
    expect(b.outcomes).toEqual({ ...WHOLE, unparsed: bits(2) });
    // 2 × 50 answered items per shard, over 10:00:00 → 10:01:00
    expect(merged.timing).toMatchObject({ wallSeconds: 60, itemsPerSecond: 3.333, latencyMs: { p50: 101, p95: 201 } });
  });

  it('names the shards and the item when two shards hold the same item', () => {
    const err = (() => {
      try { mergeRunResults([shard(0, () => true), shard(1, (i) => i === 3)]); } catch (e) { return e; }
      return null;
    })();
    expect(err).toBeInstanceOf(ShardOverlap);
    expect((err as Error).message).toBe('shards 0 and 1 both hold item 3 of custom');
  });
});
