/**
 * Uploaded summary numbers against the per-item bits they summarise. Badges, history and the leaderboard serve the
 * stored figures while compare pairs the bits, so the two must tell one story: every figure that follows from the
 * bits alone is recomputed (with the results algebra, schemas/outcome-metrics.ts, the scorer's own rule) and a disagreement
 * beyond rounding refuses the upload, naming benchmark, field, the claimed and the recomputed value.
 *   - counts.unparsed / errors / truncated = present items with that bit set;
 *   - group n = members in the group;
 *   - proportion metrics (accuracy over present closed items; open_exact_match / open_judge_accuracy over present
 *     open items): n, value and the Wilson interval; graded means (token recall/F1): n only, because clients before
 *     the results algebra uploaded the rounded mean of unrounded grades.
 * Shards are not checked here: their figures are never served, the merge recomputes them from the bits.
 */
import { unpackBits } from '../../schemas/bitset.js';
import type { BenchmarkResult, Metric, RunResult } from '../../schemas/results.js';
import { computeMetric, isProportion } from '../../schemas/outcome-metrics.js';
import { countOutcomes, unpackOutcomes, type OutcomeBits } from '../../schemas/outcomes.js';
import type { Issue } from './errors.js';

/** Figures derived from integers: anything beyond floating-point noise is a different number. */
export const TOLERANCE = 1e-9;

export function findValueIssues(run: RunResult): Issue[] {
  if (run.shard) return [];
  return run.benchmarks.flatMap((b, bi) => benchmarkIssues(b, `benchmarks[${bi}]`));
}

function benchmarkIssues(b: BenchmarkResult, at: string): Issue[] {
  const issues: Issue[] = [];
  const u = unpackOutcomes(b.outcomes);
  const say = (path: string, field: string, claimed: unknown, actual: unknown, how = 'the outcome bits give') =>
    issues.push({ path, message: `${b.id}: ${field} claims ${show(claimed)} but ${how} ${show(actual)}` });
  const counts = countOutcomes(u);
  for (const field of ['unparsed', 'errors', 'truncated'] as const) {
    if (b.counts[field] !== counts[field]) say(`${at}.counts.${field}`, `counts.${field}`, b.counts[field], counts[field]);
  }
  checkMetrics(b.metrics, u, undefined, `${at}.metrics`, '', say);
  b.groups.forEach((g, gi) => {
    const members = unpackBits(g.members, u.n);
    const n = members.reduce((a, v) => a + v, 0);
    const name = `group ${g.key}=${g.value}`;
    if (g.n !== n) say(`${at}.groups[${gi}].n`, `${name} n`, g.n, n, 'its members bitset holds');
    checkMetrics(g.metrics, u, members, `${at}.groups[${gi}].metrics`, `${name} `, say);
  });
  return issues;
}

type Say = (path: string, field: string, claimed: unknown, actual: unknown) => void;

function checkMetrics(metrics: Metric[], u: OutcomeBits, mask: Uint8Array | undefined, at: string, prefix: string, say: Say) {
  metrics.forEach((m, i) => {
    const r = computeMetric(m.name, u, mask);
    // a graded metric without its per-item array cannot be recomputed: its uploaded figure stands
    if (!r) return;
    const field = `${prefix}${m.name}`;
    if (m.n !== r.n) return say(`${at}[${i}].n`, `${field} n`, m.n, r.n);
    if (!isProportion(m.name)) return;
    if (Math.abs(m.value - r.value) > TOLERANCE) return say(`${at}[${i}].value`, `${field} value`, m.value, r.value);
    if (!sameInterval(m.ci95, r.ci95)) say(`${at}[${i}].ci95`, `${field} ci95`, m.ci95, r.ci95);
  });
}

function sameInterval(a: [number, number] | null, b: [number, number] | null): boolean {
  if (a === null || b === null) return a === b;
  return Math.abs(a[0] - b[0]) <= TOLERANCE && Math.abs(a[1] - b[1]) <= TOLERANCE;
}

function show(v: unknown): string {
  if (typeof v === 'number') return String(Number.isInteger(v) ? v : Number(v.toPrecision(12)));
  return JSON.stringify(v);
}
