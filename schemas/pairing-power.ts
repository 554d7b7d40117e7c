/**
 * The power of each paired comparison of a pairing (schemas/paired-compare.ts), at the level its multiplicity family
 * holds it to: alpha / m, m the family's size (Holm's worst case, and exactly the Bonferroni level of the
 * non-inferiority bounds). Families as paired-compare.ts forms them: whole benchmarks are one family; a group
 * key=value is one family across the benchmarks that have it; comparisons without paired items belong to none.
 * Used by the action's gates (with each gate's margin) and the worker's compare API (with the request's margin).
 */
import type { BenchmarkComparison, ComparisonPower, GroupComparison } from './compare.js';
import type { CompareOptions } from './paired-compare.js';
import { comparisonPower } from './power.js';

/** Size of the family of a benchmark's whole-benchmark row (group null) or of a group row ("key=value"). */
export function familySize(benchmarks: readonly BenchmarkComparison[], group: string | null): number {
  if (group === null) return benchmarks.filter((b) => b.n > 0).length;
  return benchmarks.flatMap((b) => b.groups).filter((g) => g.n > 0 && `${g.key}=${g.value}` === group).length;
}

/** Power of one comparison with n paired items; null when nothing was paired (not a test). */
export function powerOf(
  c: { n: number; counts: { baseOnly: number; headOnly: number } }, m: number, opts: CompareOptions,
): ComparisonPower | null {
  if (c.n === 0 || m === 0) return null;
  const p = comparisonPower(c, { margin: opts.margin, alpha: opts.alpha, mode: opts.mode, familySize: m });
  return { detectableDrop: p.drop, failsWithoutDrop: p.failsWithoutDrop, level: p.level, familySize: m, discordance: p.discordance };
}

/** The pairing's comparisons with `power` filled in (new objects; the input is not changed). */
export function withPower(benchmarks: readonly BenchmarkComparison[], opts: CompareOptions): BenchmarkComparison[] {
  const whole = familySize(benchmarks, null);
  const sizes = new Map<string, number>();
  const sizeOf = (g: GroupComparison) => {
    const k = `${g.key}=${g.value}`;
    if (!sizes.has(k)) sizes.set(k, familySize(benchmarks, k));
    return sizes.get(k)!;
  };
  const annotate = <T extends BenchmarkComparison | GroupComparison>(c: T, m: number): T => {
    const power = powerOf(c, m, opts);
    return power ? { ...c, power } : c;
  };
  return benchmarks.map((b) => ({ ...annotate(b, whole), groups: b.groups.map((g) => annotate(g, sizeOf(g))) }));
}
