/**
 * Assembling and writing results.json: the RunResult wire object (schemas/results.ts), validated with
 * RunResult.parse before it touches the disk and written atomically (temp file + rename), so a crash never leaves
 * a half-written result that a later step would upload.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../core/atomic-write.js';
import { UserError } from '../core/errors.js';
import { RunResult, type BenchmarkResult, type Decoding, type EffectiveDecoding, type Identity, type Protocol, type RunDiagnostics, type Shard, type Timing } from '../../../schemas/results.js';

export const RESULTS_FILE = 'results.json';

export interface TimingInput {
  startedAt: number;
  finishedAt: number;
  /** items answered by the endpoint during this invocation (not from the resume cache) */
  freshItems: number;
  /** per present, non-error item, including resumed ones */
  latenciesMs: number[];
  tokens: { prompt: number; completion: number };
}

export function buildTiming(t: TimingInput): Timing {
  const wallSeconds = Math.max(0, (t.finishedAt - t.startedAt) / 1000);
  const sorted = Float64Array.from(t.latenciesMs).sort();
  return {
    startedAt: new Date(t.startedAt).toISOString(),
    finishedAt: new Date(t.finishedAt).toISOString(),
    wallSeconds: round(wallSeconds, 3),
    itemsPerSecond: wallSeconds > 0 ? round(t.freshItems / wallSeconds, 3) : 0,
    latencyMs: { p50: round(percentile(sorted, 0.5), 1), p95: round(percentile(sorted, 0.95), 1) },
    tokens: t.tokens,
  };
}

/** Nearest-rank percentile of an ascending array; 0 when empty. */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1]!;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export interface RunKeyInput {
  model: string;
  checkpoint: string | null;
  decoding: Decoding;
  protocol: Protocol;
  benchmarks: Array<{ id: string; fingerprint: string }>;
  commit: string | null;
  shardCount: number;
  limit: number | null;
  judge: { model: string; promptVersion: number } | null;
}

/** Identifies the whole run all shards belong to: equal settings, data and commit ⇔ equal key. */
export function computeRunKey(k: RunKeyInput): string {
  const canonical = JSON.stringify([k.model, k.checkpoint, k.decoding, k.protocol, k.benchmarks.map((b) => [b.id, b.fingerprint]),
    k.commit, k.shardCount, k.limit, k.judge]);
  return createHash('sha256').update(canonical).digest('hex').slice(0, 32);
}

export interface AssembleInput {
  toolVersion: string;
  suiteVersion: string;
  identity: Identity;
  model: { name: string; checkpoint: string | null; endpointHost: string | null };
  decoding: Decoding;
  protocol: Protocol;
  judge: { model: string; promptVersion: number } | null;
  shard: Shard | null;
  timing: Timing;
  benchmarks: BenchmarkResult[];
  /** "failed" when the run stopped on a systematic failure (then `failure` says why) */
  status?: 'complete' | 'failed';
  failure?: { reason: string; items: number } | null;
  effectiveDecoding?: EffectiveDecoding | null;
  diagnostics?: RunDiagnostics | null;
  /** images converted for the server (images/formats.ts); recorded only when there were any */
  imageConversions?: Array<{ from: string; to: string; images: number }>;
}

export function assembleRunResult(a: AssembleInput): RunResult {
  return RunResult.parse({
    schemaVersion: 1,
    tool: { name: 'medvlm-bench', version: a.toolVersion },
    suiteVersion: a.suiteVersion,
    identity: a.identity,
    model: a.model,
    decoding: a.decoding,
    protocol: a.protocol,
    judge: a.judge,
    shard: a.shard,
    timing: a.timing,
    benchmarks: a.benchmarks,
    ...(a.status ? { status: a.status, failure: a.failure ?? null } : {}),
    ...(a.effectiveDecoding !== undefined ? { effectiveDecoding: a.effectiveDecoding } : {}),
    ...(a.diagnostics !== undefined ? { diagnostics: a.diagnostics } : {}),
    ...(a.imageConversions?.length ? { imageConversions: a.imageConversions } : {}),
  });
}

/** Validates, then writes `<dir>/results.json` via a temp file and rename (atomic on one filesystem). */
export function writeResultsAtomic(dir: string, result: RunResult): string {
  const valid = RunResult.parse(result);
  mkdirSync(dir, { recursive: true });
  const final = path.join(dir, RESULTS_FILE);
  writeFileAtomic(final, `${JSON.stringify(valid, null, 2)}\n`);
  return final;
}

/** A results.json read and checked against the wire schema; errors name the file and the first bad field. */
export function readResultsFile(file: string): RunResult {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UserError(`cannot read ${file}: ${(e as Error).message}`);
  }
  const parsed = RunResult.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UserError(`${file} is not a valid results.json: ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}
