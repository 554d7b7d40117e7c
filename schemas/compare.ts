/**
 * The compare API's answer (GET /api/v1/compare): per benchmark and per group, base and head scores over the
 * paired items, the paired difference (head − base) with Newcombe's 95% interval, the discordant counts, the exact
 * McNemar p-value, its Holm adjustment and the verdict. The action parses it with this schema. Both sides compute
 * it with schemas/paired-compare.ts (families and levels are documented there).
 */
import { z } from 'zod';
import { CostComparison } from './cost.js';

export const VerdictName = z.enum(['better', 'worse', 'no-significant-change']);
export const CompareMode = z.enum(['regression', 'non-inferiority']);

export const ScoreInterval = z.object({
  value: z.number().min(0).max(1),
  n: z.number().int().min(0),
  ci95: z.tuple([z.number(), z.number()]).nullable(),
});
export type ScoreInterval = z.infer<typeof ScoreInterval>;

/**
 * What the comparison's test can see (schemas/pairing-power.ts): the smallest drop (head − base, as a fraction) it
 * detects with 80% power at its family's level, given n and the observed discordance. Additive: older answers omit it.
 */
export const ComparisonPower = z.object({
  /** null: even a total drop is not detected with 80% power */
  detectableDrop: z.number().min(0).max(1).nullable(),
  /** non-inferiority on too few items: the gate fails with ≥ 80% probability even when nothing changed */
  failsWithoutDrop: z.boolean(),
  /** alpha / familySize */
  level: z.number().gt(0).lt(1),
  familySize: z.number().int().min(1),
  /** fraction of paired items on which base and head disagree */
  discordance: z.number().min(0).max(1),
});
export type ComparisonPower = z.infer<typeof ComparisonPower>;

export const PairedComparison = z.object({
  base: ScoreInterval,
  head: ScoreInterval,
  /** items paired: present in both runs and counted by the metric */
  n: z.number().int().min(0),
  /** both correct / base only (losses) / head only (wins) / neither */
  counts: z.object({ both: z.number().int(), baseOnly: z.number().int(), headOnly: z.number().int(), neither: z.number().int() }),
  diff: z.number().min(-1).max(1),
  ci95: z.tuple([z.number().min(-1).max(1), z.number().min(-1).max(1)]),
  pValue: z.number().min(0).max(1),
  /**
   * Holm-adjusted within its family: a benchmark's whole-benchmark test across the compared benchmarks; a group's
   * test across the benchmarks that have the same group key=value. Comparisons with no paired items are not tests:
   * pAdjusted 1, outside every family.
   */
  pAdjusted: z.number().min(0).max(1),
  /**
   * Non-inferiority mode only: the one-sided lower confidence bound for head − base at level 1 − alpha/m
   * (Bonferroni over the same family of m tests); the verdict compares it with −margin.
   */
  lowerBound: z.number().min(-1).max(1).optional(),
  verdict: VerdictName,
  /** at the request's margin, alpha and mode; absent when nothing was paired */
  power: ComparisonPower.optional(),
});
export type PairedComparison = z.infer<typeof PairedComparison>;

export const GroupComparison = PairedComparison.extend({ key: z.string(), value: z.string() });
export type GroupComparison = z.infer<typeof GroupComparison>;

export const BenchmarkComparison = PairedComparison.extend({
  id: z.string(),
  fingerprint: z.string(),
  /** per-item 0/1 metric the items were paired on (the API compares `accuracy`; gates may pair the others) */
  metric: z.enum(['accuracy', 'open_exact_match', 'open_judge_accuracy']),
  groups: z.array(GroupComparison),
});
export type BenchmarkComparison = z.infer<typeof BenchmarkComparison>;

export const ComparedRun = z.object({
  id: z.string(),
  repository: z.string(),
  commit: z.string().nullable(),
  ref: z.string().nullable(),
  model: z.string(),
  checkpoint: z.string().nullable(),
  createdAt: z.string(),
});
export type ComparedRun = z.infer<typeof ComparedRun>;

export const CompareResult = z.object({
  base: ComparedRun,
  head: ComparedRun,
  options: z.object({ margin: z.number().min(0).max(1), alpha: z.number().gt(0).lt(1), mode: CompareMode }),
  benchmarks: z.array(BenchmarkComparison),
  /** benchmark ids scored in only one of the two runs (not compared) */
  onlyInBase: z.array(z.string()),
  onlyInHead: z.array(z.string()),
  /** worse if any benchmark is worse; better if any is better and none worse */
  verdict: VerdictName,
  /** completion tokens per answered item and latency p50/p95 of each run (schemas/cost.ts); additive */
  cost: CostComparison.optional(),
});
export type CompareResult = z.infer<typeof CompareResult>;
