/**
 * What a paired gate can see: the smallest drop it detects with a given power, and the items a benchmark needs for
 * a given drop. Normal approximation to the paired (McNemar) design after Connor (1987, Biometrics 43:207–211):
 * with n pairs, discordance ψ = P(the two runs disagree on an item) and true drop δ = P(base right, head wrong) −
 * P(base wrong, head right), the estimated drop D̂ = (b − c)/n is ≈ N(δ, (ψ − δ²)/n).
 *
 * The gate rules of stats.ts `verdict`, restated on D̂:
 * - regression: fails when McNemar is significant (≈ D̂ > z·√ψ₀/√n, ψ₀ the discordance under no change) AND
 *   D̂ > margin, i.e. D̂ > max(margin, z·√ψ₀/√n);
 * - non-inferiority: fails when the lower bound of head − base is ≤ −margin, i.e. D̂ ≥ margin − z·σ.
 * Power = P(the gate fails | δ). Simulation against the exact tests validates this in tests/schemas/power.test.ts.
 * Pure: imports nothing but stats.ts.
 */
import { normalQuantile } from './stats.js';

export interface PowerQuestion {
  /** paired items */
  n: number;
  /** observed fraction of items on which base and head disagree, (b + c) / n */
  discordance: number;
  /** the gate's margin (max-drop) as a fraction */
  margin: number;
  /** the test level each comparison is held to: alpha / m for a Holm or Bonferroni family of m (worst case) */
  level: number;
  mode: 'regression' | 'non-inferiority';
  /** default 0.8 */
  power?: number;
}

/** Standard normal CDF (Cody-style erfc via a Chebyshev fit; absolute error < 1.2e-7, ample for power). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const poly = -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
    + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const erfc = t * Math.exp(poly);
  return x >= 0 ? 1 - erfc / 2 : erfc / 2;
}

/** P(the gate fails) when the true drop is `drop` (a fraction, ≥ 0). */
export function gateFailProbability(q: PowerQuestion, drop: number): number {
  // under a drop δ at least δ of the items are discordant (those the head lost)
  const psi = Math.min(1, Math.max(q.discordance, drop));
  const sigma = Math.sqrt(Math.max(psi - drop * drop, 1e-12) / q.n);
  if (q.mode === 'non-inferiority') {
    const z = normalQuantile(1 - q.level);
    return normalCdf((drop - q.margin + z * sigma) / sigma);
  }
  const z = normalQuantile(1 - q.level / 2);
  const psi0 = Math.max(q.discordance, 1 / q.n);
  const threshold = Math.max(q.margin, (z * Math.sqrt(psi0)) / Math.sqrt(q.n));
  return normalCdf((drop - threshold) / sigma);
}

export interface DetectableDrop {
  /** smallest drop (fraction) detected with the requested power; null when even a total drop is not */
  drop: number | null;
  /** non-inferiority only: the gate already fails with that probability when nothing changed */
  failsWithoutDrop: boolean;
}

export function detectableDrop(q: PowerQuestion): DetectableDrop {
  const target = q.power ?? 0.8;
  if (q.n <= 0) return { drop: null, failsWithoutDrop: false };
  if (gateFailProbability(q, 0) >= target) return { drop: 0, failsWithoutDrop: true };
  if (gateFailProbability(q, 1) < target) return { drop: null, failsWithoutDrop: false };
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (gateFailProbability(q, mid) >= target) hi = mid;
    else lo = mid;
  }
  return { drop: hi, failsWithoutDrop: false };
}

/**
 * Items a benchmark needs. Regression: the smallest n at which a drop of `drop` makes the gate fail with the
 * requested power. Non-inferiority: the smallest n at which the gate passes with that probability when nothing
 * changed (a smaller benchmark cannot rule out a drop of the margin, so it fails even an unchanged model).
 * null beyond `maxN`.
 */
export function itemsNeeded(q: Omit<PowerQuestion, 'n'>, drop: number, maxN = 10_000_000): number | null {
  const target = q.power ?? 0.8;
  const enough = q.mode === 'non-inferiority'
    ? (n: number) => gateFailProbability({ ...q, n }, 0) <= 1 - target
    : (n: number) => gateFailProbability({ ...q, n }, drop) >= target;
  if (!enough(maxN)) return null;
  let lo = 1;
  let hi = maxN;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (enough(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The power question of a compared benchmark or group: its paired n and observed discordance, at its family's level. */
export function comparisonPower(
  c: { n: number; counts: { baseOnly: number; headOnly: number } },
  gate: { margin: number; alpha: number; mode: 'regression' | 'non-inferiority'; familySize: number },
): DetectableDrop & { level: number; discordance: number } {
  const discordance = c.n > 0 ? (c.counts.baseOnly + c.counts.headOnly) / c.n : 0;
  const level = gate.alpha / Math.max(1, gate.familySize);
  return { ...detectableDrop({ n: c.n, discordance, margin: gate.margin, level, mode: gate.mode }), level, discordance };
}

/** "detects drops ≥ 6.1 pp with 80% power; smaller drops pass unseen", or why it cannot. */
export function describePower(p: DetectableDrop): string {
  if (p.failsWithoutDrop) return 'too few items: this gate fails with ≥ 80% probability even when nothing changed';
  if (p.drop === null) return 'too few items: no drop is detected with 80% power';
  return `detects drops ≥ ${(p.drop * 100).toFixed(1)} pp with 80% power; smaller drops pass unseen`;
}
