/** Pure functions behind shards and compare, on full-protocol results (open items with graded scores). */
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../schemas/results.js';
import { wilson } from '../../schemas/stats.js';
import { compareResults } from '../../worker/src/compare.js';
import { mergeShards, shardDifference } from '../../worker/src/merge.js';
import { makeRun, splitIntoShards } from '../helpers/run-fixture.js';

const N = 90;
const isOpen = (i: number) => i % 3 === 0;

/** Items i % 3 === 0 are open-ended with graded scores; the metrics declare accuracy + two graded metrics. */
function fullRun(correct: (i: number) => boolean): RunResult {
  const run = makeRun({ n: N, benchmarks: ['vqa-rad'], correct: (i) => correct(i) });
  const b = run.benchmarks[0]!;
  b.outcomes.graded = {
    open_exact_match: Array.from({ length: N }, (_, i) => (isOpen(i) ? (correct(i) ? 1 : 0) : null)),
    open_token_f1: Array.from({ length: N }, (_, i) => (isOpen(i) ? (i % 7) / 10 : null)),
  };
  // deliberately wrong uploaded figures: a merge must recompute, never copy or average them
  b.metrics = ['accuracy', 'open_exact_match', 'open_token_f1'].map((name) => ({ name, value: 0, n: 0, ci95: null, higherIsBetter: true }));
  return run;
}

describe('mergeShards on full-protocol shards', () => {
  it('recomputes accuracy over closed items and graded means over open items from the OR-ed outcomes', () => {
    const correct = (i: number) => i % 5 < 3;
    const merged = mergeShards(splitIntoShards(fullRun(correct), 4).map((s) => ({
      ...s, benchmarks: s.benchmarks.map((b) => ({ ...b, outcomes: { ...b.outcomes, graded: Object.fromEntries(
        Object.entries(b.outcomes.graded).map(([k, v]) => [k, v.map((x, i) => (i % 4 === s.shard!.shardIndex ? x : null))])) } })),
    })));
    const closed = Array.from({ length: N }, (_, i) => i).filter((i) => !isOpen(i));
    const open = Array.from({ length: N }, (_, i) => i).filter(isOpen);
    const k = closed.filter(correct).length;
    const [acc, em, f1] = merged.benchmarks[0]!.metrics;
    expect(acc).toMatchObject({ name: 'accuracy', n: closed.length, value: k / closed.length, ci95: wilson(k, closed.length) });
    const emK = open.filter(correct).length;
    expect(em).toMatchObject({ n: open.length, value: emK / open.length, ci95: wilson(emK, open.length) });
    expect(f1!.value).toBeCloseTo(open.reduce((a, i) => a + (i % 7) / 10, 0) / open.length, 12);
    expect(f1!.ci95).toBeNull();
    expect(merged.benchmarks[0]!.outcomes.graded.open_token_f1).toEqual(fullRun(correct).benchmarks[0]!.outcomes.graded.open_token_f1);
  });

  it('refuses overlapping shards and names differences', () => {
    const [a, b] = splitIntoShards(makeRun({ n: 16 }), 2);
    expect(() => mergeShards([a!, { ...a!, shard: { ...a!.shard!, shardIndex: 1 } }])).toThrow(/both hold item 0 of vqa-rad/);
    expect(shardDifference(a!, { ...b!, model: { ...b!.model, name: 'other' } })).toBe('model.name: "model-a" vs "other"');
    expect(shardDifference(a!, b!)).toBeNull();
  });
});

describe('compareResults on full-protocol runs', () => {
  it('pairs only closed items present in both runs', () => {
    const base = fullRun((i) => i < 40);
    const head = fullRun((i) => i < 50);
    const r = compareResults(base, head, { margin: 0, alpha: 0.05, mode: 'regression' });
    const vqa = r.benchmarks[0]!;
    const closedBetween = Array.from({ length: 10 }, (_, j) => 40 + j).filter((i) => !isOpen(i)).length;
    expect(vqa.n).toBe(N - N / 3);
    expect(vqa.counts.headOnly).toBe(closedBetween);
    expect(vqa.counts.baseOnly).toBe(0);
    expect(vqa.pValue).toBeCloseTo(2 / 2 ** closedBetween, 12);
  });
});
