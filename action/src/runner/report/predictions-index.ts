/**
 * predictions.jsonl read back for the item report. Indexing keeps only where each line is (file, byte offset,
 * length) per benchmark and item id, for the last answered line and the last failed line (resume appends; a retried
 * item has both); `get` reads one line back from disk. So a run of 100,000 long reasoning traces is never held in
 * memory at once, and the report decides per item whether its text fits the size budget. Responses come back
 * clipped (start and end kept: the answer is usually at the end). The outcome bits of results.json decide which of
 * the two lines an item shows.
 */
import { closeSync, createReadStream, existsSync, openSync, readSync } from 'node:fs';
import { linesWithOffsets, type PredictionRecord } from '../predictions.js';

/** characters of a response kept: its start and, mostly, its end (where the answer usually is) */
export const RESPONSE_KEEP = { head: 1_500, tail: 4_500 } as const;
export const REASONING_KEEP = { head: 500, tail: 1_500 } as const;

export interface StoredPrediction {
  /** the whole response (for rescoring); null when the item failed */
  fullResponse: string | null;
  /** the response as shown, clipped */
  response: string | null;
  /** characters left out of `response` */
  cut: number;
  reasoning: string | null;
  truncated: boolean;
  error: string | null;
  how: string | null;
  extracted: string | null;
  /** stamp of the rules the line's outcome was scored under (evaluate.ts outcomeStamp), null in older lines */
  scorer: string | null;
  judge: boolean | null | undefined;
}

export interface PredictionsIndex {
  /** the line to show for an item, read from disk: the answered one unless the item failed */
  get(benchmark: string, id: string, failed: boolean): StoredPrediction | undefined;
  lines: number;
  unreadable: number;
  close(): void;
}

/**
 * Where lines are, as numbers: slot → (file, byte offset, length) in typed arrays, and per benchmark a map from item
 * id to slot (the answered line's and the failed line's). 100,000 small objects instead would live through the
 * whole report build and raise the process's peak memory.
 */
class Places {
  private fd = new Uint8Array(1024);
  private offset = new Float64Array(1024);
  private length = new Uint32Array(1024);
  private used = 0;
  private readonly byBench = new Map<string, { answered: Map<string, number>; failed: Map<string, number> }>();

  set(benchmark: string, id: string, ok: boolean, fdIndex: number, offset: number, length: number): void {
    let b = this.byBench.get(benchmark);
    if (!b) this.byBench.set(benchmark, (b = { answered: new Map(), failed: new Map() }));
    const map = ok ? b.answered : b.failed;
    // a later line of the same item (resume, retry) reuses its slot
    let slot = map.get(id);
    if (slot === undefined) map.set(id, (slot = this.grow()));
    this.fd[slot] = fdIndex;
    this.offset[slot] = offset;
    this.length[slot] = length;
  }

  /** the slot of an item's line: the failed one first when `failed`, else the answered one first */
  find(benchmark: string, id: string, failed: boolean): number | undefined {
    const b = this.byBench.get(benchmark);
    if (!b) return undefined;
    return failed ? (b.failed.get(id) ?? b.answered.get(id)) : (b.answered.get(id) ?? b.failed.get(id));
  }

  at(slot: number): { fdIndex: number; offset: number; length: number } {
    return { fdIndex: this.fd[slot]!, offset: this.offset[slot]!, length: this.length[slot]! };
  }

  private grow(): number {
    if (this.used === this.offset.length) {
      const n = this.used * 2;
      this.fd = copyInto(new Uint8Array(n), this.fd);
      this.offset = copyInto(new Float64Array(n), this.offset);
      this.length = copyInto(new Uint32Array(n), this.length);
    }
    return this.used++;
  }
}

function copyInto<T extends Uint8Array | Float64Array | Uint32Array>(to: T, from: T): T {
  to.set(from as never);
  return to;
}

/** Keeps the start and end of a long text; `cut` says how many characters were left out between them. */
export function clip(text: string, keep: { head: number; tail: number }): { text: string; cut: number } {
  if (text.length <= keep.head + keep.tail + 200) return { text, cut: 0 };
  const cut = text.length - keep.head - keep.tail;
  return { text: `${text.slice(0, keep.head)}\n\n[… ${cut} characters left out of the report; full text in predictions.jsonl …]\n\n${text.slice(-keep.tail)}`, cut };
}

/** One file, or several (the shards of a merged run), read in order: a later line of an item replaces an earlier one. */
export async function readPredictionsIndex(files: string | string[] | null): Promise<PredictionsIndex> {
  const places = new Places();
  const fds: number[] = [];
  let lines = 0;
  let unreadable = 0;
  for (const file of typeof files === 'string' ? [files] : (files ?? [])) {
    if (!existsSync(file)) continue;
    if (fds.length === 256) throw new Error(`${file}: more than 256 predictions files for one report`);
    const fd = openSync(file, 'r');
    fds.push(fd);
    for await (const [line, offset, length] of linesWithOffsets(file)) {
      if (!line.trim()) continue;
      lines++;
      const r = parse(line);
      if (!r || typeof r.benchmark !== 'string' || typeof r.id !== 'string') {
        unreadable++; // a torn last line of a killed run
        continue;
      }
      const ok = typeof r.response === 'string' && !r.error;
      places.set(r.benchmark, r.id, ok, fds.length - 1, offset, length);
    }
  }
  // one buffer for every read (grown when a line is longer): 100,000 reads would otherwise allocate 100,000 buffers
  // outside the JS heap, which the process only returns after a full collection
  let buf = Buffer.allocUnsafe(64 * 1024);
  const read = (slot: number): StoredPrediction => {
    const w = places.at(slot);
    if (w.length > buf.length) buf = Buffer.allocUnsafe(w.length);
    readSync(fds[w.fdIndex]!, buf, 0, w.length, w.offset);
    return toStored(parse(buf.toString('utf8', 0, w.length))!);
  };
  return {
    lines,
    unreadable,
    get(benchmark, id, isFailed) {
      const slot = places.find(benchmark, id, isFailed);
      return slot === undefined ? undefined : read(slot);
    },
    close() {
      for (const fd of fds.splice(0)) closeSync(fd);
    },
  };
}

function parse(line: string): Partial<PredictionRecord> | null {
  try {
    const r = JSON.parse(line) as unknown;
    return r && typeof r === 'object' ? (r as Partial<PredictionRecord>) : null;
  } catch {
    return null;
  }
}

function toStored(r: Partial<PredictionRecord>): StoredPrediction {
  const full = typeof r.response === 'string' ? r.response : null;
  const response = full === null ? null : clip(full, RESPONSE_KEEP);
  const reasoning = typeof r.reasoning === 'string' && r.reasoning ? clip(r.reasoning, REASONING_KEEP).text : null;
  return {
    fullResponse: full,
    response: response?.text ?? null,
    cut: response?.cut ?? 0,
    reasoning,
    truncated: r.truncated === true,
    error: typeof r.error === 'string' ? r.error : null,
    how: typeof r.how === 'string' ? r.how : null,
    extracted: typeof r.extracted === 'string' ? r.extracted : null,
    scorer: typeof r.scorer === 'string' ? r.scorer : null,
    judge: r.judge ? r.judge.verdict : undefined,
  };
}
