/**
 * Reading a predictions JSONL for `medvlm-bench score`: one object per line, `{id, response}` with optional
 * `reasoning` (recorded, never searched), `truncated` (boolean) and `error` (a message: the item failed). The
 * runner's own predictions.jsonl has this shape plus extra fields (ignored); its lines carry `benchmark`, and lines
 * of other benchmarks are skipped. A duplicate id is an error, except that a line with an `error` may be followed by
 * a retry of the same id (the runner appends retries), which replaces it.
 * Blank lines are ignored; anything else malformed is an error naming file:line and the field.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { UserError } from '../errors.js';

export interface Prediction {
  id: string;
  line: number;
  response: string;
  reasoning: string | null;
  truncated: boolean;
  error: string | null;
}

export interface PredictionsRead {
  byId: Map<string, Prediction>;
  /** lines that belong to another benchmark (runner files hold several) */
  otherBenchmark: number;
}

const MAX_REPORTED = 20;

export async function readPredictions(file: string, benchmark: string): Promise<PredictionsRead> {
  const byId = new Map<string, Prediction>();
  const problems: string[] = [];
  let problemCount = 0;
  let otherBenchmark = 0;
  let line = 0;
  const stream = createReadStream(file, { encoding: 'utf8' });
  const opened = new Promise<void>((resolve, reject) => { stream.once('open', () => resolve()); stream.once('error', reject); });
  try {
    await opened;
  } catch (e) {
    throw new UserError(`--predictions ${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  for await (const text of createInterface({ input: stream, crlfDelay: Infinity })) {
    line++;
    if (!text.trim()) continue;
    const parsed = parseLine(text, `${file}:${line}`, line);
    if (typeof parsed === 'string') {
      if (++problemCount <= MAX_REPORTED) problems.push(parsed);
      continue;
    }
    if (parsed.benchmark !== null && parsed.benchmark !== benchmark) {
      otherBenchmark++;
      continue;
    }
    const earlier = byId.get(parsed.prediction.id);
    if (earlier && earlier.error === null) {
      if (++problemCount <= MAX_REPORTED) problems.push(`${file}:${line}: duplicate id ${JSON.stringify(parsed.prediction.id)} (first on line ${earlier.line})`);
      continue;
    }
    byId.set(parsed.prediction.id, parsed.prediction);
  }
  if (problemCount > 0) {
    const more = problemCount > MAX_REPORTED ? `\n… and ${problemCount - MAX_REPORTED} more` : '';
    throw new UserError(`${problemCount} problem(s) in the predictions file:\n${problems.join('\n')}${more}`);
  }
  return { byId, otherBenchmark };
}

function parseLine(text: string, at: string, line: number): string | { benchmark: string | null; prediction: Prediction } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return `${at}: not valid JSON (${(e as Error).message})`;
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return `${at}: expected a JSON object like {"id": …, "response": …}`;
  const r = raw as Record<string, unknown>;
  const id = typeof r.id === 'string' ? r.id : typeof r.id === 'number' && Number.isInteger(r.id) ? String(r.id) : null;
  if (id === null || id === '') return `${at}: field "id" must be a non-empty string or an integer`;
  const error = r.error === undefined || r.error === null ? null : String(r.error);
  if (typeof r.response !== 'string' && !(error !== null && (r.response === null || r.response === undefined))) {
    return `${at}: field "response" must be a string (null is allowed only with "error")`;
  }
  if (r.reasoning !== undefined && r.reasoning !== null && typeof r.reasoning !== 'string') return `${at}: field "reasoning" must be a string or null`;
  if (r.truncated !== undefined && typeof r.truncated !== 'boolean') return `${at}: field "truncated" must be true or false`;
  if (r.benchmark !== undefined && typeof r.benchmark !== 'string') return `${at}: field "benchmark" must be a string`;
  return {
    benchmark: typeof r.benchmark === 'string' ? r.benchmark : null,
    prediction: {
      id, line, error,
      response: typeof r.response === 'string' ? r.response : '',
      reasoning: typeof r.reasoning === 'string' ? r.reasoning : null,
      truncated: r.truncated === true,
    },
  };
}
