/**
 * Pure statistics shared by the worker (compare API) and the action (gates): Wilson intervals, exact McNemar,
 * Newcombe's paired-difference interval, Holm adjustment, and the regression verdict. No dependencies.
 */

const Z95 = 1.959963984540054;

/** Wilson score interval for k successes out of n (95% by default). [0, 0] style degenerate cases handled. */
export function wilson(k: number, n: number, z = Z95): [number, number] {
  if (n <= 0) return [0, 1];
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return [clamp01(centre - half), clamp01(centre + half)];
}

/** Cells of the paired 2×2 table between a base and a head run over the same items. */
export interface PairedCounts {
  /** both correct */
  both: number;
  /** base correct, head wrong (losses) */
  baseOnly: number;
  /** head correct, base wrong (wins) */
  headOnly: number;
  /** both wrong */
  neither: number;
}

export function pairCounts(base: ArrayLike<number>, head: ArrayLike<number>, mask?: ArrayLike<number>): PairedCounts {
  if (base.length !== head.length) throw new RangeError(`paired vectors differ in length: ${base.length} vs ${head.length}`);
  const c: PairedCounts = { both: 0, baseOnly: 0, headOnly: 0, neither: 0 };
  for (let i = 0; i < base.length; i++) {
    if (mask && !mask[i]) continue;
    const b = base[i] ? 1 : 0;
    const h = head[i] ? 1 : 0;
    if (b && h) c.both++;
    else if (b) c.baseOnly++;
    else if (h) c.headOnly++;
    else c.neither++;
  }
  return c;
}

/** Exact two-sided McNemar p-value: binomial test of the discordant pairs against 1/2. */
export function mcnemarExact(baseOnly: number, headOnly: number): number {
  const m = baseOnly + headOnly;
  if (m === 0) return 1;
  const k = Math.min(baseOnly, headOnly);
  // log P(X <= k) for X ~ Bin(m, 1/2), summed in log space so m in the hundreds of thousands stays finite.
  // Summed from i = k downwards: below the mode the terms shrink (ratio i/(m-i+1) < 1), so the loop stops once
  // they fall below double precision relative to the sum instead of visiting all k+1 terms.
  let logTerm = logChoose(m, k) - m * Math.LN2;
  let acc = logTerm;
  for (let i = k; i > 0; i--) {
    logTerm += Math.log(i) - Math.log(m - i + 1);
    acc = logAddExp(acc, logTerm);
    if (logTerm < acc - 45) break;
  }
  return Math.min(1, 2 * Math.exp(acc));
}

/**
 * Newcombe (1998, method 10) 95% interval for the paired difference head − base, from the 2×2 table.
 * Better coverage than Wald near 0 or 1 and never outside [-1, 1]. Another `z` gives another level: the field keeps
 * its name `ci95` for compatibility; z = normalQuantile(1 − a) makes the lower end a one-sided (1 − a) bound.
 */
export function pairedDifference(c: PairedCounts, z = Z95): { diff: number; ci95: [number, number]; n: number } {
  const n = c.both + c.baseOnly + c.headOnly + c.neither;
  if (n === 0) return { diff: 0, ci95: [-1, 1], n };
  const pHead = (c.both + c.headOnly) / n;
  const pBase = (c.both + c.baseOnly) / n;
  const diff = pHead - pBase;
  const [l1, u1] = wilson(c.both + c.headOnly, n, z);
  const [l2, u2] = wilson(c.both + c.baseOnly, n, z);
  const phi = phiCoefficient(c);
  const dl = Math.sqrt(Math.max(0, (pHead - l1) ** 2 - 2 * phi * (pHead - l1) * (u2 - pBase) + (u2 - pBase) ** 2));
  const du = Math.sqrt(Math.max(0, (u1 - pHead) ** 2 - 2 * phi * (u1 - pHead) * (pBase - l2) + (pBase - l2) ** 2));
  return { diff, ci95: [Math.max(-1, diff - dl), Math.min(1, diff + du)], n };
}

/** Holm step-down adjustment; returns adjusted p-values in the input order. */
export function holm(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => [p, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(m);
  let running = 0;
  order.forEach(([p, i], rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    out[i] = running;
  });
  return out;
}

export type Verdict = 'better' | 'worse' | 'no-significant-change';
export type GateMode = 'regression' | 'non-inferiority';

/**
 * Regression mode: `worse` only when the drop is significant (adjusted p < alpha) AND the point estimate is a drop
 * larger than the margin (statistical and practical significance); `better` when significant and positive.
 * Non-inferiority: `worse` unless the lower confidence bound excludes a drop larger than the margin
 * (lower > −margin); `better` when that bound is above zero and the change is significant. `lowerBound` is the
 * one-sided bound at the multiplicity-corrected level (see paired-compare.ts); without it the 95% interval's lower
 * end is used.
 */
export function verdict(
  r: { diff: number; ci95: [number, number]; pAdjusted: number; lowerBound?: number | null },
  opts: { margin: number; alpha: number; mode?: GateMode },
): Verdict {
  const significant = r.pAdjusted < opts.alpha;
  if ((opts.mode ?? 'regression') === 'non-inferiority') {
    const lower = r.lowerBound ?? r.ci95[0];
    if (lower <= -opts.margin) return 'worse';
    return lower > 0 && significant ? 'better' : 'no-significant-change';
  }
  if (significant && r.diff < -opts.margin) return 'worse';
  if (significant && r.diff > 0) return 'better';
  return 'no-significant-change';
}

/**
 * Standard normal quantile Φ⁻¹(p) (Acklam's rational approximation, relative error < 1.2e-9: ample for interval
 * levels). normalQuantile(0.975) ≈ 1.959964.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile needs 0 < p < 1, got ${p}`);
  const LOW = 0.02425;
  if (p < LOW) return tailQuantile(p);
  if (p > 1 - LOW) return -tailQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  const [a, b] = [ACKLAM_A, ACKLAM_B];
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

const ACKLAM_A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const ACKLAM_B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const ACKLAM_C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const ACKLAM_D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];

/** Lower tail (p < 0.02425) of normalQuantile. */
function tailQuantile(p: number): number {
  const q = Math.sqrt(-2 * Math.log(p));
  const [c, d] = [ACKLAM_C, ACKLAM_D];
  return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
    ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
}

/**
 * Newcombe's φ for method 10: the numerator ad − bc is continuity-corrected (reduced by n/2 when above n/2, 0 when
 * in [0, n/2], kept when negative). Without the correction the interval misses his published examples
 * (e.g. 18/12/2/18 gives 0.0618–0.3239 instead of 0.0562–0.3290).
 */
function phiCoefficient(c: PairedCounts): number {
  // rows: head correct / wrong; columns: base correct / wrong
  const a = c.both, b = c.headOnly, cc = c.baseOnly, d = c.neither;
  const n = a + b + cc + d;
  const den = Math.sqrt((a + b) * (cc + d) * (a + cc) * (b + d));
  const cross = a * d - b * cc;
  const corrected = cross > n / 2 ? cross - n / 2 : cross < 0 ? cross : 0;
  return den === 0 ? 0 : corrected / den;
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}

function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const m = Math.max(a, b);
  return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
}

function logChoose(n: number, k: number): number {
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
}

// Lanczos approximation (g = 7, n = 9): ~15 significant digits, enough for p-values.
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const xx = x - 1;
  let a = LANCZOS[0]!;
  const t = xx + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (xx + i);
  return 0.5 * Math.log(2 * Math.PI) + (xx + 0.5) * Math.log(t) - t + Math.log(a);
}
