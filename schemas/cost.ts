/**
 * Cost and verbosity of a run beside its accuracy: completion tokens per answered item and request latency p50/p95,
 * for base and head, so a checkpoint that got 40% more verbose or twice as slow shows in the PR comment, the job
 * summary and the compare page. results.json carries these per run only (timing.tokens, timing.latencyMs), not per
 * benchmark, so the figures cover every benchmark of a run.
 *
 * A figure the run cannot support is null rather than 0: a server that reports no `usage` gives 0 completion tokens,
 * and a run with no answered item has no latency; neither is "free" or "instant".
 */
import { z } from 'zod';
import { countBits } from './bitset.js';
import type { RunResult } from './results.js';

export const RunCost = z.object({
  /** items answered without an error (the denominator of the per-item figure) */
  answered: z.number().int().min(0),
  completionTokensPerItem: z.number().min(0).nullable(),
  latencyMs: z.object({ p50: z.number().min(0), p95: z.number().min(0) }).nullable(),
});
export type RunCost = z.infer<typeof RunCost>;

export const CostComparison = z.object({ base: RunCost, head: RunCost });
export type CostComparison = z.infer<typeof CostComparison>;

export function runCost(run: Pick<RunResult, 'timing' | 'benchmarks'>): RunCost {
  // errored items have no tokens and no latency: counting them would make a flaky server look terse
  const answered = run.benchmarks.reduce((s, b) => s + Math.max(0, countBits(b.outcomes.present, b.outcomes.n) - b.counts.errors), 0);
  const completion = run.timing.tokens.completion;
  const { p50, p95 } = run.timing.latencyMs;
  return {
    answered,
    completionTokensPerItem: answered > 0 && completion > 0 ? completion / answered : null,
    latencyMs: answered > 0 && p50 > 0 ? { p50, p95 } : null,
  };
}

export function compareCost(base: Pick<RunResult, 'timing' | 'benchmarks'>, head: Pick<RunResult, 'timing' | 'benchmarks'>): CostComparison {
  return { base: runCost(base), head: runCost(head) };
}

/** (head − base) / base; null when either side is unknown or the base is 0. */
export function relativeChange(base: number | null | undefined, head: number | null | undefined): number | null {
  if (base === null || base === undefined || head === null || head === undefined || base <= 0) return null;
  return (head - base) / base;
}
