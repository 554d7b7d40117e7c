/**
 * The rows the scores table keeps per run, and the run's headline figure. Metrics themselves are computed from the
 * outcome bits by the results algebra (schemas/outcome-metrics.ts), the same rule the runner uses.
 */
import type { BenchmarkResult, Metric, RunResult } from '../../schemas/results.js';
import type { ScoreRecord } from './db.js';

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

function primaryMetric(b: BenchmarkResult): Metric | undefined {
  return b.metrics.find((m) => m.name === 'accuracy') ?? b.metrics[0];
}
