/**
 * Building the wire object (BenchmarkResult, schemas/results.ts) for one benchmark from its prepared items and the
 * per-item outcomes. Used by `score`, the runner and merge, so the numbers mean the same everywhere:
 *   - accuracy: correct / n over multiple-choice items present; Wilson 95% interval;
 *   - open_exact_match (Wilson), open_token_recall and open_token_f1 (means, ci95 null) over open items present;
 *   - open_judge_accuracy (Wilson) only when some outcome carries a judge grade;
 *   - unparsed and errored items are present and score 0 (they are counted, never dropped from n);
 *   - groups: one per value of each def.groupBy key, plus questionType always; each with its own metrics and a
 *     members bitset over the scored items.
 */
import { packBits } from '../../../../schemas/bitset.js';
import type { BenchmarkResult, GroupResult, Metric } from '../../../../schemas/results.js';
import { wilson } from '../../../../schemas/stats.js';
import type { Sample } from '../benchmarks/types.js';
import type { PreparedBenchmark } from '../suite.js';
import { CHAIN_EXTRACTION_ID } from './extract.js';
import { MMMU_EXTRACTION_ID } from './mmmu-parse.js';
import type { Exclusion, PreparedItem } from './protocol.js';
import { round4 } from './score.js';

export interface ItemOutcome {
  present: boolean;
  correct: boolean;
  unparsed: boolean;
  error: boolean;
  truncated: boolean;
  /** open_exact_match / open_token_recall / open_token_f1 / open_judge_accuracy */
  graded?: Record<string, number | null>;
}

/** What a result needs from suite.ts's PreparedBenchmark (missing images and unknown override ids are reported elsewhere). */
export type PreparedForSummary = Omit<PreparedBenchmark, 'missingImages' | 'unknownOverrideIds'>;

const OPEN_GRADES = ['open_exact_match', 'open_token_recall', 'open_token_f1'] as const;
const JUDGE = 'open_judge_accuracy';
const MAX_GROUPS = 256;

export function buildBenchmarkResult(pb: PreparedForSummary, outcomes: ItemOutcome[]): BenchmarkResult {
  if (outcomes.length !== pb.items.length) {
    throw new RangeError(`${pb.def.id}: ${outcomes.length} outcomes for ${pb.items.length} scored items`);
  }
  const all = pb.items.map((_, i) => i);
  const judged = outcomes.some((o) => typeof o.graded?.[JUDGE] === 'number');
  const present = (pred: (o: ItemOutcome) => boolean) => outcomes.filter((o) => o.present && pred(o)).length;
  return {
    id: pb.def.id,
    version: pb.def.version,
    title: pb.def.title,
    fingerprint: pb.fingerprint,
    protocol: pb.protocol,
    promptVersion: pb.promptVersion,
    extraction: pb.def.extraction === 'mmmu' ? MMMU_EXTRACTION_ID : CHAIN_EXTRACTION_ID,
    language: pb.language,
    counts: {
      items: pb.samples.length,
      scored: pb.items.length,
      excluded: pb.excluded.length,
      unparsed: present((o) => o.unparsed),
      errors: present((o) => o.error),
      truncated: present((o) => o.truncated),
      excludedReasons: countReasons(pb.excluded),
    },
    chanceAccuracy: chanceAccuracy(pb.items),
    metrics: metricsFor(all, pb.items, outcomes, judged),
    groups: groupsFor(pb, outcomes, judged),
    outcomes: {
      n: pb.items.length,
      present: packBits(outcomes.map((o) => o.present)),
      correct: packBits(outcomes.map((o) => o.present && o.correct)),
      unparsed: packBits(outcomes.map((o) => o.present && o.unparsed)),
      error: packBits(outcomes.map((o) => o.present && o.error)),
      truncated: packBits(outcomes.map((o) => o.present && o.truncated)),
      graded: gradedArrays(pb.items, outcomes, judged),
    },
  };
}

/** Metrics over the given item indices (the whole benchmark or one group). */
export function metricsFor(indices: number[], items: PreparedItem[], outcomes: ItemOutcome[], judged: boolean): Metric[] {
  const mcq = indices.filter((i) => items[i]!.kind === 'mcq' && outcomes[i]!.present);
  const open = indices.filter((i) => items[i]!.kind === 'open' && outcomes[i]!.present);
  const metrics: Metric[] = [];
  if (mcq.length > 0 || open.length === 0) {
    metrics.push(proportion('accuracy', mcq.filter((i) => outcomes[i]!.correct).length, mcq.length));
  }
  if (open.length > 0) {
    const grade = (i: number, name: string) => outcomes[i]!.graded?.[name] ?? 0;
    const exact = open.filter((i) => grade(i, 'open_exact_match') === 1).length;
    metrics.push(proportion('open_exact_match', exact, open.length));
    for (const name of OPEN_GRADES.slice(1)) {
      const mean = open.reduce((s, i) => s + grade(i, name), 0) / open.length;
      metrics.push({ name, value: round4(mean), n: open.length, ci95: null, higherIsBetter: true });
    }
    if (judged) metrics.push(proportion(JUDGE, open.filter((i) => grade(i, JUDGE) === 1).length, open.length));
  }
  return metrics;
}

function proportion(name: string, k: number, n: number): Metric {
  return { name, value: n === 0 ? 0 : k / n, n, ci95: n === 0 ? null : wilson(k, n), higherIsBetter: true };
}

function groupsFor(pb: PreparedForSummary, outcomes: ItemOutcome[], judged: boolean): GroupResult[] {
  const keys = [...new Set([...pb.def.groupBy, 'questionType'])];
  const groups: GroupResult[] = [];
  for (const key of keys) {
    const byValue = new Map<string, number[]>();
    pb.items.forEach((item, i) => {
      const value = groupValue(item.sample, key);
      const list = byValue.get(value);
      if (list) list.push(i);
      else byValue.set(value, [i]);
    });
    const values = [...byValue.keys()].sort();
    for (const value of values) {
      if (groups.length >= MAX_GROUPS) break;
      const members = byValue.get(value)!;
      const bits = new Uint8Array(pb.items.length);
      for (const i of members) bits[i] = 1;
      groups.push({ key, value, n: members.length, metrics: metricsFor(members, pb.items, outcomes, judged), members: packBits(bits) });
    }
  }
  return groups;
}

/** A sample's value for a groupBy key: answerType, questionType, else metadata[key]; missing → "unknown". */
export function groupValue(sample: Sample, key: string): string {
  const raw = key === 'answerType' ? sample.answerType
    : key === 'questionType' ? sample.questionType
      : sample.metadata[key];
  const s = raw === null || raw === undefined ? '' : String(raw).trim();
  return s === '' ? 'unknown' : s.slice(0, 200);
}

function gradedArrays(items: PreparedItem[], outcomes: ItemOutcome[], judged: boolean): Record<string, Array<number | null>> {
  if (!items.some((it) => it.kind === 'open')) return {};
  const names: string[] = [...OPEN_GRADES, ...(judged ? [JUDGE] : [])];
  return Object.fromEntries(names.map((name) => [name, items.map((item, i) => {
    if (item.kind !== 'open' || !outcomes[i]!.present) return null;
    const v = outcomes[i]!.graded?.[name];
    return typeof v === 'number' ? round4(v) : 0;
  })]));
}

function countReasons(excluded: Exclusion[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of excluded) out[e.reason] = (out[e.reason] ?? 0) + 1;
  return out;
}

/** Mean of 1/#options over the scored multiple-choice items; null when there are none. */
export function chanceAccuracy(items: PreparedItem[]): number | null {
  const mcq = items.filter((it) => it.kind === 'mcq' && it.choices);
  if (mcq.length === 0) return null;
  return round4(mcq.reduce((s, it) => s + 1 / Object.keys(it.choices!).length, 0) / mcq.length);
}
