/** The one paired comparison shared by the worker's compare API and the action's gates: families, levels, n = 0. */
import { describe, expect, it } from 'vitest';
import { packBits } from '../../schemas/bitset.js';
import { pairRuns } from '../../schemas/paired-compare.js';
import type { RunResult } from '../../schemas/results.js';
import { firstK, makeRun } from '../github-action/make-run.js';

const ones = (n: number) => firstK(n, n);
const REG = { margin: 0.02, alpha: 0.05, mode: 'regression' as const };
/** items 0..49 reasoning; head loses `losses` reasoning items (indexes 0..losses-1) */
const reasoning = firstK(100, 50);
const losing = (losses: number) => ones(100).map((v, i) => (i < losses ? 0 : v));

/** Adds `count` extra groups (key "organ") to every benchmark of a run, each holding 10 items. */
function withOrgans(run: RunResult, count: number): RunResult {
  for (const b of run.benchmarks) {
    for (let g = 0; g < count; g++) {
      const members = Array.from({ length: b.outcomes.n }, (_, i) => (i >= g * 10 && i < g * 10 + 10 ? 1 : 0));
      b.groups.push({ key: 'organ', value: `o${g}`, n: 10, metrics: [], members: packBits(members.map(Boolean)) });
    }
  }
  return run;
}

describe('Holm families', () => {
  it('whole benchmarks are adjusted across benchmarks, a group across the benchmarks that have it', () => {
    const base = makeRun([{ id: 'vqa-rad', correct: ones(100), reasoning }, { id: 'slake', correct: ones(100), reasoning }]);
    const head = makeRun([{ id: 'vqa-rad', correct: losing(6), reasoning }, { id: 'slake', correct: losing(8), reasoning }]);
    const r = pairRuns(base, head, REG);
    // exact McNemar with no wins: p = 2·½^losses → 1/32 and 1/128; Holm over two: min p doubled (1/64), the other kept
    const expected = [1 / 32, 1 / 64];
    r.benchmarks.forEach((b, i) => {
      expect(b.pAdjusted).toBeCloseTo(expected[i]!, 14);
      expect(b.groups.find((g) => g.value === 'reasoning')!.pAdjusted).toBeCloseTo(expected[i]!, 14);
    });
    // understanding: no discordant items anywhere → p = 1 in a family of two
    expect(r.benchmarks.map((b) => b.groups.find((g) => g.value === 'understanding')!.pAdjusted)).toEqual([1, 1]);
  });

  it("a group's adjustment does not depend on how many other groups a benchmark defines", () => {
    const mk = (organs: number) => {
      const base = withOrgans(makeRun([{ id: 'vqa-rad', correct: ones(100), reasoning }]), organs);
      const head = withOrgans(makeRun([{ id: 'vqa-rad', correct: losing(6), reasoning }]), organs);
      return pairRuns(base, head, REG).benchmarks[0]!;
    };
    const plain = mk(0).groups.find((g) => g.value === 'reasoning')!;
    const many = mk(5).groups.find((g) => g.value === 'reasoning')!;
    expect(plain.pAdjusted).toBeCloseTo(2 * 0.5 ** 6, 15);
    expect(many.pAdjusted).toBe(plain.pAdjusted); // within-benchmark families would have multiplied it by up to 8
    expect(many.verdict).toBe('worse');
  });

  it('a comparison with no paired items is not a test: pAdjusted 1, outside the family, no verdict', () => {
    const base = makeRun([{ id: 'vqa-rad', correct: ones(100) }, { id: 'slake', correct: ones(100) }]);
    const head = makeRun([{ id: 'vqa-rad', correct: losing(6) }, { id: 'slake', correct: ones(100) }]);
    head.benchmarks[1]!.outcomes.present = packBits(new Array(100).fill(false));
    const r = pairRuns(base, head, { ...REG, mode: 'non-inferiority' });
    expect(r.benchmarks[1]).toMatchObject({ n: 0, pAdjusted: 1, verdict: 'no-significant-change' });
    expect(r.benchmarks[0]!.pAdjusted).toBeCloseTo(2 * 0.5 ** 6, 14); // family of one, not two
  });

  it('benchmarks on different items are reported as mismatched, never compared', () => {
    const base = makeRun([{ id: 'vqa-rad', correct: ones(10) }]);
    const head = makeRun([{ id: 'vqa-rad', correct: ones(10), fingerprint: 'c'.repeat(64) }]);
    const r = pairRuns(base, head, REG);
    expect(r.benchmarks).toEqual([]);
    expect(r.mismatched).toEqual([{ id: 'vqa-rad', base: 'a'.repeat(64), head: 'c'.repeat(64), reason: 'dataset fingerprint changed (aaaaaaaaaaaa → cccccccccccc)' }]);
  });
});

describe('non-inferiority honours alpha and multiplicity', () => {
  // 2000 items, head loses 20: Δ = −0.01; one-sided Newcombe bounds −0.014378 (95%), −0.015396 (97.5%), −0.016658 (99%),
  // computed with Newcombe's formulas in Python (statistics.NormalDist for the quantiles), not with schemas/stats.ts
  const base = makeRun([{ id: 'pathvqa', correct: ones(2000) }]);
  const head = makeRun([{ id: 'pathvqa', correct: firstK(2000, 1980) }]);
  const ni = (alpha: number) => ({ margin: 0.015, alpha, mode: 'non-inferiority' as const });

  it('the bound is one-sided at level 1 − alpha: alpha 0.01 widens it and flips a borderline verdict', () => {
    const loose = pairRuns(base, head, ni(0.05)).benchmarks[0]!;
    const strict = pairRuns(base, head, ni(0.01)).benchmarks[0]!;
    expect(loose.lowerBound).toBeCloseTo(-0.014378, 5);
    expect(strict.lowerBound).toBeCloseTo(-0.016658, 5);
    expect(loose.lowerBound!).toBeGreaterThan(-0.015);
    expect(strict.lowerBound!).toBeLessThan(-0.015);
    expect([loose.verdict, strict.verdict]).toEqual(['no-significant-change', 'worse']);
    // regression mode carries no bound
    expect(pairRuns(base, head, REG).benchmarks[0]!.lowerBound).toBeUndefined();
  });

  it('Bonferroni across benchmarks: a second benchmark puts each bound at level 1 − alpha/2', () => {
    const two = pairRuns(
      makeRun([{ id: 'pathvqa', correct: ones(2000) }, { id: 'slake', correct: ones(2000) }]),
      makeRun([{ id: 'pathvqa', correct: firstK(2000, 1980) }, { id: 'slake', correct: ones(2000) }]),
      ni(0.05),
    );
    expect(two.benchmarks[0]!.lowerBound).toBeCloseTo(-0.015396, 5);
    // the same data that was non-inferior alone is not, once two benchmarks share alpha
    expect(two.benchmarks[0]!.verdict).toBe('worse');
    expect(pairRuns(base, head, ni(0.05)).benchmarks[0]!.verdict).toBe('no-significant-change');
  });
});
