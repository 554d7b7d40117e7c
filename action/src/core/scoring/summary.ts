/**
 * Building the wire object (BenchmarkResult, schemas/results.ts) for one benchmark from its prepared items and the
 * per-item outcomes. Used by `score` and the runner. What is decided here: which items are open (they carry the
 * graded arrays, 4 decimals), that a judge grade adds open_judge_accuracy, and the groups. Every figure that follows
 * from the outcomes is then computed by the results algebra (schemas/outcome-metrics.ts, schemas/shard-merge.ts),
 * the same code the shard merges and the worker's checks run, so the numbers mean the same everywhere:
 *   - accuracy over present multiple-choice items; open metrics over present open items (rules in outcome-metrics.ts);
 *   - unparsed and errored items are present and score 0 (they are counted, never dropped from n);
 *   - groups: one per value of each def.groupBy key, plus questionType always; each with its own metrics and a
 *     members bitset over the scored items.
 */
import { packBits } from '../../../../schemas/bitset.js';
import { openMask, packOutcomes, type OutcomeBits } from '../../../../schemas/outcomes.js';
import type { BenchmarkResult, GroupResult, Protocol } from '../../../../schemas/results.js';
import { recomputeBenchmark } from '../../../../schemas/shard-merge.js';
import type { BenchmarkDef } from '../benchmarks/define.js';
import type { Sample } from '../benchmarks/types.js';
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

/** A prepared benchmark as far as its result needs it (suite.ts's PreparedBenchmark adds loading details). */
export interface PreparedForSummary {
  def: Pick<BenchmarkDef, 'id' | 'version' | 'title' | 'groupBy' | 'scorer'>;
  protocol: Protocol;
  language: string | null;
  /** all items after the language filter, canonical order */
  samples: Sample[];
  /** scored items, canonical order; items[i].index === i */
  items: PreparedItem[];
  excluded: Exclusion[];
  fingerprint: string;
  promptVersion: number;
}

const JUDGE = 'open_judge_accuracy';
const MAX_GROUPS = 256;

export function buildBenchmarkResult(pb: PreparedForSummary, outcomes: ItemOutcome[]): BenchmarkResult {
  if (outcomes.length !== pb.items.length) {
    throw new RangeError(`${pb.def.id}: ${outcomes.length} outcomes for ${pb.items.length} scored items`);
  }
  const n = pb.items.length;
  const judged = outcomes.some((o) => typeof o.graded?.[JUDGE] === 'number');
  const bits = (pred: (o: ItemOutcome) => boolean) => Uint8Array.from(outcomes, (o) => (o.present && pred(o) ? 1 : 0));
  const graded = gradedArrays(pb, outcomes, judged);
  const u: OutcomeBits = {
    n, present: bits(() => true), correct: bits((o) => o.correct), unparsed: bits((o) => o.unparsed),
    error: bits((o) => o.error), truncated: bits((o) => o.truncated), open: openMask(graded, n), graded,
  };
  // the figures that follow from the outcomes (counts, metrics, group n and metrics) come from the results algebra
  return recomputeBenchmark({
    id: pb.def.id,
    version: pb.def.version,
    title: pb.def.title,
    fingerprint: pb.fingerprint,
    protocol: pb.protocol,
    promptVersion: pb.promptVersion,
    extraction: pb.def.scorer.extractionId,
    language: pb.language,
    counts: {
      items: pb.samples.length, scored: n, excluded: pb.excluded.length, unparsed: 0, errors: 0, truncated: 0,
      excludedReasons: countReasons(pb.excluded),
    },
    chanceAccuracy: chanceAccuracy(pb.items),
    metrics: [],
    groups: groupsFor(pb),
    outcomes: packOutcomes(u),
  }, u);
}

/** One group per value of each groupBy key (plus questionType), with its members; metrics are filled in later. */
function groupsFor(pb: PreparedForSummary): GroupResult[] {
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
      groups.push({ key, value, n: members.length, metrics: [], members: packBits(bits) });
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

/** The scorer's graded metrics (plus the judge's) per item: a number for each present open item, else null. */
function gradedArrays(pb: PreparedForSummary, outcomes: ItemOutcome[], judged: boolean): Record<string, Array<number | null>> {
  if (!pb.items.some((it) => it.kind === 'open')) return {};
  const names: string[] = [...pb.def.scorer.openMetrics, ...(judged ? [JUDGE] : [])];
  return Object.fromEntries(names.map((name) => [name, pb.items.map((item, i) => {
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
