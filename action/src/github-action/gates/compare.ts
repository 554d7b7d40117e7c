/**
 * The gates' view of the paired comparison: rows (benchmark, group, metric) picked out of schemas/paired-compare.ts,
 * which the worker's compare API uses too, so the PR comment and the compare page show the same p-values,
 * intervals and verdicts. Families (Holm; Bonferroni bounds in non-inferiority mode) are defined there: whole
 * benchmarks across benchmarks, a group key=value across the benchmarks that have it.
 */
import type { PairedComparison } from '../../../../schemas/compare.js';
import { familySize } from '../../../../schemas/pairing-power.js';
import { pairRuns, type CompareOptions, type PairedMetric, type RunPairing } from '../../../../schemas/paired-compare.js';
import type { BenchmarkResult, RunResult } from '../../../../schemas/results.js';
import type { PairedCounts } from '../../../../schemas/stats.js';

export interface RowSpec {
  benchmark: string;
  /** "key=value" or null for the whole benchmark */
  group: string | null;
  metric: PairedMetric;
}

export interface ComparisonRow extends RowSpec {
  status: 'compared' | 'not-comparable';
  /** why a row could not be compared (missing in baseline, fingerprint changed, no paired items, …) */
  reason: string | null;
  n: number;
  base: number | null;
  head: number | null;
  diff: number | null;
  ci95: [number, number] | null;
  counts: PairedCounts | null;
  p: number | null;
  pAdjusted: number | null;
  /** non-inferiority mode: the one-sided lower bound at the family's corrected level */
  lowerBound: number | null;
  /** size of the row's multiplicity family (Holm / Bonferroni), 0 when not compared: the level is alpha / familySize */
  familySize: number;
}

export function rowKey(r: RowSpec): string {
  return `${r.benchmark}|${r.group ?? ''}|${r.metric}`;
}

/** Compare every requested row; the margin does not enter rows (each gate applies its own). */
export function compareRows(head: RunResult, base: RunResult, specs: RowSpec[], opts: Omit<CompareOptions, 'margin'>): ComparisonRow[] {
  const pairings = new Map<PairedMetric, RunPairing>();
  const seen = new Set<string>();
  const rows: ComparisonRow[] = [];
  for (const spec of specs) {
    if (seen.has(rowKey(spec))) continue;
    seen.add(rowKey(spec));
    let pairing = pairings.get(spec.metric);
    if (!pairing) pairings.set(spec.metric, (pairing = pairRuns(base, head, { ...opts, margin: 0 }, spec.metric)));
    rows.push(pickRow(head, base, pairing, spec));
  }
  return rows;
}

function pickRow(head: RunResult, base: RunResult, pairing: RunPairing, spec: RowSpec): ComparisonRow {
  const empty: ComparisonRow = {
    ...spec, status: 'not-comparable', reason: null, n: 0, base: null, head: null, diff: null, ci95: null, counts: null,
    p: null, pAdjusted: null, lowerBound: null, familySize: 0,
  };
  const h = head.benchmarks.find((b) => b.id === spec.benchmark);
  if (!h) return { ...empty, reason: 'not in this run' };
  if (!base.benchmarks.some((b) => b.id === spec.benchmark)) return { ...empty, reason: 'not in the baseline run' };
  const mismatch = pairing.mismatched.find((m) => m.id === spec.benchmark);
  if (mismatch) return { ...empty, reason: mismatch.reason };
  const bench = pairing.benchmarks.find((b) => b.id === spec.benchmark)!;
  let c: PairedComparison | undefined = bench;
  if (spec.group) {
    if (!findGroup(h, spec.group)) return { ...empty, reason: `group ${spec.group} not in this run` };
    c = bench.groups.find((g) => `${g.key}=${g.value}` === spec.group);
    if (!c) return { ...empty, reason: `group ${spec.group} not in the baseline run` };
  }
  if (c.n === 0) return { ...empty, reason: 'no items scored in both runs' };
  return {
    ...spec, status: 'compared', reason: null, n: c.n, counts: c.counts, base: c.base.value, head: c.head.value,
    diff: c.diff, ci95: c.ci95, p: c.pValue, pAdjusted: c.pAdjusted, lowerBound: c.lowerBound ?? null,
    familySize: familySize(pairing.benchmarks, spec.group),
  };
}

export function findGroup(r: BenchmarkResult, group: string): BenchmarkResult['groups'][number] | undefined {
  const eq = group.indexOf('=');
  const key = group.slice(0, eq);
  const value = group.slice(eq + 1);
  return r.groups.find((g) => g.key === key && g.value === value);
}
