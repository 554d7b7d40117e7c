/**
 * predictions.jsonl: one line per finished item, appended with a synchronous write per item (no userland buffer,
 * so a SIGKILL loses at most the line being written). It doubles as the resume cache: a rerun with the same --out
 * skips every item whose cache key already has a successful line. A torn last line (crash mid-write) is cut off
 * before appending so it can never glue onto the next record. Resume keeps only the outcome fields of each line in
 * memory (no response text, which can be kilobytes of reasoning per item); the line's byte range is kept so the
 * response can be read back when an item must be rescored or judged.
 */
import { closeSync, createReadStream, existsSync, ftruncateSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';

export const PREDICTIONS_FILE = 'predictions.jsonl';

export interface JudgeRecord {
  model: string;
  promptVersion: number;
  /** true = judged equivalent to the reference; null = the judge failed or gave no verdict */
  verdict: boolean | null;
  raw: string | null;
}

/** One line of predictions.jsonl. Raw responses stay on the runner: this file is never uploaded. */
export interface PredictionRecord {
  benchmark: string;
  id: string;
  /** position among the benchmark's scored items */
  index: number;
  /** understanding | reasoning; its source (override | label | classifier); the classifier's P(reasoning), else null */
  questionType?: string | null;
  questionTypeSource?: string | null;
  questionTypeProbability?: number | null;
  /** resume cache key: model, checkpoint, serve command, prompt, image hashes, decoding, protocol + prompt version */
  key: string;
  /** SHA-256 of the request body sent (what the server saw) */
  requestHash: string;
  response: string | null;
  reasoning: string | null;
  extracted: string | null;
  /** how `extracted` was read (extraction stage: boxed, trigger, letter, option-text, yes-no…; absent in older lines) */
  how?: string | null;
  correct: boolean;
  /** rule-based graded metrics of an open item (the judge's verdict is in `judge`) */
  graded?: Record<string, number | null> | null;
  /** stamp of the scoring rules + gold answer that produced extracted/correct/graded (see evaluate.ts) */
  scorer?: string | null;
  truncated: boolean;
  /** null when the item finished; the message when it failed after retries (such lines are retried on resume) */
  error: string | null;
  latencyMs: number;
  attempts: number;
  tokens: { prompt: number; completion: number };
  judge?: JudgeRecord | null;
}

/** The judge's verdict without its raw text: all resume needs to decide whether to judge again. */
export type JudgeStamp = Omit<JudgeRecord, 'raw'>;

/** What resume keeps of a finished line: its outcome, and where to read the response back from. */
export interface CachedPrediction {
  offset: number;
  length: number;
  requestHash: string;
  truncated: boolean;
  latencyMs: number;
  tokens: { prompt: number; completion: number };
  /** null in lines written before outcomes were stamped: such items are rescored from their response */
  scorer: string | null;
  extracted: string | null;
  correct: boolean;
  graded: Record<string, number | null> | null;
  judge: JudgeStamp | null;
}

export interface PredictionsFile {
  cache: Map<string, CachedPrediction>;
  /** lines skipped while loading (torn or corrupt), for the log */
  skippedLines: number;
  append(rec: PredictionRecord): void;
  /** the stored response of a cached line (read from disk) */
  readResponse(hit: CachedPrediction): string;
  close(): void;
}

export async function openPredictions(path: string): Promise<PredictionsFile> {
  const cache = new Map<string, CachedPrediction>();
  let skippedLines = 0;
  if (existsSync(path)) {
    skippedLines += cutTornTail(path);
    for await (const [line, offset, length] of linesWithOffsets(path)) {
      if (!line.trim()) continue;
      const cached = parseLine(line, offset, length);
      if (cached === undefined) skippedLines++;
      else if (cached) cache.set(cached[0], cached[1]);
    }
  }
  const fd = openSync(path, 'a+');
  return {
    cache,
    skippedLines,
    append(rec) {
      writeSync(fd, `${JSON.stringify(rec)}\n`);
    },
    readResponse(hit) {
      const buf = Buffer.alloc(hit.length);
      readSync(fd, buf, 0, hit.length, hit.offset);
      const r = JSON.parse(buf.toString('utf8')) as Partial<PredictionRecord>;
      if (typeof r.response !== 'string') throw new Error(`predictions.jsonl changed under the run (byte ${hit.offset})`);
      return r.response;
    },
    close() {
      closeSync(fd);
    },
  };
}

/** Lines with their byte offset and length (readline gives no offsets). */
export async function* linesWithOffsets(path: string): AsyncGenerator<[string, number, number]> {
  let carry: Buffer = Buffer.alloc(0);
  let base = 0;
  for await (const chunk of createReadStream(path)) {
    const buf = carry.length > 0 ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
    let start = 0;
    for (let nl = buf.indexOf(0x0a); nl >= 0; nl = buf.indexOf(0x0a, start)) {
      yield [buf.toString('utf8', start, nl), base + start, nl - start];
      start = nl + 1;
    }
    base += start;
    carry = buf.subarray(start);
  }
  if (carry.length > 0) yield [carry.toString('utf8'), base, carry.length];
}

/** undefined = unreadable line; null = a valid line that resume must not use (an error record). */
function parseLine(line: string, offset: number, length: number): [string, CachedPrediction] | null | undefined {
  let r: Partial<PredictionRecord>;
  try {
    r = JSON.parse(line) as Partial<PredictionRecord>;
  } catch {
    return undefined;
  }
  if (typeof r.key !== 'string') return undefined;
  if (r.error || typeof r.response !== 'string') return null;
  const j = r.judge;
  return [
    r.key,
    {
      offset,
      length,
      requestHash: typeof r.requestHash === 'string' ? r.requestHash : '',
      truncated: r.truncated === true,
      latencyMs: typeof r.latencyMs === 'number' ? r.latencyMs : 0,
      tokens: { prompt: r.tokens?.prompt ?? 0, completion: r.tokens?.completion ?? 0 },
      scorer: typeof r.scorer === 'string' ? r.scorer : null,
      extracted: typeof r.extracted === 'string' ? r.extracted : null,
      correct: r.correct === true,
      graded: r.graded && typeof r.graded === 'object' ? r.graded : null,
      judge: j ? { model: j.model, promptVersion: j.promptVersion, verdict: j.verdict } : null,
    },
  ];
}

/** Truncates the file after its last newline; returns 1 when a torn line was removed. */
function cutTornTail(path: string): number {
  const fd = openSync(path, 'r+');
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return 0;
    const buf = Buffer.alloc(1);
    readSync(fd, buf, 0, 1, size - 1);
    if (buf[0] === 0x0a) return 0;
    // Walk back in blocks to the last newline.
    const block = Buffer.alloc(64 * 1024);
    for (let end = size; end > 0; ) {
      const start = Math.max(0, end - block.length);
      const n = readSync(fd, block, 0, end - start, start);
      const nl = block.subarray(0, n).lastIndexOf(0x0a);
      if (nl >= 0) {
        ftruncateSync(fd, start + nl + 1);
        return 1;
      }
      end = start;
    }
    ftruncateSync(fd, 0);
    return 1;
  } finally {
    closeSync(fd);
  }
}
