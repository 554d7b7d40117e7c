/** Gate checks in words: one line per check for the PR comment, the job summary, the log and the demo. */
import type { ComparisonPower } from '../../../../schemas/compare.js';
import { describePower } from '../../../../schemas/power.js';
import type { GateCheck } from '../gates/evaluate.js';
import { fmt, fmtP, label, pct, signed } from './format.js';

/** `power: false` leaves out the power sentence, for callers that print `powerLine` on a line of its own. */
export function checkMessage(c: GateCheck, opts: { power?: boolean } = {}): string {
  const f = c.finding;
  switch (f.what) {
    case 'not-evaluated': return `${c.benchmark} is gated but was not evaluated in this run`;
    case 'group-missing': return `group ${f.group} not found in ${c.benchmark}`;
    case 'metric-missing': return `${c.metric} not reported for ${label(c.benchmark, c.group)}`;
    case 'floor': return `${c.metric} ${fmt(f.value)} ${c.status === 'pass' ? '≥' : '<'} floor ${fmt(c.threshold)}`;
    case 'no-baseline': return 'no baseline run: absolute gates only';
    case 'not-compared': return `not compared: ${f.reason}`;
    case 'compared': {
      const m = comparedMessage(c, f.row, f.alpha);
      return f.power && opts.power !== false ? `${m}; ${powerSentence(f.power)}` : m;
    }
    case 'budget': {
      const ok = c.status === 'pass';
      return `${f.count}/${f.evaluated} items ${f.word} (${pct(c.observed!)}) ${ok ? '≤' : '>'} budget ${pct(c.threshold)}`;
    }
    case 'cost': {
      const what = f.measure === 'latency' ? `median latency ${ms(f.base)} → ${ms(f.head)}` : `completion tokens per item ${f.base.toFixed(1)} → ${f.head.toFixed(1)}`;
      return `${what} (${relative(f.change)}) ${c.status === 'pass' ? '≤' : '>'} allowed ${relative(c.threshold)}`;
    }
    case 'cost-not-compared': return `not compared: ${f.reason}`;
  }
}

/** "this gate detects drops ≥ 6.1 pp with 80% power; smaller drops pass unseen", or why it detects none. */
export function powerSentence(p: ComparisonPower): string {
  const d = { drop: p.detectableDrop, failsWithoutDrop: p.failsWithoutDrop };
  return d.drop !== null && !d.failsWithoutDrop ? `this gate ${describePower(d)}` : describePower(d);
}

/** The power line of a regression or non-inferiority check ("vqa-rad: this gate detects …"); null for others. */
export function powerLine(c: GateCheck): string | null {
  return c.finding.what === 'compared' && c.finding.power ? `${label(c.benchmark, c.group)}: ${powerSentence(c.finding.power)}` : null;
}

/** "+40%", "−12%": a relative change of a cost figure. */
export function relative(x: number): string {
  return `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(0)}%`;
}

export function ms(x: number): string {
  return x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(0)} ms`;
}

function comparedMessage(c: GateCheck, row: Extract<GateCheck['finding'], { what: 'compared' }>['row'], alpha: number): string {
  const margin = c.threshold;
  const d = `Δ ${signed(row.diff!)} [${signed(row.ci95![0])}, ${signed(row.ci95![1])}]`;
  if (c.kind === 'non-inferiority') {
    const lb = `lower bound ${signed(row.lowerBound ?? row.ci95![0])}`;
    return c.verdict === 'worse'
      ? `${d}, ${lb}: does not exclude a drop of more than ${fmt(margin)}`
      : `${d}, ${lb}: non-inferior (excludes a drop of more than ${fmt(margin)})`;
  }
  const p = `p(Holm) ${fmtP(row.pAdjusted!)}`;
  if (c.verdict === 'worse') return `${d}, ${p} < ${alpha}: significant drop larger than ${fmt(margin)}`;
  if (c.verdict === 'better') return `${d}, ${p}: significant improvement`;
  return `${d}, ${p}: no significant drop larger than ${fmt(margin)}`;
}
