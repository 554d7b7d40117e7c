/** Gate checks in words: one line per check for the PR comment, the job summary, the log and the demo. */
import type { GateCheck } from '../gates/evaluate.js';
import { fmt, fmtP, label, pct, signed } from './format.js';

export function checkMessage(c: GateCheck): string {
  const f = c.finding;
  switch (f.what) {
    case 'not-evaluated': return `${c.benchmark} is gated but was not evaluated in this run`;
    case 'group-missing': return `group ${f.group} not found in ${c.benchmark}`;
    case 'metric-missing': return `${c.metric} not reported for ${label(c.benchmark, c.group)}`;
    case 'floor': return `${c.metric} ${fmt(f.value)} ${c.status === 'pass' ? '≥' : '<'} floor ${fmt(c.threshold)}`;
    case 'no-baseline': return 'no baseline run: absolute gates only';
    case 'not-compared': return `not compared: ${f.reason}`;
    case 'compared': return comparedMessage(c, f.row, f.alpha);
    case 'budget': {
      const ok = c.status === 'pass';
      return `${f.count}/${f.evaluated} items ${f.word} (${pct(c.observed!)}) ${ok ? '≤' : '>'} budget ${pct(c.threshold)}`;
    }
  }
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
