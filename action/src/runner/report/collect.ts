/**
 * Builds the item report's data (types.ts) from what a run leaves on the runner: the prepared benchmarks (questions,
 * options, gold, images, groups), results.json (the outcome bits: what counted) and predictions.jsonl (responses).
 * The extracted answer and how it was read come from the line when it was scored under the rules the benchmark uses
 * now (its `scorer` stamp); otherwise (older files, changed rules) they are recomputed from the stored response. With a baseline result of the same
 * fingerprint, each item also carries the baseline's outcome, so the page can list what changed.
 *
 * Size: thumbnails and response text each have a budget, spent in priority order — changed items, then wrong ones,
 * then the rest — so a 100,000-item run still gives a file a browser opens, and what is left out is said.
 */
import { unpackBits } from '../../../../schemas/bitset.js';
import type { BenchmarkResult, RunResult } from '../../../../schemas/results.js';
import { groupValue } from '../../core/scoring/summary.js';
import type { PreparedBenchmark } from '../../core/suite.js';
import { outcomeStamp } from '../evaluate.js';
import type { PredictionsIndex, StoredPrediction } from './predictions-index.js';
import type { ThumbnailSet } from './thumbnails.js';
import { BASE, FLAG, type ReportBenchmark, type ReportData, type ReportItem } from './types.js';

/** characters of response, reasoning and baseline text in one report */
export const TEXT_BUDGET = 24_000_000;

export interface CollectInput {
  benchmarks: PreparedBenchmark[];
  result: RunResult;
  predictions: PredictionsIndex;
  baseline?: { result: RunResult; label: string; predictions: PredictionsIndex | null } | null;
  thumbnails: ThumbnailSet;
  now: () => number;
  textBudget?: number;
  /**
   * When given, the texts that fit the budget are not put on the items: each such item is entered here, and
   * `withText` reads them back while the page is written. A 100,000-item build then never holds its 24 M characters
   * of text (and every item's object) at once, which kept the heap past a collection and the process over 512 MB.
   */
  textLater?: Map<ReportItem, TextLater>;
}

/** Where an item's deferred text is: its benchmark and whether the baseline's line to show is a failed one. */
export interface TextLater { benchmark: string; baseFailed: boolean | null }

/** each distinct `how` once: parsed from every line, it would otherwise be 100,000 copies of a dozen strings */
const HOW = new Map<string, string>();
const remember = (h: string): string => (HOW.size < 1000 ? (HOW.set(h, h), h) : h);

/** Items without thumbnails share one empty list (100,000 of them would otherwise be 100,000 arrays). */
export const NO_THUMBS: number[] = [];

interface Bits { present: Uint8Array; correct: Uint8Array; unparsed: Uint8Array; error: Uint8Array; truncated: Uint8Array }

/** An item waiting for its text and pictures, with what is needed to fetch them (made one at a time, see Queue). */
interface Pending { item: ReportItem; pb: PreparedBenchmark; index: number; baseFailed: boolean | null }

/**
 * Items waiting, by priority (changed, wrong, the rest), as numbers rather than an object each: 100,000 objects that
 * live through the whole build would end up in the old generation and raise the process's peak memory.
 */
interface Queue {
  buckets: [number[], number[], number[]];
  benches: Array<{ pb: PreparedBenchmark; items: ReportItem[]; index: Int32Array; baseError: Uint8Array | null }>;
}
const POS = 2 ** 26; // ref = benchmark slot × POS + item position

function bitsOf(b: BenchmarkResult): Bits {
  const n = b.outcomes.n;
  const o = b.outcomes;
  return { present: unpackBits(o.present, n), correct: unpackBits(o.correct, n), unparsed: unpackBits(o.unparsed, n),
    error: unpackBits(o.error, n), truncated: unpackBits(o.truncated, n) };
}

export async function collectReport(input: CollectInput): Promise<ReportData> {
  const notes: string[] = [];
  const benchmarks: ReportBenchmark[] = [];
  const queue: Queue = { buckets: [[], [], []], benches: [] };
  for (const br of input.result.benchmarks) {
    const pb = input.benchmarks.find((p) => p.def.id === br.id);
    if (!pb) {
      notes.push(`${br.id}: its data was not prepared, so its items are not listed`);
      continue;
    }
    benchmarks.push(skeleton(br, pb, input.baseline?.result ?? null, queue));
  }
  // text and thumbnails in priority order: changed items, then wrong ones, then the rest (stable within each)
  const tally = { missing: 0, clipped: 0, leftOut: 0, budget: input.textBudget ?? TEXT_BUDGET };
  const refs = queue.buckets.flat();
  for (let k = 0; k < Math.min(WARM_AHEAD, refs.length); k++) warm(queue, refs[k]!, input.thumbnails);
  for (const [k, ref] of refs.entries()) {
    // pictures of the items a few turns ahead are resized meanwhile (sharp's threads); the budget still goes in order
    if (k + WARM_AHEAD < refs.length) warm(queue, refs[k + WARM_AHEAD]!, input.thumbnails);
    const p = pendingOf(queue, ref);
    fillText(p, input, tally);
    const { t, missing } = await input.thumbnails.forImages(p.pb.items[p.index]!.sample.images);
    p.item.t = t.length ? t : NO_THUMBS;
    p.item.tm = missing;
  }
  if (tally.missing) notes.push(`${tally.missing} evaluated item(s) have no line in predictions.jsonl: their response is not shown`);
  if (tally.clipped) notes.push(`${tally.clipped} long response(s) are shortened to their start and end; predictions.jsonl has them whole`);
  if (tally.leftOut) notes.push(`the text budget (${(tally.budget / 1e6).toFixed(0)} M characters) ran out: ${tally.leftOut} response(s) of correct, unchanged items first are left out`);
  if (input.predictions.unreadable) notes.push(`predictions.jsonl: ${input.predictions.unreadable} unreadable line(s) skipped`);
  notes.push(...input.thumbnails.notes());
  const r = input.result;
  return {
    title: `medvlm-bench item report · ${r.model.checkpoint ?? r.model.name}`,
    model: r.model.name, checkpoint: r.model.checkpoint, commit: r.identity.commit,
    generatedAt: new Date(input.now()).toISOString(), toolVersion: r.tool.version,
    baseline: input.baseline?.label ?? null, thumbs: input.thumbnails.urls, notes, benchmarks,
  };
}

const WARM_AHEAD = 16;

function warm(q: Queue, ref: number, thumbnails: ThumbnailSet): void {
  const b = q.benches[Math.floor(ref / POS)]!;
  thumbnails.warm(b.pb.items[b.index[ref % POS]!]!.sample.images);
}

function pendingOf(q: Queue, ref: number): Pending {
  const b = q.benches[Math.floor(ref / POS)]!;
  const pos = ref % POS;
  const item = b.items[pos]!;
  const index = b.index[pos]!;
  const changed = item.b !== BASE.none && (item.b === BASE.correct) !== Boolean(item.f & FLAG.correct);
  return { item, pb: b.pb, index, baseFailed: changed ? b.baseError![index] === 1 : null };
}

/** One benchmark's items with outcome, options, groups and pairing; text and pictures come later (fillText). */
function skeleton(br: BenchmarkResult, pb: PreparedBenchmark, baseline: RunResult | null, queue: Queue): ReportBenchmark {
  const head = bitsOf(br);
  const pairing = pairWith(br, baseline);
  const base = pairing.bits;
  const keys = [...new Set([...pb.def.groupBy, 'questionType'])];
  const values = keys.map(() => new Map<string, number>());
  // items in the same groups share one `v` list (a few distinct lists instead of one per item)
  const sameV = new Map<string, number[]>();
  const items: ReportItem[] = [];
  const index = new Int32Array(pb.items.length);
  const slot = queue.benches.push({ pb, items, index, baseError: base?.error ?? null }) - 1;
  for (const prepared of pb.items) {
    const i = prepared.index;
    if (!head.present[i]) continue;
    const f = (head.correct[i] ? FLAG.correct : 0) | (head.unparsed[i] ? FLAG.unparsed : 0)
      | (head.error[i] ? FLAG.error : 0) | (head.truncated[i] ? FLAG.truncated : 0);
    const b = base && base.present[i] ? (base.correct[i] ? BASE.correct : BASE.wrong) : BASE.none;
    const item: ReportItem = {
      id: prepared.sample.id, q: prepared.sample.question, o: prepared.choices, g: prepared.gold,
      x: null, h: 'no response', f, v: shared(sameV, keys.map((k, ki) => indexOf(values[ki]!, groupValue(prepared.sample, k)))), r: null, rc: 0, t: NO_THUMBS, tm: 0, b,
    };
    index[items.length] = i;
    const changed = b !== BASE.none && (b === BASE.correct) !== Boolean(f & FLAG.correct);
    queue.buckets[changed ? 0 : f & FLAG.correct ? 2 : 1].push(slot * POS + items.length);
    items.push(item);
  }
  return {
    id: br.id, title: br.title ?? pb.def.title, extraction: br.extraction, protocol: br.protocol, fingerprint: br.fingerprint,
    scored: br.outcomes.n, notEvaluated: br.outcomes.n - items.length,
    groups: keys.map((key, ki) => ({ key, values: [...values[ki]!.keys()] })),
    pairing: { status: pairing.status, note: pairing.note }, items,
  };
}

/** Reads the item's line back, rescores it (extracted answer, how), and keeps its text while the budget lasts. */
function fillText(p: Pending, input: CollectInput, tally: { missing: number; clipped: number; leftOut: number; budget: number }): void {
  const { item, pb } = p;
  const prepared = pb.items[p.index]!;
  const failed = (item.f & FLAG.error) !== 0;
  const stored = input.predictions.get(pb.def.id, item.id, failed);
  if (!stored) {
    tally.missing++;
    item.h = failed ? 'error' : 'no response';
    return;
  }
  if (failed || stored.fullResponse === null) item.h = failed ? 'error' : 'no response';
  else if (stored.how !== null && stored.scorer === outcomeStamp(pb.def.scorer.extractionId, prepared.kind, prepared.gold)) {
    // recorded under the rules this benchmark scores with now: no need to read the answer again
    item.x = stored.extracted;
    item.h = HOW.get(stored.how) ?? remember(stored.how);
  } else {
    const s = pb.def.scorer.score(prepared, { content: stored.fullResponse, truncated: stored.truncated });
    item.x = s.extracted;
    item.h = s.how ?? stored.how ?? 'unknown';
  }
  if (failed && stored.error) item.e = stored.error;
  if (stored.judge !== undefined && prepared.kind === 'open') item.j = stored.judge === null ? null : stored.judge ? 1 : 0;
  const base = p.baseFailed !== null && input.baseline?.predictions ? input.baseline.predictions.get(pb.def.id, item.id, p.baseFailed) : null;
  const size = (stored.response?.length ?? 0) + (stored.reasoning?.length ?? 0) + (base?.response?.length ?? 0);
  if (size > tally.budget) {
    if (stored.response !== null) item.rx = 1;
    tally.leftOut++;
    return;
  }
  tally.budget -= size;
  item.rc = stored.cut;
  if (stored.cut) tally.clipped++;
  if (input.textLater) input.textLater.set(item, { benchmark: pb.def.id, baseFailed: p.baseFailed });
  else putText(item, stored, input.baseline?.predictions ? { failed: p.baseFailed, stored: base } : null);
}

function putText(item: ReportItem, stored: StoredPrediction, base: { failed: boolean | null; stored: StoredPrediction | null | undefined } | null): void {
  item.r = stored.response;
  if (stored.reasoning) item.rs = stored.reasoning;
  if (base && base.failed !== null) {
    item.br = base.stored?.response ?? null;
    item.bx = base.stored?.extracted ?? null;
  }
}

/**
 * The item with its deferred text (textLater), read back from the predictions files: a copy, so the text is garbage
 * as soon as the copy is written. Items not entered in textLater come back as they are.
 */
export function withText(item: ReportItem, later: Map<ReportItem, TextLater>, predictions: PredictionsIndex, basePredictions: PredictionsIndex | null): ReportItem {
  const l = later.get(item);
  if (!l) return item;
  const failed = (item.f & FLAG.error) !== 0;
  const stored = predictions.get(l.benchmark, item.id, failed);
  if (!stored) return item;
  const copy = { ...item };
  const base = basePredictions && l.baseFailed !== null ? basePredictions.get(l.benchmark, item.id, l.baseFailed) : null;
  putText(copy, stored, basePredictions ? { failed: l.baseFailed, stored: base } : null);
  return copy;
}

function shared(lists: Map<string, number[]>, v: number[]): number[] {
  const key = v.join(',');
  const known = lists.get(key);
  if (known) return known;
  lists.set(key, v);
  return v;
}

function indexOf(map: Map<string, number>, value: string): number {
  let i = map.get(value);
  if (i === undefined) map.set(value, (i = map.size));
  return i;
}

/** Pairs a benchmark with the baseline's by canonical item order, only when both were scored on the same items. */
function pairWith(head: BenchmarkResult, base: RunResult | null): { status: ReportBenchmark['pairing']['status']; note: string; bits: Bits | null } {
  if (!base) return { status: 'none', note: 'no baseline given', bits: null };
  const b = base.benchmarks.find((x) => x.id === head.id);
  if (!b) return { status: 'unpaired', note: `the baseline run has no ${head.id} result`, bits: null };
  if (b.fingerprint !== head.fingerprint || b.outcomes.n !== head.outcomes.n) {
    return { status: 'unpaired', note: `fingerprints differ (baseline ${b.fingerprint.slice(0, 12)}…, this run ${head.fingerprint.slice(0, 12)}…): the data, protocol, prompt or extraction changed, so items cannot be paired`, bits: null };
  }
  return { status: 'paired', note: 'paired item by item (same fingerprint)', bits: bitsOf(b) };
}
