/**
 * Metrics recomputed from per-item outcome bitsets (used when shards are merged) and the rows the scores table
 * keeps per run. Item kind is derived from the graded arrays: an item with any non-null graded score is open-ended,
 * every other item is multiple-choice/closed — the `accuracy` metric counts only the latter (see CONTRACTS.md).
 */
import { unpackBits } from '../../schemas/bitset.js';
import { openMask } from '../../schemas/paired-compare.js';
import type { BenchmarkResult, Metric, Outcomes, RunResult } from '../../schemas/results.js';
import { wilson } from '../../schemas/stats.js';
import type { ScoreRecord } from './db.js';

// 0/1 graded metrics are proportions and get a Wilson interval; token overlap scores have no closed form.
const PROPORTION_METRICS = new Set(['open_exact_match', 'open_judge_accuracy']);

export interface UnpackedOutcomes {
  n: number; present: Uint8Array; correct: Uint8Array; unparsed: Uint8Array; error: Uint8Array; truncated: Uint8Array;
  open: Uint8Array; graded: Record<string, (number | null)[]>;
}

export function unpackOutcomes(o: Outcomes): UnpackedOutcomes {
  const n = o.n;
  return {
    n, open: openMask(o.graded, n), present: unpackBits(o.present, n), correct: unpackBits(o.correct, n), unparsed: unpackBits(o.unparsed, n),
    error: unpackBits(o.error, n), truncated: unpackBits(o.truncated, n), graded: o.graded,
  };
}

// the open-item rule lives with the paired comparison so the worker and the action's gates cannot disagree on it
export { openMask };

/** Items that count for `accuracy`: present, closed/multiple-choice, and inside `mask` when given. */
export function accuracyMask(u: UnpackedOutcomes, mask?: Uint8Array): Uint8Array {
  const out = new Uint8Array(u.n);
  for (let i = 0; i < u.n; i++) out[i] = u.present[i]! && !u.open[i] && (!mask || mask[i]) ? 1 : 0;
  return out;
}

/** Recomputes every metric named in `template` over the items in `mask` (all items when omitted). */
export function computeMetrics(template: readonly Metric[], u: UnpackedOutcomes, mask?: Uint8Array): Metric[] {
  return template.map((m) => {
    if (m.name === 'accuracy') {
      const sel = accuracyMask(u, mask);
      let n = 0, k = 0;
      for (let i = 0; i < u.n; i++) if (sel[i]) { n++; k += u.correct[i]!; }
      return { ...m, value: n ? k / n : 0, n, ci95: n ? wilson(k, n) : null };
    }
    // own keys only: graded['toString'] would be Object.prototype's function
    const values = Object.hasOwn(u.graded, m.name) ? u.graded[m.name] : undefined;
    if (!values) return m; // nothing to recompute from: keep the uploaded figure
    let n = 0, sum = 0;
    values.forEach((v, i) => { if (v !== null && u.present[i] && (!mask || mask[i])) { n++; sum += v; } });
    const ci95 = n && PROPORTION_METRICS.has(m.name) ? wilson(Math.round(sum), n) : null;
    return { ...m, value: n ? sum / n : 0, n, ci95 };
  });
}

/** Rows for the scores table: one per metric for the benchmark and for each of its groups. */
export function scoreRecords(run: RunResult): ScoreRecord[] {
  return run.benchmarks.flatMap((b) => {
    const row = (groupKey: string, groupValue: string, m: Metric): ScoreRecord => ({
      benchmark: b.id, groupKey, groupValue, metric: m.name, value: m.value, n: m.n, ciLow: m.ci95?.[0] ?? null,
      ciHigh: m.ci95?.[1] ?? null, fingerprint: b.fingerprint, protocol: b.protocol, chanceAccuracy: b.chanceAccuracy,
    });
    return [...b.metrics.map((m) => row('', '', m)), ...b.groups.flatMap((g) => g.metrics.map((m) => row(g.key, g.value, m)))];
  });
}

/** Mean over benchmarks of the primary metric (accuracy; the first metric when a benchmark has none). */
export function scoreMean(run: RunResult): number | null {
  const values = run.benchmarks.map(primaryMetric).filter((m): m is Metric => !!m && m.n > 0).map((m) => m.value);
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
}

export function primaryMetric(b: BenchmarkResult): Metric | undefined {
  return b.metrics.find((m) => m.name === 'accuracy') ?? b.metrics[0];
}
