/**
 * Metrics from outcome bits: the one rule the scorer (summary), both shard merges and the worker's value checks
 * apply (docs/results-schema.md, "Derived figures"). Over the items of a set (a benchmark, or one group's members):
 *   - accuracy = correct / n over present closed items (closed: no graded score, see openMask), Wilson 95%;
 *     reported when the set has a present closed item or no present open item;
 *   - for each graded array the result carries, in the order of OPEN_METRICS, when the set has a present open item:
 *     the mean of its per-item grades (as carried, 4 decimals) over present open items; open_exact_match and
 *     open_judge_accuracy are 0/1 per item, so they are proportions with a Wilson interval, the token scores get none.
 * Values are not rounded further. Pure; imports only schemas.
 */
import type { Metric } from './results.js';
import type { OutcomeBits } from './outcomes.js';
import { wilson } from './stats.js';

export const OPEN_METRICS = ['open_exact_match', 'open_token_recall', 'open_token_f1', 'open_judge_accuracy'] as const;
const PROPORTIONS: ReadonlySet<string> = new Set(['accuracy', 'open_exact_match', 'open_judge_accuracy']);

/** Whether a metric's per-item values are 0/1 (a proportion with a Wilson interval) rather than a graded mean. */
export function isProportion(name: string): boolean {
  return PROPORTIONS.has(name);
}

/** The names of the metrics a set of items gets (all items when `mask` is omitted). */
export function metricNames(u: OutcomeBits, mask?: Uint8Array): string[] {
  let closed = 0, open = 0;
  for (let i = 0; i < u.n; i++) {
    if (!u.present[i] || (mask && !mask[i])) continue;
    if (u.open[i]) open++;
    else closed++;
  }
  const names: string[] = closed > 0 || open === 0 ? ['accuracy'] : [];
  if (open > 0) names.push(...OPEN_METRICS.filter((m) => Object.hasOwn(u.graded, m)));
  return names;
}

/** One metric over the items in `mask`; null when the outcomes hold nothing to compute it from (no graded array). */
export function computeMetric(name: string, u: OutcomeBits, mask?: Uint8Array): Metric | null {
  let n = 0, sum = 0;
  if (name === 'accuracy') {
    for (let i = 0; i < u.n; i++) {
      if (u.present[i] && !u.open[i] && (!mask || mask[i])) { n++; sum += u.correct[i]!; }
    }
  } else {
    // own keys only: graded['toString'] would be Object.prototype's function
    const values = Object.hasOwn(u.graded, name) ? u.graded[name] : undefined;
    if (!values) return null;
    for (let i = 0; i < u.n; i++) {
      const v = values[i];
      if (v !== null && v !== undefined && u.present[i] && (!mask || mask[i])) { n++; sum += v; }
    }
  }
  const ci95 = n > 0 && isProportion(name) ? wilson(sum, n) : null;
  return { name, value: n > 0 ? sum / n : 0, n, ci95, higherIsBetter: true };
}

/** Every metric the set gets (metricNames), computed. */
export function metricsFromOutcomes(u: OutcomeBits, mask?: Uint8Array): Metric[] {
  return metricNames(u, mask).map((name) => computeMetric(name, u, mask)!);
}
