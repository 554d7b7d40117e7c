/**
 * `medvlm-bench plan --baseline RESULTS.json [--benchmarks ids] [--margin M] [--drop D] [--alpha A] [--mode M]
 * [--head RESULTS.json | --discordance P]`: before trusting a green check, what each benchmark's regression gate
 * can see — the smallest drop it detects with 80% power at its n — and how many items it would need to catch a
 * drop of D (schemas/power.ts; Holm's worst case, alpha / m over the m benchmarks).
 */
import path from 'node:path';
import type { BenchmarkResult, RunResult } from '../../../schemas/results.js';
import { pairRuns } from '../../../schemas/paired-compare.js';
import { detectableDrop, describePower, itemsNeeded, type PowerQuestion } from '../../../schemas/power.js';
import { UserError } from '../core/errors.js';
import type { CliDeps } from './deps.js';
import { enumFlag, numberFlag, parseFlags, stringFlag, usageError } from './flags.js';
import { readResult, resultsFile } from './results-file.js';

const USAGE = `usage: medvlm-bench plan --baseline RESULTS.json [--benchmarks ids] [--margin 0.02] [--drop D]
                         [--alpha 0.05] [--mode regression|non-inferiority] [--head RESULTS.json | --discordance P] [--json]

For each benchmark of the baseline run: the smallest drop its gate detects with 80% power, and the items needed
to detect a drop of D (default: twice the margin, at least 0.02).
  --head FILE        a second run of the same benchmarks: its observed disagreement with the baseline is used
  --discordance P    the fraction of items on which base and head disagree (default, without --head: 2·p·(1−p),
                     what independent errors would give; checkpoints of one model usually disagree less)`;

interface PlanRow { benchmark: string; n: number; accuracy: number; discordance: number; discordanceSource: string; detectable: string; drop: number | null; needed: number | null }

export async function run(argv: string[], deps: CliDeps): Promise<number> {
  const flags = parseFlags('plan', argv, {
    baseline: { type: 'string' }, head: { type: 'string' }, benchmarks: { type: 'string' }, margin: { type: 'string' },
    drop: { type: 'string' }, alpha: { type: 'string' }, mode: { type: 'string' }, discordance: { type: 'string' },
    json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
  });
  if (flags.help) {
    deps.out(USAGE);
    return 0;
  }
  const baselineFile = stringFlag(flags, 'baseline');
  if (!baselineFile) throw usageError('plan', '--baseline RESULTS.json is required');
  const base = readResult(resultsFile(path.resolve(deps.cwd, baselineFile)));
  const headFile = stringFlag(flags, 'head');
  const head = headFile ? readResult(resultsFile(path.resolve(deps.cwd, headFile))) : null;
  const margin = numberFlag('plan', flags, 'margin', 0.02, 0, 1);
  const drop = numberFlag('plan', flags, 'drop', Math.max(0.02, 2 * margin), 0.001, 1);
  const alpha = numberFlag('plan', flags, 'alpha', 0.05, 1e-6, 0.5);
  const mode = enumFlag(flags, 'mode', ['regression', 'non-inferiority'] as const, 'regression');
  const fixedPsi = flags.discordance === undefined ? null : numberFlag('plan', flags, 'discordance', 0, 0, 1);
  const benches = selectBenchmarks(base, stringFlag(flags, 'benchmarks'));
  const observed = head ? observedDiscordance(base, head) : new Map<string, number>();
  const level = alpha / benches.length;
  const rows = benches.map((b): PlanRow => {
    const acc = b.metrics.find((m) => m.name === 'accuracy');
    const n = acc?.n ?? 0;
    const p = acc?.value ?? 0;
    const [psi, src] = fixedPsi !== null ? [fixedPsi, '--discordance'] : observed.has(b.id) ? [observed.get(b.id)!, 'observed'] : [2 * p * (1 - p), 'assumed 2p(1−p)'];
    const q: PowerQuestion = { n, discordance: psi, margin, level, mode };
    const d = detectableDrop(q);
    const needed = mode === 'regression' && drop <= margin ? null : itemsNeeded({ discordance: psi, margin, level, mode }, drop);
    return { benchmark: b.id, n, accuracy: p, discordance: psi, discordanceSource: src, detectable: describePower(d), drop: d.drop, needed };
  });
  deps.out(flags.json === true ? JSON.stringify({ margin, drop, alpha, level, mode, rows }, null, 2) : render(rows, { margin, drop, level, mode }));
  return 0;
}

function selectBenchmarks(base: RunResult, list: string | undefined): BenchmarkResult[] {
  if (!list || list === 'all') return base.benchmarks;
  const ids = list.split(',').map((s) => s.trim()).filter(Boolean);
  const missing = ids.filter((id) => !base.benchmarks.some((b) => b.id === id));
  if (missing.length) throw new UserError(`--benchmarks: ${missing.join(', ')} not in the baseline run (it has ${base.benchmarks.map((b) => b.id).join(', ')})`, 2);
  return base.benchmarks.filter((b) => ids.includes(b.id));
}

function observedDiscordance(base: RunResult, head: RunResult): Map<string, number> {
  const pairing = pairRuns(base, head, { margin: 0, alpha: 0.05, mode: 'regression' });
  return new Map(pairing.benchmarks.filter((c) => c.n > 0).map((c) => [c.id, (c.counts.baseOnly + c.counts.headOnly) / c.n]));
}

function render(rows: PlanRow[], o: { margin: number; drop: number; level: number; mode: string }): string {
  const pp = (x: number) => `${(x * 100).toFixed(1)} pp`;
  const lines = rows.map((r) => {
    const need = r.needed === null
      ? (o.mode === 'regression' && o.drop <= o.margin ? `never: drops up to the margin (${pp(o.margin)}) pass by design` : 'more than 10 million items')
      : `${r.needed.toLocaleString('en-US')} items${r.needed <= r.n ? ' (enough today)' : ` (${(r.needed - r.n).toLocaleString('en-US')} more than today)`}`;
    return `${r.benchmark}: n=${r.n}, accuracy ${(r.accuracy * 100).toFixed(1)}%, discordance ${(r.discordance * 100).toFixed(1)}% (${r.discordanceSource})\n  today: ${r.detectable}\n  to detect a drop of ${pp(o.drop)}: ${need}`;
  });
  return [`${o.mode} gate, margin ${pp(o.margin)}, level ${o.level.toPrecision(3)} per benchmark (Holm's worst case alpha/m), 80% power`, '', ...lines].join('\n');
}
