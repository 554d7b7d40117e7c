/**
 * Optional cost gates: `max-latency-increase` (median request latency) and `max-tokens-increase` (completion tokens
 * per answered item), each relative to the baseline run (0.5 = at most +50%). Without either key the figures are
 * informative only (report/markdown.ts shows them). They compare whole runs: results.json records timing per run.
 * Without a baseline, or when either run lacks the figure, the check is skipped and says why.
 */
import { relativeChange, runCost, type RunCost } from '../../../../schemas/cost.js';
import type { RunResult } from '../../../../schemas/results.js';
import type { GatesConfig } from './config.js';

export type CostMeasure = 'latency' | 'tokens';

export type CostFinding =
  | { what: 'cost'; measure: CostMeasure; base: number; head: number; change: number }
  | { what: 'cost-not-compared'; measure: CostMeasure; reason: string };

export interface CostCheck {
  kind: 'latency-increase' | 'tokens-increase';
  status: 'pass' | 'fail' | 'skipped';
  observed: number | null;
  threshold: number;
  finding: CostFinding;
}

/** The label cost checks carry where other checks name a benchmark: they judge the whole run. */
export const WHOLE_RUN = 'whole run';

export interface CostFigures { base: RunCost | null; head: RunCost }

export function costFigures(head: RunResult, base: RunResult | null): CostFigures {
  return { base: base ? runCost(base) : null, head: runCost(head) };
}

const MEASURES: Array<[CostCheck['kind'], 'max-latency-increase' | 'max-tokens-increase', CostMeasure]> = [
  ['latency-increase', 'max-latency-increase', 'latency'],
  ['tokens-increase', 'max-tokens-increase', 'tokens'],
];

export function checkCost(config: GatesConfig, figures: CostFigures): CostCheck[] {
  const out: CostCheck[] = [];
  for (const [kind, key, measure] of MEASURES) {
    const max = config[key];
    if (max === undefined) continue;
    const skip = (reason: string): CostCheck => ({ kind, status: 'skipped', observed: null, threshold: max, finding: { what: 'cost-not-compared', measure, reason } });
    if (!figures.base) {
      out.push(skip('no baseline run to compare with'));
      continue;
    }
    const b = value(figures.base, measure);
    const h = value(figures.head, measure);
    const change = relativeChange(b, h);
    if (b === null || h === null || change === null) {
      out.push(skip(`${b === null ? 'the baseline run' : 'this run'} ${measure === 'latency' ? 'has no answered request to time' : 'reports no completion tokens (the server sent no usage)'}`));
      continue;
    }
    out.push({ kind, status: change <= max ? 'pass' : 'fail', observed: change, threshold: max, finding: { what: 'cost', measure, base: b, head: h, change } });
  }
  return out;
}

function value(c: RunCost, measure: CostMeasure): number | null {
  return measure === 'latency' ? c.latencyMs?.p50 ?? null : c.completionTokensPerItem;
}
