/**
 * Builds the item report's data (types.ts) from what a run leaves on the runner: the prepared benchmarks (questions,
 * options, gold, images, groups), results.json (the outcome bits: what counted) and predictions.jsonl (responses).
 * The extracted answer and how it was read are recomputed from the stored response with the benchmark's own scorer,
 * so older predictions files (written before `how` was recorded) show it too. With a baseline result of the same
 * fingerprint, each item also carries the baseline's outcome, so the page can list what changed.
 */
import { unpackBits } from '../../../../schemas/bitset.js';
import type { BenchmarkResult, RunResult } from '../../../../schemas/results.js';
import { groupValue } from '../../core/scoring/summary.js';
import type { PreparedBenchmark } from '../../core/suite.js';
import type { PredictionsIndex, StoredPrediction } from './predictions-index.js';
import type { ThumbnailSet } from './thumbnails.js';
import { BASE, FLAG, type ReportBenchmark, type ReportData, type ReportItem } from './types.js';

export interface CollectInput {
  benchmarks: PreparedBenchmark[];
  result: RunResult;
  predictions: PredictionsIndex;
  baseline?: { result: RunResult; label: string; predictions: PredictionsIndex | null } | null;
  thumbnails: ThumbnailSet;
  now: () => number;
}

interface Bits { present: Uint8Array; correct: Uint8Array; unparsed: Uint8Array; error: Uint8Array; truncated: Uint8Array }

function bitsOf(b: BenchmarkResult): Bits {
  const n = b.outcomes.n;
  const o = b.outcomes;
  return { present: unpackBits(o.present, n), correct: unpackBits(o.correct, n), unparsed: unpackBits(o.unparsed, n),
    error: unpackBits(o.error, n), truncated: unpackBits(o.truncated, n) };
}

export async function collectReport(input: CollectInput): Promise<ReportData> {
  const notes: string[] = [];
  const benchmarks: ReportBenchmark[] = [];
  const pending: Array<{ item: ReportItem; images: PreparedBenchmark['items'][number]['sample']['images']; priority: number }> = [];
  let missingPredictions = 0;
  let clipped = 0;
  for (const br of input.result.benchmarks) {
    const pb = input.benchmarks.find((p) => p.def.id === br.id);
    if (!pb) {
      notes.push(`${br.id}: its data was not prepared, so its items are not listed`);
      continue;
    }
    const head = bitsOf(br);
    const pairing = pairWith(br, input.baseline?.result ?? null);
    const base = pairing.bits;
    const keys = [...new Set([...pb.def.groupBy, 'questionType'])];
    const values = keys.map(() => new Map<string, number>());
    const items: ReportItem[] = [];
    for (const prepared of pb.items) {
      const i = prepared.index;
      if (!head.present[i]) continue;
      const failed = head.error[i] === 1;
      const stored = input.predictions.get(br.id, prepared.sample.id, failed);
      if (!stored) missingPredictions++;
      else if (stored.cut) clipped++;
      const f = (head.correct[i] ? FLAG.correct : 0) | (head.unparsed[i] ? FLAG.unparsed : 0)
        | (failed ? FLAG.error : 0) | (head.truncated[i] ? FLAG.truncated : 0);
      const b = base && base.present[i] ? (base.correct[i] ? BASE.correct : BASE.wrong) : BASE.none;
      const item: ReportItem = {
        id: prepared.sample.id, q: prepared.sample.question,
        o: prepared.choices ? Object.entries(prepared.choices) : null, g: prepared.gold,
        ...readAnswer(pb, prepared, stored, failed), f,
        v: keys.map((k, ki) => indexOf(values[ki]!, groupValue(prepared.sample, k))),
        t: [], tm: 0, b,
      };
      if (stored?.reasoning) item.rs = stored.reasoning;
      if (failed && stored?.error) item.e = stored.error;
      if (stored?.judge !== undefined && prepared.kind === 'open') item.j = stored.judge === null ? null : stored.judge ? 1 : 0;
      const changed = b !== BASE.none && (b === BASE.correct) !== Boolean(f & FLAG.correct);
      if (changed && input.baseline?.predictions) {
        const bs = input.baseline.predictions.get(br.id, prepared.sample.id, b === BASE.wrong && base!.error[i] === 1);
        item.br = bs?.response ?? null;
        item.bx = bs?.extracted ?? null;
      }
      items.push(item);
      pending.push({ item, images: prepared.sample.images, priority: changed ? 0 : f & FLAG.correct ? 2 : 1 });
    }
    benchmarks.push({
      id: br.id, title: br.title ?? pb.def.title, extraction: br.extraction, protocol: br.protocol, fingerprint: br.fingerprint,
      scored: br.outcomes.n, notEvaluated: br.outcomes.n - items.length,
      groups: keys.map((key, ki) => ({ key, values: [...values[ki]!.keys()] })),
      pairing: { status: pairing.status, note: pairing.note }, items,
    });
  }
  // thumbnails in priority order: changed items, then wrong ones, then the rest (stable within each)
  pending.sort((a, b) => a.priority - b.priority);
  for (const p of pending) {
    const { t, missing } = await input.thumbnails.forImages(p.images);
    p.item.t = t;
    p.item.tm = missing;
  }
  if (missingPredictions) notes.push(`${missingPredictions} evaluated item(s) have no line in predictions.jsonl: their response is not shown`);
  if (clipped) notes.push(`${clipped} long response(s) are shortened to their start and end; predictions.jsonl has them whole`);
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

function indexOf(map: Map<string, number>, value: string): number {
  let i = map.get(value);
  if (i === undefined) map.set(value, (i = map.size));
  return i;
}

/** Extracted answer and how it was read, under the benchmark's scorer, from the stored response. */
function readAnswer(pb: PreparedBenchmark, item: PreparedBenchmark['items'][number], stored: StoredPrediction | undefined, failed: boolean) {
  if (failed || !stored || stored.response === null) {
    return { x: null, h: failed ? 'error' : 'no response', r: stored?.response ?? null, rc: stored?.cut ?? 0 };
  }
  // a clipped response is scored as stored in predictions.jsonl would be: fall back to the recorded reading
  if (stored.cut) return { x: stored.extracted, h: stored.how ?? 'recorded', r: stored.response, rc: stored.cut };
  const s = pb.def.scorer.score(item, { content: stored.response, truncated: stored.truncated });
  return { x: s.extracted, h: s.how ?? stored.how ?? 'unknown', r: stored.response, rc: 0 };
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
