/** Terminal rendering of the demo's outcome: the worker's paired comparison, the gate verdict and the URLs. */
import path from 'node:path';
import type { CompareResult } from '../../../../schemas/compare.js';
import type { GateReport } from '../../github-action/gates/evaluate.js';
import { checkMessage, powerLine } from '../../github-action/report/check-text.js';

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const pts = (x: number): string => `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(1)}`;

export function renderComparison(c: CompareResult): string {
  const header = ['benchmark / group', 'n', 'main', 'PR', 'Δ (pts) [95% CI]', 'wins/losses', 'p (Holm)', 'verdict'];
  const rows: string[][] = [];
  for (const b of c.benchmarks) {
    rows.push(row(b.id, b));
    for (const g of b.groups.filter((x) => x.key === 'questionType')) rows.push(row(`  ${g.key}=${g.value}`, g));
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((s, i) => (i === 0 ? s.padEnd(widths[i]!) : s.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line),
    `overall verdict (margin ${pts(c.options.margin)} pts, alpha ${c.options.alpha}, ${c.options.mode}): ${c.verdict}`].join('\n');
}

function row(name: string, x: CompareResult['benchmarks'][number] | CompareResult['benchmarks'][number]['groups'][number]): string[] {
  return [name, String(x.n), pct(x.base.value), pct(x.head.value),
    `${pts(x.diff)} [${pts(x.ci95[0])}, ${pts(x.ci95[1])}]`, `${x.counts.headOnly}/${x.counts.baseOnly}`,
    x.pAdjusted < 0.001 ? '<0.001' : x.pAdjusted.toFixed(3), x.verdict];
}

export function renderGates(g: GateReport): string {
  // each regression gate's power under its line: what it could have seen (a green check on few items says little)
  const lines = g.checks.filter((c) => c.status !== 'skipped').flatMap((c) => [
    `  ${c.status === 'pass' ? '✔' : '✘'} ${c.benchmark}${c.group ? ` [${c.group}]` : ''} ${c.kind}: ${checkMessage(c, { power: false })}`,
    ...(powerLine(c) ? [`      ${powerLine(c)}`] : []),
  ]);
  return [`gates: ${g.passed ? 'PASSED' : 'FAILED'} (${g.checks.filter((c) => c.status === 'fail').length} failing)`, ...lines].join('\n');
}

/** Where the item reports are, and what the PR's changes view lists (the worker's paired counts, per benchmark). */
export function renderReports(r: { main: string | null; pr: string | null }, c: CompareResult, cwd: string): string {
  const show = (p: string | null) => (p ? path.relative(cwd, p) || p : '(not written: see the log above)');
  const changes = c.benchmarks.map((b) => `${b.id} ${b.counts.baseOnly} correct → wrong, ${b.counts.headOnly} wrong → correct`).join('; ');
  return ['Item reports (every item with its images, answer and response; open them from disk, they load nothing from the network):',
    `  main  ${show(r.main)}`, `  PR    ${show(r.pr)}`, `        opens on the changes vs main: ${changes}`].join('\n');
}
