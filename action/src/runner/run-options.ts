/**
 * RunOptions (what the CLI, the action and the demo pass to runEvaluation) and their normalisation: defaults,
 * `"a,b"`/`"all"` benchmark lists, `"I/N"` shards, and the endpoint implied by --serve.
 */
import type { Protocol } from '../../../schemas/results.js';
import { UserError } from '../core/errors.js';
import type { DecodingSettings } from './http/client.js';
import type { EngineOptions } from './evaluate.js';
import type { DataSelection } from './prepare-run.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry.js';
import { servedEndpoint } from './serve-endpoint.js';
import { parseImageFormats, type ALL_FORMATS } from './images/formats.js';
import { parseShard, type ShardSpec } from './shard.js';

export const RUN_DEFAULTS = {
  concurrency: 32,
  maxTokens: 8192,
  temperature: 0,
  seed: 42,
  requestTimeoutMs: 600_000,
  unreachableMs: 60_000,
  serveTimeoutMs: 900_000,
} as const;

export interface RunOptions {
  /** OpenAI-compatible base URL; defaults to http://127.0.0.1:8000 with `serve` */
  endpoint?: string | null;
  model: string;
  /** human label of the checkpoint; defaults to the model name */
  checkpoint?: string | null;
  /** shell command starting the model server for the duration of the run */
  serve?: string | null;
  /** shell command that stops it (e.g. `docker stop "$(cat cid)"`), run before the process group is signalled */
  serveStop?: string | null;
  /** image formats the server takes ("png,jpeg,webp" or "all"); others are converted to PNG. Default: by server */
  imageFormats?: string | null;
  serveTimeoutMs?: number;
  /** ids, a comma list, or "all" (default): every benchmark whose data is found */
  benchmarks?: string | string[];
  protocol?: Protocol;
  dataDir?: string | null;
  manifest?: string | null;
  language?: string | null;
  questionTypesFile?: string | null;
  hfToken?: string | null;
  /** output folder: predictions.jsonl, results.json, run-config.json */
  outDir: string;
  concurrency?: number;
  maxTokens?: number;
  temperature?: number;
  topP?: number | null;
  seed?: number | null;
  /** 0-based spec, or the CLI's 1-based "I/N" */
  shard?: ShardSpec | string | null;
  /** evaluate only the first N items (of this shard) per benchmark */
  limit?: number | null;
  apiKey?: string | null;
  requestTimeoutMs?: number;
  /** stop when the endpoint gives no HTTP answer at all for this long */
  unreachableMs?: number;
  judge?: { endpoint: string; model: string; apiKey?: string | null } | null;
  retry?: Partial<RetryPolicy>;
  /** GITHUB_* for identity, HF_* for downloads; defaults to process.env */
  env?: Record<string, string | undefined>;
  /** where `git` is asked for identity outside Actions */
  cwd?: string;
}

export interface NormalizedRun {
  engine: EngineOptions;
  data: DataSelection;
  out: string;
  shard: ShardSpec | null;
  limit: number | null;
  checkpoint: string;
  serve: { command: string; timeoutMs: number; stopCommand: string | null } | null;
  /** from --image-formats; null: chosen by the server detected (server-kind.ts) */
  imageFormats: readonly string[] | typeof ALL_FORMATS | null;
}

export function normalizeRunOptions(o: RunOptions): NormalizedRun {
  if (!o.model) throw new UserError('a model name is required (--model NAME: the name the endpoint serves)', 2);
  if (!o.outDir) throw new UserError('an output folder is required (--out DIR)', 2);
  // with --serve and no --endpoint: the port the served command will listen on (serve-endpoint.ts)
  const endpoint = o.endpoint || (o.serve ? servedEndpoint(o.serve) : null);
  if (o.serveStop && !o.serve) throw new UserError('--serve-stop goes with --serve "COMMAND" (it stops what --serve started)', 2);
  if (!endpoint) throw new UserError('an endpoint is required (--endpoint URL, e.g. http://127.0.0.1:8000/v1), or --serve "COMMAND"', 2);
  if (!/^https?:\/\/[^/]/.test(endpoint)) throw new UserError(`--endpoint '${endpoint}' must be an http(s) URL, e.g. http://127.0.0.1:8000/v1`, 2);
  if (o.limit !== undefined && o.limit !== null && (!Number.isInteger(o.limit) || o.limit < 1)) {
    throw new UserError(`--limit must be a positive integer, got ${o.limit}`, 2);
  }
  const decoding: DecodingSettings = {
    temperature: o.temperature ?? RUN_DEFAULTS.temperature,
    topP: o.topP ?? null,
    maxTokens: o.maxTokens ?? RUN_DEFAULTS.maxTokens,
    seed: o.seed === undefined ? RUN_DEFAULTS.seed : o.seed,
  };
  const engine: EngineOptions = {
    endpoint,
    model: o.model,
    checkpoint: o.checkpoint || o.model,
    serveCommand: o.serve ?? null,
    apiKey: headerSafeKey(o.apiKey ?? null, 'the API key'),
    decoding,
    protocol: o.protocol ?? 'paper',
    concurrency: o.concurrency ?? RUN_DEFAULTS.concurrency,
    requestTimeoutMs: o.requestTimeoutMs ?? RUN_DEFAULTS.requestTimeoutMs,
    unreachableMs: o.unreachableMs ?? RUN_DEFAULTS.unreachableMs,
    retry: { ...DEFAULT_RETRY_POLICY, ...o.retry },
    judge: o.judge ? { endpoint: o.judge.endpoint, model: o.judge.model, apiKey: headerSafeKey(o.judge.apiKey ?? null, 'the judge API key') } : null,
  };
  if (engine.judge && engine.protocol !== 'full') {
    throw new UserError('--judge-endpoint only applies to --protocol full (the paper protocol has no open-ended items)', 2);
  }
  return {
    engine,
    data: {
      benchmarks: parseBenchmarkList(o.benchmarks),
      protocol: engine.protocol as Protocol,
      dataDir: o.dataDir ?? null,
      manifest: o.manifest ?? null,
      language: o.language ?? null,
      questionTypesFile: o.questionTypesFile ?? null,
    },
    out: o.outDir,
    shard: typeof o.shard === 'string' ? parseShard(o.shard) : (o.shard ?? null),
    limit: o.limit ?? null,
    checkpoint: o.checkpoint || o.model,
    serve: o.serve ? { command: o.serve, timeoutMs: o.serveTimeoutMs ?? RUN_DEFAULTS.serveTimeoutMs, stopCommand: o.serveStop ?? null } : null,
    imageFormats: o.imageFormats ? parseImageFormats(o.imageFormats) : null,
  };
}

/**
 * An API key goes into an Authorization header: surrounding whitespace (a secret file's trailing newline) is
 * dropped, and any other control character is refused here, before the run, rather than failing every request.
 */
export function headerSafeKey(key: string | null, what: string): string | null {
  if (key === null) return null;
  const trimmed = key.trim();
  if (!trimmed) throw new UserError(`${what} is empty (only whitespace)`, 2);
  const bad = /[\u0000-\u001f\u007f]/.exec(trimmed);
  if (bad) throw new UserError(`${what} contains a control character (code ${bad[0].charCodeAt(0)}) at position ${bad.index + 1}; it cannot be sent in an HTTP header`, 2);
  return trimmed;
}

export function parseBenchmarkList(x: string | string[] | undefined): string[] | 'all' {
  const ids = (Array.isArray(x) ? x : (x ?? 'all').split(',')).map((s) => s.trim()).filter(Boolean);
  if (ids.length === 0 || ids.includes('all')) return 'all';
  return [...new Set(ids)];
}
