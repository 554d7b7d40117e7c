/**
 * The compare API's comparison: schemas/paired-compare.ts does all pairing and statistics (shared with the action's
 * gates, so the PR comment and this API agree); here only the API's rule that different fingerprints are a 422.
 */
import type { CompareResult } from '../../schemas/compare.js';
import { DEFAULT_COMPARE_OPTIONS, pairRuns, type CompareOptions } from '../../schemas/paired-compare.js';
import type { RunResult } from '../../schemas/results.js';
import { compareCost } from '../../schemas/cost.js';
import { withPower } from '../../schemas/pairing-power.js';
import { ApiError } from './errors.js';

export { DEFAULT_COMPARE_OPTIONS, type CompareOptions };

export function compareResults(base: RunResult, head: RunResult, opts: CompareOptions): Omit<CompareResult, 'base' | 'head'> {
  const r = pairRuns(base, head, opts, 'accuracy');
  const m = r.mismatched[0];
  if (m) {
    throw new ApiError(422, 'fingerprint_mismatch',
      `benchmark ${m.id} was scored on different items: base fingerprint ${m.base}, head ${m.head}`,
      { benchmark: m.id, base: m.base, head: m.head });
  }
  // power at the request's margin/alpha/mode (the PR comment's link carries the gate's); cost from each run's timing
  return {
    options: opts, benchmarks: withPower(r.benchmarks, opts), onlyInBase: r.onlyInBase, onlyInHead: r.onlyInHead,
    verdict: r.verdict, cost: compareCost(base, head),
  };
}
