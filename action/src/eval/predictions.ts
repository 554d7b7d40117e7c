/**
 * predictions.jsonl: one line per finished item, appended with a synchronous write per item (no userland buffer,
 * so a SIGKILL loses at most the line being written). It doubles as the resume cache: a rerun with the same --out
 * skips every item whose cache key already has a successful line. A torn last line (crash mid-write) is cut off
 * before appending so it can never glue onto the next record.
 */
import { closeSync, createReadStream, existsSync, ftruncateSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { createInterface } from 'node:readline';

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
  /** resume cache key: model, checkpoint, serve command, prompt, image hashes, decoding, protocol + prompt version */
  key: string;
  /** SHA-256 of the request body sent (what the server saw) */
  requestHash: string;
  response: string | null;
  reasoning: string | null;
  extracted: string | null;
  correct: boolean;
  truncated: boolean;
  /** null when the item finished; the message when it failed after retries (such lines are retried on resume) */
  error: string | null;
  latencyMs: number;
  attempts: number;
  tokens: { prompt: number; completion: number };
  judge?: JudgeRecord | null;
}

/** What resume needs from a finished line: enough to rescore without asking the model again. */
export interface CachedPrediction {
  response: string;
  requestHash: string;
  truncated: boolean;
  latencyMs: number;
  tokens: { prompt: number; completion: number };
  judge: JudgeRecord | null;
}

export interface PredictionsFile {
  cache: Map<string, CachedPrediction>;
  /** lines skipped while loading (torn or corrupt), for the log */
  skippedLines: number;
  append(rec: PredictionRecord): void;
  close(): void;
}

export async function openPredictions(path: string): Promise<PredictionsFile> {
  const cache = new Map<string, CachedPrediction>();
  let skippedLines = 0;
  if (existsSync(path)) {
    skippedLines += cutTornTail(path);
    const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
    for await (const line of lines) {
      if (!line.trim()) continue;
      const cached = parseLine(line);
      if (cached === undefined) skippedLines++;
      else if (cached) cache.set(cached[0], cached[1]);
    }
  }
  const fd = openSync(path, 'a');
  return {
    cache,
    skippedLines,
    append(rec) {
      writeSync(fd, `${JSON.stringify(rec)}\n`);
    },
    close() {
      closeSync(fd);
    },
  };
}

/** undefined = unreadable line; null = a valid line that resume must not use (an error record). */
function parseLine(line: string): [string, CachedPrediction] | null | undefined {
  let r: Partial<PredictionRecord>;
  try {
    r = JSON.parse(line) as Partial<PredictionRecord>;
  } catch {
    return undefined;
  }
  if (typeof r.key !== 'string') return undefined;
  if (r.error || typeof r.response !== 'string') return null;
  return [
    r.key,
    {
      response: r.response,
      requestHash: typeof r.requestHash === 'string' ? r.requestHash : '',
      truncated: r.truncated === true,
      latencyMs: typeof r.latencyMs === 'number' ? r.latencyMs : 0,
      tokens: { prompt: r.tokens?.prompt ?? 0, completion: r.tokens?.completion ?? 0 },
      judge: r.judge ?? null,
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
