/**
 * Pure paired comparison of two run results over the same items (schemas/stats.ts does the statistics).
 * Items pair through the outcome bitsets: an item counts when it is present in both runs and closed-ended in both
 * (the `accuracy` metric's items). Different fingerprints mean different items: refused with 422.
 */
import type { BenchmarkComparison, CompareResult, GroupComparison, PairedComparison } from '../../schemas/compare';
import type { BenchmarkResult, RunResult } from '../../schemas/results';
import { unpackBits } from '../../schemas/bitset';
import { holm, mcnemarExact, pairCounts, pairedDifference, verdict, wilson, type GateMode } from '../../schemas/stats';
import { ApiError } from './errors';
import { accuracyMask, unpackOutcomes } from './metrics';

export interface CompareOptions { margin: number; alpha: number; mode: GateMode }
export const DEFAULT_COMPARE_OPTIONS: CompareOptions = { margin: 0, alpha: 0.05, mode: 'regression' };

export function compareResults(base: RunResult, head: RunResult, opts: CompareOptions): Omit<CompareResult, 'base' | 'head'> {
  const baseById = new Map(base.benchmarks.map((b) => [b.id, b]));
  const pairs = head.benchmarks.filter((h) => baseById.has(h.id)).map((h) => [baseById.get(h.id)!, h] as const);
  for (const [b, h] of pairs) {
    if (b.fingerprint !== h.fingerprint || b.outcomes.n !== h.outcomes.n) {
      throw new ApiError(422, 'fingerprint_mismatch',
        `benchmark ${h.id} was scored on different items: base fingerprint ${b.fingerprint}, head ${h.fingerprint}`,
        { benchmark: h.id, base: b.fingerprint, head: h.fingerprint });
    }
  }
  const raw = pairs.map(([b, h]) => compareBenchmark(b, h, opts));
  const adjusted = holm(raw.map((r) => r.pValue));
  const benchmarks = raw.map((r, i) => withVerdict({ ...r, pAdjusted: adjusted[i]! }, opts));
  const headIds = new Set(head.benchmarks.map((h) => h.id));
  return {
    options: opts,
    benchmarks,
    onlyInBase: base.benchmarks.filter((b) => !headIds.has(b.id)).map((b) => b.id),
    onlyInHead: head.benchmarks.filter((h) => !baseById.has(h.id)).map((h) => h.id),
    verdict: overallVerdict(benchmarks.map((b) => b.verdict)),
  };
}

function compareBenchmark(b: BenchmarkResult, h: BenchmarkResult, opts: CompareOptions): BenchmarkComparison {
  const ub = unpackOutcomes(b.outcomes);
  const uh = unpackOutcomes(h.outcomes);
  const both = accuracyMask(ub, accuracyMask(uh));
  const baseGroups = new Set(b.groups.map((g) => `${g.key}=${g.value}`));
  const groupsRaw = h.groups.filter((g) => baseGroups.has(`${g.key}=${g.value}`)).map((g) => {
    const members = unpackBits(g.members, h.outcomes.n);
    const mask = both.map((v, i) => v & members[i]!);
    return { key: g.key, value: g.value, ...paired(ub.correct, uh.correct, mask) };
  });
  const groupAdjusted = holm(groupsRaw.map((g) => g.pValue));
  const groups: GroupComparison[] = groupsRaw.map((g, i) => withVerdict({ ...g, pAdjusted: groupAdjusted[i]! }, opts));
  return { id: h.id, fingerprint: h.fingerprint, metric: 'accuracy', ...paired(ub.correct, uh.correct, both),
    pAdjusted: 1, verdict: 'no-significant-change', groups };
}

type Unadjusted = Omit<PairedComparison, 'pAdjusted' | 'verdict'>;

/** The paired 2×2 table over `mask` and everything derived from it except the multiplicity adjustment. */
export function paired(base: Uint8Array, head: Uint8Array, mask: Uint8Array): Unadjusted {
  const counts = pairCounts(base, head, mask);
  const d = pairedDifference(counts);
  const score = (k: number) => ({ value: d.n ? k / d.n : 0, n: d.n, ci95: d.n ? wilson(k, d.n) : null });
  return {
    base: score(counts.both + counts.baseOnly), head: score(counts.both + counts.headOnly), n: d.n, counts,
    diff: d.diff, ci95: d.ci95, pValue: mcnemarExact(counts.baseOnly, counts.headOnly),
  };
}

function withVerdict<T extends Unadjusted & { pAdjusted: number }>(r: T, opts: CompareOptions): T & { verdict: PairedComparison['verdict'] } {
  return { ...r, verdict: verdict(r, opts) };
}

function overallVerdict(vs: PairedComparison['verdict'][]): PairedComparison['verdict'] {
  if (vs.includes('worse')) return 'worse';
  return vs.includes('better') ? 'better' : 'no-significant-change';
}
