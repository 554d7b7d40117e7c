import { describe, expect, it } from 'vitest';
import { holm, mcnemarExact, normalQuantile, pairCounts, pairedDifference, verdict, wilson } from '../../schemas/stats.js';
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
  // Oracle: 2·Σ_{i≤k} C(m, i) / 2^m summed with exact big integers in Python (fractions, no floating point)
  it.each([
    [40_000, 41_000, 4.47821823137557e-4],
    [100, 150, 1.88330093507616e-3],
    [0, 30, 1.86264514923096e-9],
    [6, 0, 0.03125],
  ])('matches the exact binomial sum for b = %i, c = %i (large tables without underflow)', (b, c, exact) => {
    const p = mcnemarExact(b, c);
    expect(Math.abs(p - exact) / exact).toBeLessThan(1e-9);
  });
});

describe('normalQuantile', () => {
  // Oracle: Python's statistics.NormalDist().inv_cdf (Wichura's AS 241, a different algorithm), to 7 significant digits
  it.each([
    [0.5, 0], [0.9, 1.2815516], [0.95, 1.6448536], [0.975, 1.959964], [0.99, 2.3263479],
    // 1 − 0.05/8: the one-sided level of four benchmarks sharing alpha 0.05 (two-sided 1 − alpha/m)
    [0.99375, 2.4977055], [0.995, 2.5758293], [0.999, 3.0902323], [0.9999, 3.7190165],
    // p < 0.02425 and p > 0.97575 take the tail branch of the approximation
    [0.01, -2.3263479], [0.001, -3.0902323], [1e-10, -6.3613409], [0.02425, -1.9729611], [0.03, -1.8807936],
  ])('Φ⁻¹(%d) = %d', (p, z) => {
    expect(normalQuantile(p)).toBeCloseTo(z, 6);
  });
  it('refuses probabilities outside (0, 1)', () => {
    for (const p of [0, 1, -0.1, Number.NaN]) expect(() => normalQuantile(p)).toThrow(/needs 0 < p < 1/);
  });
});

describe('pairedDifference: Newcombe (1998) method 10, published examples', () => {
  // Newcombe RG, Stat Med 1998;17:2635-2650, Table II (e both positive, f first only, g second only, h neither);
  // the same figures are re-derived with his formulas in a few lines of Python (statistics.NormalDist, no shared code)
  it.each([
    [36, 12, 2, 0, 0.0569, 0.3404],
    [18, 12, 2, 18, 0.0562, 0.3290],
    [53, 0, 0, 1, -0.0729, 0.0729],
  ])('e=%i f=%i g=%i h=%i → %d to %d', (e, f, g, h, lo, hi) => {
    const d = pairedDifference({ both: e, headOnly: f, baseOnly: g, neither: h });
    expect(d.diff).toBeCloseTo((f - g) / (e + f + g + h), 12);
    expect(d.ci95[0]).toBeCloseTo(lo, 4);
    expect(d.ci95[1]).toBeCloseTo(hi, 4);
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
