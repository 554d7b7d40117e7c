/**
 * Gate evaluation: absolute floors (always), regressions against the baseline on paired items (when a comparable
 * baseline exists), and unparsed/error budgets. Regression mode: a drop fails only when it is significant after
 * Holm correction (p < alpha, McNemar against "no change") AND the point estimate drops by more than the margin.
 * Non-inferiority mode: fails unless the one-sided lower bound at level 1 − alpha/m (Bonferroni over the family)
 * rules out a drop larger than the margin.
 * Each check carries what was found as data (`finding`); report/check-text.ts words it for the comment and logs.
 */
import type { BenchmarkResult, RunResult } from '../../../../schemas/results.js';
import { verdict, type Verdict } from '../../../../schemas/stats.js';
import { countBits } from '../../../../schemas/bitset.js';
import type { Gate, GatesConfig } from './config.js';
import { compareRows, findGroup, rowKey, type ComparisonRow, type RowSpec } from './compare.js';
import type { PairedMetric } from '../../../../schemas/paired-compare.js';
import type { ComparisonPower } from '../../../../schemas/compare.js';
import { powerOf } from '../../../../schemas/pairing-power.js';
import { checkCost, costFigures, WHOLE_RUN, type CostFigures, type CostFinding } from './cost.js';

export type CheckKind = 'floor' | 'regression' | 'non-inferiority' | 'unparsed-budget' | 'error-budget' | 'latency-increase' | 'tokens-increase';
export type CheckStatus = 'pass' | 'fail' | 'skipped';

export interface GateCheck {
  kind: CheckKind;
  benchmark: string;
  group: string | null;
  metric: string | null;
  status: CheckStatus;
  /** head value (floor), head − base (regression), the unparsed/error fraction (budgets), or the relative change (cost) */
  observed: number | null;
  /** the floor, the margin, the budget, or the largest relative increase allowed */
  threshold: number;
  finding: Finding;
  verdict?: Verdict;
}

/** What a check found, for the report to put into words. */
export type Finding =
  | { what: 'not-evaluated' }
  | { what: 'group-missing'; group: string }
  | { what: 'metric-missing' }
  | { what: 'floor'; value: number }
  | { what: 'no-baseline' }
  | { what: 'not-compared'; reason: string }
  /** power: the smallest drop this gate detects with 80% power at its family's level (null: nothing paired) */
  | { what: 'compared'; row: ComparisonRow; alpha: number; power: ComparisonPower | null }
  | { what: 'budget'; count: number; evaluated: number; word: 'unparsed' | 'errored' }
  | CostFinding;

/** Scored items this run actually evaluated (fewer than `counts.scored` with a limit, or in a shard). */
export function evaluatedCount(b: BenchmarkResult): number {
  return countBits(b.outcomes.present, b.outcomes.n);
}

export interface GateReport {
  passed: boolean;
  checks: GateCheck[];
  /** paired comparisons shown in the report (null when there is no baseline) */
  rows: ComparisonRow[] | null;
  config: GatesConfig;
  /** completion tokens per item and latency of both runs (base null without a baseline), gated or not */
  cost: CostFigures;
}

/** Groups always shown in the report when the run has them: the understanding vs reasoning split. */
export const REPORT_GROUPS = ['questionType=understanding', 'questionType=reasoning'] as const;

export function evaluateGates(config: GatesConfig, head: RunResult, base: RunResult | null): GateReport {
  const rows = base ? compareRows(head, base, rowSpecs(config, head), { alpha: config.alpha, mode: config.mode }) : null;
  const byKey = new Map((rows ?? []).map((r) => [rowKey(r), r]));
  const checks: GateCheck[] = [];
  for (const gate of config.gates) {
    for (const b of gateTargets(gate, head)) {
      if (gate.min !== undefined) checks.push(checkFloor(gate, gate.min, b));
      if (gate['max-drop'] !== undefined) checks.push(checkRegression(gate, gate['max-drop'], b, config, base, byKey));
    }
  }
  for (const b of head.benchmarks) checks.push(...checkBudgets(config, b));
  const cost = costFigures(head, base);
  for (const c of checkCost(config, cost)) checks.push({ ...c, benchmark: WHOLE_RUN, group: null, metric: null });
  return { passed: checks.every((c) => c.status !== 'fail'), checks, rows, config, cost };
}

/** Rows to compare: every benchmark's accuracy (whole + understanding/reasoning) plus whatever regression gates need. */
function rowSpecs(config: GatesConfig, head: RunResult): RowSpec[] {
  const specs: RowSpec[] = [];
  for (const b of head.benchmarks) {
    specs.push({ benchmark: b.id, group: null, metric: 'accuracy' });
    for (const g of REPORT_GROUPS) if (findGroup(b, g)) specs.push({ benchmark: b.id, group: g, metric: 'accuracy' });
  }
  for (const gate of config.gates) {
    if (gate['max-drop'] === undefined) continue;
    // config validation admits max-drop only on paired (per-item 0/1) metrics
    for (const b of gateTargets(gate, head)) specs.push({ benchmark: b.id, group: gate.group ?? null, metric: gate.metric as PairedMetric });
  }
  return specs;
}

/** The benchmarks a gate applies to; a named benchmark missing from the run yields a placeholder so it fails loudly. */
function gateTargets(gate: Gate, head: RunResult): Array<{ id: string; result: BenchmarkResult | null }> {
  if (gate.benchmark === '*') return head.benchmarks.map((b) => ({ id: b.id, result: b }));
  return [{ id: gate.benchmark, result: head.benchmarks.find((b) => b.id === gate.benchmark) ?? null }];
}

function checkFloor(gate: Gate, min: number, t: { id: string; result: BenchmarkResult | null }): GateCheck {
  const base = { kind: 'floor' as const, benchmark: t.id, group: gate.group ?? null, metric: gate.metric, threshold: min };
  if (!t.result) return { ...base, status: 'fail', observed: null, finding: { what: 'not-evaluated' } };
  const metrics = gate.group ? findGroup(t.result, gate.group)?.metrics : t.result.metrics;
  if (gate.group && !metrics) {
    return { ...base, status: 'fail', observed: null, finding: { what: 'group-missing', group: gate.group } };
  }
  const m = metrics!.find((x) => x.name === gate.metric);
  if (!m || m.n === 0) {
    // a wildcard gate over a metric some benchmarks do not report (e.g. open metrics in the paper protocol) skips them
    const status = gate.benchmark === '*' ? 'skipped' : 'fail';
    return { ...base, status, observed: null, finding: { what: 'metric-missing' } };
  }
  const ok = m.value >= min;
  return { ...base, status: ok ? 'pass' : 'fail', observed: m.value, finding: { what: 'floor', value: m.value } };
}

function checkRegression(
  gate: Gate, margin: number, t: { id: string; result: BenchmarkResult | null }, config: GatesConfig,
  base: RunResult | null, rows: Map<string, ComparisonRow>,
): GateCheck {
  const kind = config.mode === 'non-inferiority' ? 'non-inferiority' as const : 'regression' as const;
  const common = { kind, benchmark: t.id, group: gate.group ?? null, metric: gate.metric, threshold: margin };
  if (!t.result) return { ...common, status: 'fail', observed: null, finding: { what: 'not-evaluated' } };
  if (!base) return { ...common, status: 'skipped', observed: null, finding: { what: 'no-baseline' } };
  const row = rows.get(rowKey({ benchmark: t.id, group: gate.group ?? null, metric: gate.metric as PairedMetric }));
  if (!row || row.status !== 'compared' || row.pAdjusted === null || row.diff === null || row.ci95 === null) {
    return { ...common, status: 'skipped', observed: null, finding: { what: 'not-compared', reason: row?.reason ?? 'no paired items' } };
  }
  const v = verdict({ diff: row.diff, ci95: row.ci95, pAdjusted: row.pAdjusted, lowerBound: row.lowerBound }, { margin, alpha: config.alpha, mode: config.mode });
  const status = v === 'worse' ? 'fail' : 'pass';
  // what the gate could have seen: its own margin, at the level of the row's family
  const power = powerOf({ n: row.n, counts: row.counts! }, row.familySize, { margin, alpha: config.alpha, mode: config.mode });
  return { ...common, status, observed: row.diff, verdict: v, finding: { what: 'compared', row, alpha: config.alpha, power } };
}

function checkBudgets(config: GatesConfig, b: BenchmarkResult): GateCheck[] {
  const out: GateCheck[] = [];
  // budgets are fractions of the items evaluated here, so a limited or sharded run is judged on what it sent
  const evaluated = evaluatedCount(b);
  const scored = Math.max(1, evaluated);
  const budgets: Array<[CheckKind, number | undefined, number, 'unparsed' | 'errored']> = [
    ['unparsed-budget', config['max-unparsed'], b.counts.unparsed, 'unparsed'],
    ['error-budget', config['max-errors'], b.counts.errors, 'errored'],
  ];
  for (const [kind, max, count, word] of budgets) {
    if (max === undefined) continue;
    const frac = count / scored;
    const ok = frac <= max;
    out.push({
      kind, benchmark: b.id, group: null, metric: null, status: ok ? 'pass' : 'fail', observed: frac, threshold: max,
      finding: { what: 'budget', count, evaluated, word },
    });
  }
  return out;
}
