/**
 * Paired comparison of a head run against a baseline run, item by item through the outcome bitsets.
 * Rows are grouped into families (same metric and group, across benchmarks) and Holm-adjusted within each family,
 * so that testing nine benchmarks does not multiply the false-alarm rate by nine.
 */
import type { BenchmarkResult, RunResult } from '../../../schemas/results.js';
import { unpackBits } from '../../../schemas/bitset.js';
import { holm, mcnemarExact, pairCounts, pairedDifference, type PairedCounts } from '../../../schemas/stats.js';

export interface RowSpec {
  benchmark: string;
  /** "key=value" or null for the whole benchmark */
  group: string | null;
  metric: string;
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
}

export function rowKey(r: RowSpec): string {
  return `${r.benchmark}|${r.group ?? ''}|${r.metric}`;
}

/** Compare every requested row, then Holm-adjust p-values within each (group, metric) family. */
export function compareRows(head: RunResult, base: RunResult, specs: RowSpec[]): ComparisonRow[] {
  const seen = new Set<string>();
  const rows: ComparisonRow[] = [];
  for (const spec of specs) {
    if (seen.has(rowKey(spec))) continue;
    seen.add(rowKey(spec));
    rows.push(compareRow(head, base, spec));
  }
  const families = new Map<string, ComparisonRow[]>();
  for (const r of rows) {
    if (r.p === null) continue;
    const k = `${r.group ?? ''}|${r.metric}`;
    families.set(k, [...(families.get(k) ?? []), r]);
  }
  for (const fam of families.values()) {
    const adjusted = holm(fam.map((r) => r.p!));
    fam.forEach((r, i) => { r.pAdjusted = adjusted[i]!; });
  }
  return rows;
}

function compareRow(head: RunResult, base: RunResult, spec: RowSpec): ComparisonRow {
  const empty: ComparisonRow = { ...spec, status: 'not-comparable', reason: null, n: 0, base: null, head: null, diff: null, ci95: null, counts: null, p: null, pAdjusted: null };
  const h = head.benchmarks.find((b) => b.id === spec.benchmark);
  const b = base.benchmarks.find((x) => x.id === spec.benchmark);
  if (!h) return { ...empty, reason: 'not in this run' };
  if (!b) return { ...empty, reason: 'not in the baseline run' };
  if (h.fingerprint !== b.fingerprint) {
    return { ...empty, reason: `dataset fingerprint changed (${b.fingerprint.slice(0, 12)} → ${h.fingerprint.slice(0, 12)})` };
  }
  if (h.outcomes.n !== b.outcomes.n) return { ...empty, reason: `item counts differ (${b.outcomes.n} vs ${h.outcomes.n})` };
  const hv = itemValues(h, spec.metric);
  const bv = itemValues(b, spec.metric);
  if (!hv || !bv) return { ...empty, reason: `metric ${spec.metric} has no per-item values` };
  const mask = pairedMask(h, b, spec.group, hv.applies, bv.applies);
  if (typeof mask === 'string') return { ...empty, reason: mask };
  const counts = pairCounts(bv.values, hv.values, mask);
  const n = counts.both + counts.baseOnly + counts.headOnly + counts.neither;
  if (n === 0) return { ...empty, reason: 'no items scored in both runs' };
  const d = pairedDifference(counts);
  return {
    ...spec, status: 'compared', reason: null, n, counts,
    base: (counts.both + counts.baseOnly) / n,
    head: (counts.both + counts.headOnly) / n,
    diff: d.diff, ci95: d.ci95,
    p: mcnemarExact(counts.baseOnly, counts.headOnly),
    pAdjusted: null,
  };
}

/**
 * Per-item 0/1 values of a metric and where it applies. `accuracy` is over multiple-choice items, i.e. items with
 * no open-ended graded score; open metrics come from the graded arrays (null = not an open item).
 */
export function itemValues(r: BenchmarkResult, metric: string): { values: Uint8Array; applies: Uint8Array } | null {
  const n = r.outcomes.n;
  if (metric === 'accuracy') {
    const open = r.outcomes.graded['open_exact_match'];
    const applies = new Uint8Array(n);
    for (let i = 0; i < n; i++) applies[i] = open && open[i] !== null && open[i] !== undefined ? 0 : 1;
    return { values: unpackBits(r.outcomes.correct, n), applies };
  }
  const graded = r.outcomes.graded[metric];
  if (!graded || graded.length !== n) return null;
  const values = new Uint8Array(n);
  const applies = new Uint8Array(n);
  graded.forEach((v, i) => {
    if (v === null) return;
    applies[i] = 1;
    values[i] = v >= 0.5 ? 1 : 0;
  });
  return { values, applies };
}

/** Items present in both runs, where the metric applies in both, restricted to the group (head's membership). */
function pairedMask(h: BenchmarkResult, b: BenchmarkResult, group: string | null, ha: Uint8Array, ba: Uint8Array): Uint8Array | string {
  const n = h.outcomes.n;
  const hp = unpackBits(h.outcomes.present, n);
  const bp = unpackBits(b.outcomes.present, n);
  let members: Uint8Array | null = null;
  if (group) {
    const g = findGroup(h, group);
    if (!g) return `group ${group} not in this run`;
    members = unpackBits(g.members, n);
  }
  const mask = new Uint8Array(n);
  for (let i = 0; i < n; i++) mask[i] = hp[i]! & bp[i]! & ha[i]! & ba[i]! & (members ? members[i]! : 1);
  return mask;
}

export function findGroup(r: BenchmarkResult, group: string): BenchmarkResult['groups'][number] | undefined {
  const eq = group.indexOf('=');
  const key = group.slice(0, eq);
  const value = group.slice(eq + 1);
  return r.groups.find((g) => g.key === key && g.value === value);
}
