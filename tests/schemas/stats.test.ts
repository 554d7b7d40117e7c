import { describe, expect, it } from 'vitest';
import { holm, mcnemarExact, pairCounts, pairedDifference, verdict, wilson } from '../../schemas/stats.js';
import { countBits, packBits, unpackBits } from '../../schemas/bitset.js';

describe('wilson', () => {
  it('matches the textbook value for 81/263', () => {
    const [lo, hi] = wilson(81, 263);
    expect(lo).toBeCloseTo(0.2553, 3);
    expect(hi).toBeCloseTo(0.3662, 3);
  });
  it('stays inside [0,1] at the edges', () => {
    expect(wilson(0, 10)[0]).toBe(0);
    expect(wilson(10, 10)[1]).toBeCloseTo(1, 12);
  });
});

describe('mcnemarExact', () => {
  it('hand-checked: 2 vs 8 discordant pairs → p = 2·P(X≤2 | Bin(10, ½)) = 112/1024', () => {
    expect(mcnemarExact(2, 8)).toBeCloseTo(112 / 1024, 12);
  });
  it('is symmetric and 1 without discordance', () => {
    expect(mcnemarExact(8, 2)).toBe(mcnemarExact(2, 8));
    expect(mcnemarExact(0, 0)).toBe(1);
    expect(mcnemarExact(5, 5)).toBe(1);
  });
  it('stays finite for large tables', () => {
    const p = mcnemarExact(40_000, 41_000);
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(0.05);
  });
});

describe('pairedDifference + holm + verdict', () => {
  it('pairs vectors and brackets the difference', () => {
    const c = pairCounts([1, 1, 0, 0, 1, 0], [1, 0, 1, 1, 1, 0]);
    expect(c).toEqual({ both: 2, baseOnly: 1, headOnly: 2, neither: 1 });
    const d = pairedDifference(c);
    expect(d.diff).toBeCloseTo(1 / 6, 12);
    expect(d.ci95[0]).toBeLessThan(d.diff);
    expect(d.ci95[1]).toBeGreaterThan(d.diff);
  });
  it('holm adjusts in input order', () => {
    expect(holm([0.01, 0.04, 0.03])).toEqual([0.03, 0.06, 0.06]);
  });
  it('a significant drop beyond the margin is worse; a small one is not', () => {
    expect(verdict({ diff: -0.05, ci95: [-0.08, -0.02], pAdjusted: 0.001 }, { margin: 0.02, alpha: 0.05 })).toBe('worse');
    expect(verdict({ diff: -0.01, ci95: [-0.02, -0.001], pAdjusted: 0.01 }, { margin: 0.02, alpha: 0.05 })).toBe('no-significant-change');
    expect(verdict({ diff: -0.01, ci95: [-0.04, 0.02], pAdjusted: 0.5 }, { margin: 0.02, alpha: 0.05, mode: 'non-inferiority' })).toBe('worse');
  });
});

describe('bitsets', () => {
  it('round-trips and counts', () => {
    const bits = Array.from({ length: 1001 }, (_, i) => (i % 3 === 0 ? 1 : 0) as 0 | 1);
    const b64 = packBits(bits);
    expect(Array.from(unpackBits(b64, 1001))).toEqual(bits);
    expect(countBits(b64, 1001)).toBe(334);
    expect(() => unpackBits(b64, 2000)).toThrow(/expected 250/);
  });
});
