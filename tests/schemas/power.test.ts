/**
 * The power of a paired gate: Connor's (1987) closed-form sample size as an independent oracle for the regression
 * rule without a margin, and simulation of the gates' exact tests (McNemar, the Newcombe lower bound) for the rest.
 */
import { describe, expect, it } from 'vitest';
import { detectableDrop, gateFailProbability, itemsNeeded, normalCdf, type PowerQuestion } from '../../schemas/power.js';
import { mcnemarExact, normalQuantile, pairedDifference } from '../../schemas/stats.js';

/** mulberry32: a small seeded PRNG so the simulation is reproducible */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Simulated P(gate fails): n pairs, discordance psi, true drop delta, base accuracy 0.7. */
function simulate(q: PowerQuestion, delta: number, trials: number, seed: number): number {
  const rand = rng(seed);
  const psi = Math.max(q.discordance, delta);
  const pLost = (psi + delta) / 2; // base right, head wrong
  const pWon = (psi - delta) / 2; // base wrong, head right
  const pBoth = 0.7 - pLost; // both right
  let fails = 0;
  for (let t = 0; t < trials; t++) {
    let b = 0; let c = 0; let both = 0;
    for (let i = 0; i < q.n; i++) {
      const u = rand();
      if (u < pLost) b++;
      else if (u < pLost + pWon) c++;
      else if (u < pLost + pWon + pBoth) both++;
    }
    const neither = q.n - b - c - both;
    if (q.mode === 'regression') {
      if (mcnemarExact(b, c) < q.level && (b - c) / q.n > q.margin) fails++;
    } else {
      const z = normalQuantile(1 - q.level);
      const lower = pairedDifference({ both, baseOnly: b, headOnly: c, neither }, z).ci95[0];
      if (lower <= -q.margin) fails++;
    }
  }
  return fails / trials;
}

describe('normalCdf', () => {
  it.each([[0, 0.5], [1.959964, 0.975], [-1.644854, 0.05], [2.326348, 0.99], [-3.090232, 0.001]])('Φ(%f) = %f', (x, p) => {
    expect(normalCdf(x)).toBeCloseTo(p, 6);
  });
});

describe("regression gate, no margin: Connor's sample size", () => {
  // n = (z_{α/2}·√ψ + z_β·√(ψ − δ²))² / δ² (Connor 1987, eq. 3), computed here independently
  const connor = (psi: number, delta: number, alpha: number, power: number) => {
    const za = normalQuantile(1 - alpha / 2);
    const zb = normalQuantile(power);
    return Math.ceil(((za * Math.sqrt(psi) + zb * Math.sqrt(psi - delta * delta)) ** 2) / (delta * delta));
  };
  it.each([[0.2, 0.05, 0.05], [0.1, 0.03, 0.05], [0.3, 0.1, 0.01], [0.05, 0.02, 0.025]])('ψ=%f δ=%f α=%f', (psi, delta, alpha) => {
    const n = itemsNeeded({ discordance: psi, margin: 0, level: alpha, mode: 'regression' }, delta);
    expect(Math.abs(n! - connor(psi, delta, alpha, 0.8))).toBeLessThanOrEqual(1);
  });
  it('ψ = 0.2, δ = 0.05, α = 0.05 needs 626 items (worked by hand: (1.2506)² / 0.0025)', () => {
    expect(itemsNeeded({ discordance: 0.2, margin: 0, level: 0.05, mode: 'regression' }, 0.05)).toBe(626);
  });
});

describe('detectable drop against simulation of the exact tests', () => {
  const cases: PowerQuestion[] = [
    { n: 251, discordance: 0.12, margin: 0.02, level: 0.05, mode: 'regression' },
    { n: 1000, discordance: 0.2, margin: 0.02, level: 0.05 / 3, mode: 'regression' },
    { n: 416, discordance: 0.1, margin: 0.05, level: 0.05, mode: 'non-inferiority' },
  ];
  it.each(cases.map((q) => [`${q.mode} n=${q.n} ψ=${q.discordance}`, q] as const))('%s: the simulated gate fails ≈ 80% at the detectable drop', (_name, q) => {
    const d = detectableDrop(q);
    expect(d.drop).not.toBeNull();
    expect(d.failsWithoutDrop).toBe(false);
    const atDrop = simulate(q, d.drop!, 2000, 7);
    expect(atDrop).toBeGreaterThan(0.72);
    expect(atDrop).toBeLessThan(0.88);
    // half that drop is mostly missed: the number says something
    expect(simulate(q, d.drop! / 2, 1000, 11)).toBeLessThan(0.5);
  });

  it('251 pairs cannot see a 2-point drop: the detectable drop is several points', () => {
    const d = detectableDrop({ n: 251, discordance: 0.12, margin: 0.02, level: 0.05, mode: 'regression' });
    expect(d.drop!).toBeGreaterThan(0.04);
    expect(d.drop!).toBeLessThan(0.08);
  });

  it('a non-inferiority gate on too few items fails an unchanged model and says so', () => {
    const q: PowerQuestion = { n: 40, discordance: 0.3, margin: 0.02, level: 0.05, mode: 'non-inferiority' };
    expect(detectableDrop(q)).toEqual({ drop: 0, failsWithoutDrop: true });
    expect(simulate(q, 0, 1000, 3)).toBeGreaterThan(0.8);
    expect(gateFailProbability(q, 0)).toBeGreaterThan(0.8);
    const n = itemsNeeded({ discordance: 0.3, margin: 0.02, level: 0.05, mode: 'non-inferiority' }, 0)!;
    expect(simulate({ ...q, n }, 0, 300, 5)).toBeLessThan(0.3);
  });
});
