/**
 * Markdown for the job summary, the sticky PR comment and the check run. Built only from numbers in the run result
 * (scores, counts, intervals) and labels: never question text or model responses, which may quote patient data.
 * The comment is kept under GitHub's 65,536-character limit by shortening tables, never by cutting mid-table.
 */
import type { RunResult } from '../../../../schemas/results.js';
import { verdict, type Verdict } from '../../../../schemas/stats.js';
import type { ComparisonRow } from '../gates/compare.js';
import type { GatesConfig } from '../gates/config.js';
import { evaluatedCount, REPORT_GROUPS, type GateCheck, type GateReport } from '../gates/evaluate.js';
import { checkMessage, powerSentence } from './check-text.js';
import { costSection } from './cost-text.js';
import { cell, fmt, fmtP, label, signed, table } from './format.js';

export const COMMENT_LIMIT = 65_536;

export interface ReportLinks {
  run?: string | null; compare?: string | null; chart?: string | null; badge?: string | null;
  /** training curve of the run's commit (a matrix over checkpoint labels) */
  curve?: string | null;
  /** the item report's workflow artifact (its content stays on GitHub, behind the repository's access) */
  report?: string | null;
}

export interface ReportInput {
  head: RunResult;
  gates: GateReport;
  /** markdown (user-provided parts already escaped): which baseline was used and how it was found, or why none */
  baselineNote: string;
  /** upload outcome, e.g. a warning when the worker was unreachable; null when all went well */
  uploadNote: string | null;
  gatesSource: string;
  links: ReportLinks;
  failOn: 'gate' | 'never';
}

/** Hidden marker that identifies this action's comment for one model label (a matrix gets one comment per label). */
export function commentMarker(modelLabel: string): string {
  return `<!-- medvlm-bench:${modelLabel.replace(/[^A-Za-z0-9._/:@-]/g, '_')} -->`;
}

export function modelLabel(run: RunResult): string {
  return run.model.checkpoint ?? run.model.name;
}

export function renderSummary(input: ReportInput): string {
  return renderBody(input, Infinity);
}

/** The PR comment: marker + body, shortened until it fits in `limit` characters. */
export function renderComment(input: ReportInput, limit = COMMENT_LIMIT): string {
  const marker = commentMarker(modelLabel(input.head));
  for (const maxRows of [Infinity, 200, 100, 50, 20, 10, 5, 2]) {
    const text = `${marker}\n${renderBody(input, maxRows)}`;
    if (text.length <= limit) return text;
  }
  // only reachable with absurd labels: cut at a line boundary and say so
  const note = '\n\n_… comment shortened to fit GitHub\'s limit; see the job summary._\n';
  const text = `${marker}\n${renderBody(input, 2)}`;
  const cut = text.lastIndexOf('\n', limit - note.length);
  return text.slice(0, Math.max(marker.length, cut)) + note;
}

export function headline(input: ReportInput): string {
  const { failed, passed, skipped } = gateTally(input.gates);
  const name = cell(modelLabel(input.head));
  if (failed === 0 && passed === 0 && skipped > 0) return `⚠️ medvlm-bench · ${name}: no gate could be checked (${skipped} skipped)`;
  if (failed === 0 && skipped > 0) return `✅ medvlm-bench · ${name}: ${passed} gate${passed > 1 ? 's' : ''} passed, ${skipped} skipped`;
  if (failed === 0 && passed === 0) return `✅ medvlm-bench · ${name}: no gates configured`;
  if (failed === 0) return `✅ medvlm-bench · ${name}: all gates passed`;
  const tail = input.failOn === 'never' ? ' (not failing the job: fail-on is never)' : '';
  return `❌ medvlm-bench · ${name}: ${failed} gate${failed > 1 ? 's' : ''} failed${tail}`;
}

function renderBody(input: ReportInput, maxRows: number): string {
  const parts = [`## ${headline(input)}`, context(input)];
  if (input.uploadNote) parts.push(`> [!WARNING]\n> ${cell(input.uploadNote)}`);
  parts.push(scoresSection(input, maxRows));
  const split = splitSection(input, maxRows);
  if (split) parts.push(split);
  parts.push(costSection(input.gates.cost, input.gates.config));
  parts.push(gatesSection(input.gates, maxRows));
  parts.push(countsSection(input.head, maxRows));
  const problems = problemsSection(input.head);
  if (problems) parts.push(problems);
  const links = linksLine(input.links);
  if (links) parts.push(links);
  return `${parts.join('\n\n')}\n`;
}

function context(input: ReportInput): string {
  const h = input.head;
  const sha = h.identity.commit ? `\`${h.identity.commit.slice(0, 7)}\`` : 'unknown commit';
  const items = h.benchmarks.reduce((s, b) => s + evaluatedCount(b), 0);
  return [
    `**Head:** ${sha} · model ${cell(h.model.name)} · protocol \`${h.protocol}\` · ${items} items evaluated`,
    `**Baseline:** ${input.baselineNote}`,
    `**Gates:** ${cell(input.gatesSource)} · mode \`${input.gates.config.mode}\` · alpha ${input.gates.config.alpha}`,
  ].join('  \n');
}

function scoresSection(input: ReportInput, maxRows: number): string {
  const rows = input.gates.rows;
  if (!rows) {
    const body = input.head.benchmarks.map((b) => {
      const acc = b.metrics.find((m) => m.name === 'accuracy');
      return [b.id, acc ? fmt(acc.value) : '–', acc?.ci95 ? `[${fmt(acc.ci95[0])}, ${fmt(acc.ci95[1])}]` : '–', String(acc?.n ?? 0)];
    });
    return `### Scores (accuracy)\n\n${table(['Benchmark', 'Head', '95% CI', 'n'], body, maxRows)}`;
  }
  const overall = rows.filter((r) => r.group === null && r.metric === 'accuracy');
  const gated = gateByRow(input.gates);
  const body = overall.map((r) => [...comparisonCells(r, gated.get(`${r.benchmark}|`)?.threshold, input.gates.config), detects(gated.get(`${r.benchmark}|`))]);
  const header = ['Benchmark', 'Base', 'Head', 'Δ (95% CI)', 'p (Holm)', 'Verdict', 'Gate detects (80% power)'];
  return `### Scores (accuracy, paired with the baseline)\n\n${table(header, body, maxRows)}`;
}

/** Understanding vs reasoning per benchmark, when the run has question types. */
function splitSection(input: ReportInput, maxRows: number): string | null {
  const rows: string[][] = [];
  for (const b of input.head.benchmarks) {
    const cells = REPORT_GROUPS.map((g) => {
      const row = input.gates.rows?.find((r) => r.benchmark === b.id && r.group === g && r.metric === 'accuracy');
      if (row && row.status === 'compared') return `${fmt(row.base!)} → ${fmt(row.head!)} (${signed(row.diff!)}, n=${row.n})`;
      const grp = b.groups.find((x) => `${x.key}=${x.value}` === g);
      const acc = grp?.metrics.find((m) => m.name === 'accuracy');
      return acc ? `${fmt(acc.value)} (n=${acc.n})` : '–';
    });
    if (cells.some((c) => c !== '–')) rows.push([b.id, ...cells]);
  }
  if (rows.length === 0) return null;
  return `### Understanding vs reasoning\n\n${table(['Benchmark', 'Understanding', 'Reasoning'], rows, maxRows)}`;
}

function comparisonCells(r: ComparisonRow, margin: number | undefined, config: GatesConfig): string[] {
  if (r.status !== 'compared') return [r.benchmark, '–', '–', '–', '–', `not compared: ${cell(r.reason ?? '')}`];
  const verdictText = rowVerdict(r, margin ?? 0, config);
  return [r.benchmark, fmt(r.base!), fmt(r.head!), `${signed(r.diff!)} [${signed(r.ci95![0])}, ${signed(r.ci95![1])}]`, fmtP(r.pAdjusted!), verdictText];
}

const VERDICT_TEXT: Record<Verdict, string> = { worse: '🔻 worse', better: '🔺 better', 'no-significant-change': 'no significant change' };

function rowVerdict(r: ComparisonRow, margin: number, config: GatesConfig): string {
  return VERDICT_TEXT[verdict({ diff: r.diff!, ci95: r.ci95!, pAdjusted: r.pAdjusted!, lowerBound: r.lowerBound }, { margin, alpha: config.alpha, mode: config.mode })];
}

/** The regression gate covering a benchmark's overall row, if any (its margin and power are shown there). */
function gateByRow(g: GateReport): Map<string, GateCheck> {
  const m = new Map<string, GateCheck>();
  for (const c of g.checks) {
    if ((c.kind === 'regression' || c.kind === 'non-inferiority') && c.group === null) m.set(`${c.benchmark}|`, c);
  }
  return m;
}

/** "drops ≥ 6.1 pp", or why none: the smallest drop the row's gate sees with 80% power. */
function detects(c: GateCheck | undefined): string {
  if (!c || c.finding.what !== 'compared' || !c.finding.power) return '–';
  const p = c.finding.power;
  return p.detectableDrop !== null && !p.failsWithoutDrop ? `drops ≥ ${(p.detectableDrop * 100).toFixed(1)} pp` : cell(powerSentence(p));
}

function gateTally(g: GateReport): { failed: number; passed: number; skipped: number } {
  const count = (s: GateCheck['status']) => g.checks.filter((c) => c.status === s).length;
  return { failed: count('fail'), passed: count('pass'), skipped: count('skipped') };
}

const STATUS_ICON: Record<GateCheck['status'], string> = { pass: '✅', fail: '❌', skipped: '⏭️' };
const KIND_NAME: Record<GateCheck['kind'], string> = {
  floor: 'floor', regression: 'regression', 'non-inferiority': 'non-inferiority', 'unparsed-budget': 'unparsed budget', 'error-budget': 'error budget',
  'latency-increase': 'latency increase', 'tokens-increase': 'tokens increase',
};

function gatesSection(g: GateReport, maxRows: number): string {
  if (g.checks.length === 0) return '### Gates\n\nNo gates configured.';
  // failures first so a shortened table still shows what went wrong
  const order: Record<GateCheck['status'], number> = { fail: 0, skipped: 1, pass: 2 };
  const sorted = [...g.checks].sort((a, b) => order[a.status] - order[b.status]);
  const rows = sorted.map((c) => [
    STATUS_ICON[c.status], KIND_NAME[c.kind], cell(label(c.benchmark, c.group)), c.metric ?? '–', cell(checkMessage(c)),
  ]);
  const { failed, passed, skipped } = gateTally(g);
  return `### Gates (${failed} failed, ${passed} passed, ${skipped} skipped)\n\n${table(['', 'Gate', 'Target', 'Metric', 'Result'], rows, maxRows)}`;
}

function countsSection(run: RunResult, maxRows: number): string {
  const rows = run.benchmarks.map((b) => [
    b.id, String(b.counts.items), String(b.counts.scored), String(b.counts.excluded), String(evaluatedCount(b)),
    String(b.counts.unparsed), String(b.counts.errors), String(b.counts.truncated),
  ]);
  const header = ['Benchmark', 'Items', 'Scored', 'Excluded', 'Evaluated', 'Unparsed', 'Errors', 'Truncated'];
  return `### Counts\n\n${table(header, rows, maxRows)}`;
}

/** Top error reasons (servers' messages: no item text), answers a reasoning parser took whole, runner warnings. */
function problemsSection(run: RunResult): string | null {
  const d = run.diagnostics;
  if (!d || (d.errorReasons.length === 0 && d.reasoningOnly === 0 && d.warnings.length === 0)) return null;
  const parts = ['### Problems'];
  if (d.errorReasons.length) parts.push(table(['Items', 'Error'], d.errorReasons.map((r) => [String(r.count), cell(r.reason)]), 10));
  if (d.reasoningOnly > 0) parts.push(`${d.reasoningOnly} answer(s) had empty content with all text in \`reasoning\`: the server's reasoning parser took the answer (counted as unparsed).`);
  for (const w of d.warnings) parts.push(`> [!WARNING]\n> ${cell(w)}`);
  return parts.join('\n\n');
}

function linksLine(l: ReportLinks): string | null {
  const parts: string[] = [];
  if (l.compare) parts.push(`[Comparison](${l.compare})`);
  if (l.run) parts.push(`[This run](${l.run})`);
  if (l.chart) parts.push(`[History chart](${l.chart})`);
  if (l.curve) parts.push(`[Training curve](${l.curve})`);
  if (l.badge) parts.push(`[Badge](${l.badge})`);
  if (l.report) parts.push(`[Item report (artifact)](${l.report})`);
  return parts.length ? parts.join(' · ') : null;
}
