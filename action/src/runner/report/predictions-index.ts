/**
 * predictions.jsonl read back for the item report: per benchmark and item id, the last answered line and the last
 * failed line (resume appends; a retried item has both). Responses are clipped as they are read, so a run of
 * long reasoning traces does not have to fit in memory whole. The outcome bits of results.json decide which of the
 * two lines an item shows.
 */
import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { PredictionRecord } from '../predictions.js';

/** characters of a response kept: its start and, mostly, its end (where the answer usually is) */
export const RESPONSE_KEEP = { head: 1_500, tail: 4_500 } as const;
export const REASONING_KEEP = { head: 500, tail: 1_500 } as const;

export interface StoredPrediction {
  response: string | null;
  /** characters left out of `response` */
  cut: number;
  reasoning: string | null;
  truncated: boolean;
  error: string | null;
  how: string | null;
  extracted: string | null;
  judge: boolean | null | undefined;
}

export interface PredictionsIndex {
  /** the line to show for an item: the answered one unless the item failed */
  get(benchmark: string, id: string, failed: boolean): StoredPrediction | undefined;
  lines: number;
  unreadable: number;
}

/** Keeps the start and end of a long text; `cut` says how many characters were left out between them. */
export function clip(text: string, keep: { head: number; tail: number }): { text: string; cut: number } {
  if (text.length <= keep.head + keep.tail + 200) return { text, cut: 0 };
  const cut = text.length - keep.head - keep.tail;
  return { text: `${text.slice(0, keep.head)}\n\n[… ${cut} characters left out of the report; full text in predictions.jsonl …]\n\n${text.slice(-keep.tail)}`, cut };
}

/** One file, or several (the shards of a merged run), read in order: a later line of an item replaces an earlier one. */
export async function readPredictionsIndex(files: string | string[] | null): Promise<PredictionsIndex> {
  const answered = new Map<string, StoredPrediction>();
  const failed = new Map<string, StoredPrediction>();
  let lines = 0;
  let unreadable = 0;
  for (const file of typeof files === 'string' ? [files] : (files ?? [])) {
    if (!existsSync(file)) continue;
    const rl = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
    for await (const line of rl) {
      if (!line.trim()) continue;
      lines++;
      let r: Partial<PredictionRecord>;
      try {
        r = JSON.parse(line) as Partial<PredictionRecord>;
      } catch {
        unreadable++; // a torn last line of a killed run
        continue;
      }
      if (typeof r.benchmark !== 'string' || typeof r.id !== 'string') {
        unreadable++;
        continue;
      }
      const stored = toStored(r);
      (stored.error !== null || stored.response === null ? failed : answered).set(keyOf(r.benchmark, r.id), stored);
    }
  }
  return {
    lines,
    unreadable,
    get(benchmark, id, isFailed) {
      const key = keyOf(benchmark, id);
      return isFailed ? (failed.get(key) ?? answered.get(key)) : (answered.get(key) ?? failed.get(key));
    },
  };
}

function keyOf(benchmark: string, id: string): string {
  return `${benchmark}\u0000${id}`;
}

function toStored(r: Partial<PredictionRecord>): StoredPrediction {
  const response = typeof r.response === 'string' ? clip(r.response, RESPONSE_KEEP) : null;
  const reasoning = typeof r.reasoning === 'string' && r.reasoning ? clip(r.reasoning, REASONING_KEEP).text : null;
  return {
    response: response?.text ?? null,
    cut: response?.cut ?? 0,
    reasoning,
    truncated: r.truncated === true,
    error: typeof r.error === 'string' ? r.error : null,
    how: typeof r.how === 'string' ? r.how : null,
    extracted: typeof r.extracted === 'string' ? r.extracted : null,
    judge: r.judge ? r.judge.verdict : undefined,
  };
}
