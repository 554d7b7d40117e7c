/**
 * The "Cost and verbosity" section of the job summary and the PR comment: completion tokens per answered item and
 * request latency p50/p95, base and head with the relative change, so a checkpoint that got 40% more verbose or
 * twice as slow is visible beside its accuracy. Numbers only (schemas/cost.ts), like the rest of the report.
 */
import { relativeChange, type RunCost } from '../../../../schemas/cost.js';
import type { CostFigures } from '../gates/cost.js';
import type { GatesConfig } from '../gates/config.js';
import { ms, relative } from './check-text.js';
import { table } from './format.js';

type Figure = (c: RunCost) => number | null;

const ROWS: Array<[string, Figure, (x: number) => string]> = [
  ['Completion tokens per answered item', (c) => c.completionTokensPerItem, (x) => x.toFixed(1)],
  ['Latency p50 (per request)', (c) => c.latencyMs?.p50 ?? null, ms],
  ['Latency p95 (per request)', (c) => c.latencyMs?.p95 ?? null, ms],
];

export function costSection(cost: CostFigures, config: GatesConfig): string {
  const show = (x: number | null, f: (x: number) => string) => (x === null ? '–' : f(x));
  const base = cost.base;
  const rows = ROWS.map(([name, get, f]) => {
    const h = get(cost.head);
    if (!base) return [name, show(h, f)];
    const b = get(base);
    const change = relativeChange(b, h);
    return [name, show(b, f), show(h, f), change === null ? '–' : relative(change)];
  });
  const header = base ? ['Measure', 'Base', 'Head', 'Change'] : ['Measure', 'Head'];
  return `### Cost and verbosity (whole run)\n\n${table(header, rows)}\n\n${note(config, base !== null)}`;
}

function note(config: GatesConfig, hasBase: boolean): string {
  const gates = [
    config['max-tokens-increase'] !== undefined ? `completion tokens per item may grow by at most ${relative(config['max-tokens-increase'])}` : null,
    config['max-latency-increase'] !== undefined ? `median latency may grow by at most ${relative(config['max-latency-increase'])}` : null,
  ].filter((x): x is string => x !== null);
  const gated = gates.length ? `Gated: ${gates.join('; ')}${hasBase ? '' : ' (skipped: no baseline run)'}.` : 'Informative only (gate with `max-tokens-increase` / `max-latency-increase`).';
  // latency follows the runner's hardware, server and concurrency as much as the model
  return `_${gated} Latency depends on the runner, the server and the concurrency as well as the model._`;
}
