/**
 * THE paired comparison of two runs, used by the worker (compare API and page) and by the action (regression and
 * non-inferiority gates), so the PR comment and /compare/base...head always show the same numbers.
 *
 * Items pair through the outcome bitsets: an item counts for a metric when it is present in both runs and the
 * metric applies to it in both (`accuracy`: closed/multiple-choice items, i.e. no graded open-ended score; the
 * graded 0/1 metrics: items with a non-null score, ≥ 0.5 counting as correct).
 *
 * Multiplicity families (Holm, and Bonferroni for non-inferiority bounds):
 * - whole benchmarks: one family across the compared benchmarks;
 * - groups: one family per group key=value (e.g. questionType=reasoning) across the benchmarks that have it.
 * A gate on "reasoning" is a claim about reasoning items wherever they are, and its correction must not depend on
 * how many unrelated groups (organs, modalities) a benchmark happens to define. A comparison with no paired items
 * is not a test: pAdjusted 1, verdict no-significant-change, and it does not count towards any family's size.
 */
import type { BenchmarkComparison, GroupComparison, PairedComparison } from './compare.js';
import type { BenchmarkResult, RunResult } from './results.js';
import { unpackBits } from './bitset.js';
import { openMask } from './outcomes.js';
import {
  holm, mcnemarExact, normalQuantile, pairCounts, pairedDifference, verdict, wilson, type GateMode, type Verdict,
} from './stats.js';

export const PAIRED_METRICS = ['accuracy', 'open_exact_match', 'open_judge_accuracy'] as const;
export type PairedMetric = (typeof PAIRED_METRICS)[number];

export interface CompareOptions { margin: number; alpha: number; mode: GateMode }
export const DEFAULT_COMPARE_OPTIONS: CompareOptions = { margin: 0, alpha: 0.05, mode: 'regression' };

/** A benchmark present in both runs but scored on different items: never compared. */
export interface PairingMismatch { id: string; base: string; head: string; reason: string }

export interface RunPairing {
  options: CompareOptions;
  metric: PairedMetric;
  /** benchmarks in both runs with the same fingerprint, in the head's order */
  benchmarks: BenchmarkComparison[];
  mismatched: PairingMismatch[];
  onlyInBase: string[];
  onlyInHead: string[];
  /** worse if any benchmark is worse; better if any is better and none worse */
  verdict: Verdict;
}

type Unadjusted = Omit<PairedComparison, 'pAdjusted' | 'verdict' | 'lowerBound'>;
type Adjustable = Unadjusted & { pAdjusted: number; verdict: Verdict; lowerBound?: number };

export function pairRuns(base: RunResult, head: RunResult, opts: CompareOptions, metric: PairedMetric = 'accuracy'): RunPairing {
  const baseById = new Map(base.benchmarks.map((b) => [b.id, b]));
  const headIds = new Set(head.benchmarks.map((h) => h.id));
  const benchmarks: BenchmarkComparison[] = [];
  const mismatched: PairingMismatch[] = [];
  for (const h of head.benchmarks) {
    const b = baseById.get(h.id);
    if (!b) continue;
    const reason = mismatchReason(b, h);
    if (reason) mismatched.push({ id: h.id, base: b.fingerprint, head: h.fingerprint, reason });
    else benchmarks.push(compareBenchmark(b, h, metric));
  }
  adjustFamily(benchmarks, opts);
  const groupFamilies = new Map<string, GroupComparison[]>();
  for (const g of benchmarks.flatMap((b) => b.groups)) {
    const k = `${g.key}=${g.value}`;
    groupFamilies.set(k, [...(groupFamilies.get(k) ?? []), g]);
  }
  for (const family of groupFamilies.values()) adjustFamily(family, opts);
  return {
    options: opts, metric, benchmarks, mismatched,
    onlyInBase: base.benchmarks.filter((b) => !headIds.has(b.id)).map((b) => b.id),
    onlyInHead: head.benchmarks.filter((h) => !baseById.has(h.id)).map((h) => h.id),
    verdict: overallVerdict(benchmarks.map((b) => b.verdict)),
  };
}

function mismatchReason(b: BenchmarkResult, h: BenchmarkResult): string | null {
  if (b.fingerprint !== h.fingerprint) return `dataset fingerprint changed (${b.fingerprint.slice(0, 12)} → ${h.fingerprint.slice(0, 12)})`;
  if (b.outcomes.n !== h.outcomes.n) return `item counts differ (${b.outcomes.n} vs ${h.outcomes.n})`;
  return null;
}

/** Whole-benchmark and per-group tables for one benchmark; groups are those both runs define (head's members). */
function compareBenchmark(b: BenchmarkResult, h: BenchmarkResult, metric: PairedMetric): BenchmarkComparison {
  const n = h.outcomes.n;
  const bv = itemValues(b, metric);
  const hv = itemValues(h, metric);
  const both = new Uint8Array(n);
  for (let i = 0; i < n; i++) both[i] = bv.applies[i]! & hv.applies[i]!;
  const baseGroups = new Set(b.groups.map((g) => `${g.key}=${g.value}`));
  const groups: GroupComparison[] = h.groups.filter((g) => baseGroups.has(`${g.key}=${g.value}`)).map((g) => {
    const members = unpackBits(g.members, n);
    const mask = both.map((v, i) => v & members[i]!);
    return { key: g.key, value: g.value, ...pairedTable(bv.values, hv.values, mask), ...UNADJUSTED };
  });
  return { id: h.id, fingerprint: h.fingerprint, metric, ...pairedTable(bv.values, hv.values, both), ...UNADJUSTED, groups };
}

// placeholders until the family adjustment fills them in
const UNADJUSTED = { pAdjusted: 1, verdict: 'no-significant-change' as Verdict };

/**
 * Per-item 0/1 values of a metric and the items it applies to (present, and of the right kind). An item is
 * open-ended when any graded score is non-null; `accuracy` applies to the others.
 */
export function itemValues(r: BenchmarkResult, metric: PairedMetric): { values: Uint8Array; applies: Uint8Array } {
  const n = r.outcomes.n;
  const present = unpackBits(r.outcomes.present, n);
  const applies = new Uint8Array(n);
  if (metric === 'accuracy') {
    const open = openMask(r.outcomes.graded, n);
    for (let i = 0; i < n; i++) applies[i] = present[i]! & (open[i]! ^ 1);
    return { values: unpackBits(r.outcomes.correct, n), applies };
  }
  const values = new Uint8Array(n);
  const scores = r.outcomes.graded[metric] ?? [];
  for (let i = 0; i < n; i++) {
    const v = scores[i];
    if (v === null || v === undefined || !present[i]) continue;
    applies[i] = 1;
    values[i] = v >= 0.5 ? 1 : 0;
  }
  return { values, applies };
}

/** The paired 2×2 table over `mask` and everything derived from it except the multiplicity adjustment. */
export function pairedTable(base: Uint8Array, head: Uint8Array, mask: Uint8Array): Unadjusted {
  const counts = pairCounts(base, head, mask);
  const d = pairedDifference(counts);
  const score = (k: number) => ({ value: d.n ? k / d.n : 0, n: d.n, ci95: d.n ? wilson(k, d.n) : null });
  return {
    base: score(counts.both + counts.baseOnly), head: score(counts.both + counts.headOnly), n: d.n, counts,
    diff: d.diff, ci95: d.ci95, pValue: mcnemarExact(counts.baseOnly, counts.headOnly),
  };
}

/**
 * Holm within the family; in non-inferiority mode also each member's one-sided lower bound at level 1 − alpha/m
 * (Bonferroni: simultaneous bounds need a single level, which Holm's step-down does not give). Then the verdicts.
 */
function adjustFamily(members: Adjustable[], opts: CompareOptions): void {
  const tested = members.filter((m) => m.n > 0);
  const adjusted = holm(tested.map((m) => m.pValue));
  tested.forEach((m, i) => { m.pAdjusted = adjusted[i]!; });
  const z = opts.mode === 'non-inferiority' && tested.length ? normalQuantile(1 - opts.alpha / tested.length) : null;
  for (const m of members) {
    if (m.n === 0) {
      m.pAdjusted = 1;
      m.verdict = 'no-significant-change';
      continue;
    }
    if (z !== null) m.lowerBound = pairedDifference(m.counts, z).ci95[0];
    m.verdict = verdict(m, opts);
  }
}

function overallVerdict(vs: Verdict[]): Verdict {
  if (vs.includes('worse')) return 'worse';
  return vs.includes('better') ? 'better' : 'no-significant-change';
}
