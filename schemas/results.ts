/**
 * The run result (`results.json`, schemaVersion 1): the one wire contract between the runner/action and the worker.
 * Field-by-field documentation lives in docs/results-schema.md; keep the two in step.
 * Per-item outcomes travel as base64 bitsets over the benchmark's *scored* items in canonical order, so two runs
 * with the same fingerprint can be paired item by item without ever shipping questions or responses.
 */
import { z } from 'zod';
import { BenchmarkId } from './catalog.js';

// the ids come from the benchmark catalog; re-exported because the id is part of this contract
export { BENCHMARK_IDS, BenchmarkId } from './catalog.js';

export const Protocol = z.enum(['paper', 'closed', 'full']);
export type Protocol = z.infer<typeof Protocol>;

const MAX_ITEMS = 1_000_000;
/** base64 of ceil(n/8) bytes; LSB-first within each byte. Bounded by MAX_ITEMS bits. */
const Bitset = z.string().max(Math.ceil(MAX_ITEMS / 8 / 3) * 4 + 4).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');
const Label = z.string().min(1).max(200);
const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex characters (SHA-256)');
const Fraction = z.number().min(0).max(1);

export const Interval = z.tuple([Fraction, Fraction]);
export type Interval = z.infer<typeof Interval>;

export const Metric = z.object({
  /** accuracy | open_exact_match | open_token_recall | open_token_f1 | open_judge_accuracy */
  name: z.string().min(1).max(64),
  value: z.number().min(0).max(1),
  n: z.number().int().min(0).max(MAX_ITEMS),
  /** Wilson 95% interval for proportions; null when n = 0 or the metric is graded (no closed form). */
  ci95: Interval.nullable(),
  higherIsBetter: z.boolean(),
});
export type Metric = z.infer<typeof Metric>;

export const GroupResult = z.object({
  /** groupBy key, e.g. answerType, questionType, modality. */
  key: z.string().min(1).max(64),
  value: z.string().min(1).max(200),
  /** scored items in the group */
  n: z.number().int().min(0).max(MAX_ITEMS),
  metrics: z.array(Metric).max(16),
  /** membership over the benchmark's scored items (same indexing as outcomes) */
  members: Bitset,
});
export type GroupResult = z.infer<typeof GroupResult>;

export const Counts = z.object({
  /** items in the benchmark (after language filter), whether scored or not */
  items: z.number().int().min(0).max(MAX_ITEMS),
  scored: z.number().int().min(0).max(MAX_ITEMS),
  excluded: z.number().int().min(0).max(MAX_ITEMS),
  unparsed: z.number().int().min(0).max(MAX_ITEMS),
  errors: z.number().int().min(0).max(MAX_ITEMS),
  truncated: z.number().int().min(0).max(MAX_ITEMS),
  /** reason → count, for excluded items (e.g. "open-ended", "closed-not-binary", "gold-not-in-options") */
  excludedReasons: z.record(z.string().max(64), z.number().int().min(0)).default({}),
});
export type Counts = z.infer<typeof Counts>;

export const Outcomes = z.object({
  /** number of scored items in the canonical order: the length of every bitset below */
  n: z.number().int().min(0).max(MAX_ITEMS),
  /** which scored items this result holds (all ones unless it is one shard of a run) */
  present: Bitset,
  correct: Bitset,
  unparsed: Bitset,
  error: Bitset,
  truncated: Bitset,
  /** graded per-item scores (open-ended metrics), 4 decimals, null where the metric does not apply */
  graded: z.record(z.string().max(64), z.array(z.number().min(0).max(1).nullable()).max(MAX_ITEMS)).default({}),
});
export type Outcomes = z.infer<typeof Outcomes>;

export const BenchmarkResult = z.object({
  id: BenchmarkId,
  version: z.number().int().min(1),
  title: z.string().max(200).optional(),
  /** SHA-256 over canonical item content + protocol + prompt version */
  fingerprint: Sha256,
  protocol: Protocol,
  promptVersion: z.number().int().min(1),
  /** answer extraction chain used (e.g. "medvlm-chain/1", "mmmu-official/1") */
  extraction: z.string().max(64),
  language: z.string().max(16).nullable().default(null),
  counts: Counts,
  /** expected accuracy of uniform random guessing over the scored multiple-choice items (the chance row) */
  chanceAccuracy: z.number().min(0).max(1).nullable().default(null),
  metrics: z.array(Metric).max(16),
  groups: z.array(GroupResult).max(256),
  outcomes: Outcomes,
});
export type BenchmarkResult = z.infer<typeof BenchmarkResult>;

export const Identity = z.object({
  /** "owner/name" */
  repository: z.string().regex(/^[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/, 'must be owner/name').nullable(),
  commit: z.string().regex(/^[0-9a-f]{40}$/, 'must be a 40-hex commit sha').nullable(),
  ref: z.string().max(255).nullable(),
  prNumber: z.number().int().min(1).nullable(),
  /** the branch a PR targets, when known */
  baseRef: z.string().max(255).nullable().default(null),
  workflowRef: z.string().max(512).nullable().default(null),
  runId: z.string().max(64).nullable().default(null),
});
export type Identity = z.infer<typeof Identity>;

export const Decoding = z.object({
  temperature: z.number().min(0).max(2),
  topP: z.number().min(0).max(1).nullable().default(null),
  maxTokens: z.number().int().min(1).max(1_000_000),
  seed: z.number().int().nullable(),
});
export type Decoding = z.infer<typeof Decoding>;

export const Shard = z.object({
  /** identifies the whole run all shards belong to */
  runKey: z.string().min(1).max(128),
  /** 0-based */
  shardIndex: z.number().int().min(0).max(1023),
  shardCount: z.number().int().min(1).max(1024),
}).refine((s) => s.shardIndex < s.shardCount, { message: 'shardIndex must be < shardCount', path: ['shardIndex'] });
export type Shard = z.infer<typeof Shard>;

export const Timing = z.object({
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  wallSeconds: z.number().min(0),
  itemsPerSecond: z.number().min(0),
  latencyMs: z.object({ p50: z.number().min(0), p95: z.number().min(0) }),
  tokens: z.object({ prompt: z.number().int().min(0), completion: z.number().int().min(0) }),
});
export type Timing = z.infer<typeof Timing>;

/** What the runner sent in the end when the server refused the requested settings (docs/results-schema.md). */
export const EffectiveDecoding = z.object({
  /** token budget of the last requests sent */
  maxTokens: z.number().int().min(1).max(1_000_000),
  /** smallest and largest budget an answered item was sent with (null: no item answered in this invocation) */
  maxTokensMin: z.number().int().min(1).max(1_000_000).nullable(),
  maxTokensMax: z.number().int().min(1).max(1_000_000).nullable(),
  maxTokensField: z.enum(['max_tokens', 'max_completion_tokens']),
  /** null: not sent, the server's default applied */
  temperature: z.number().min(0).max(2).nullable(),
  topP: z.number().min(0).max(1).nullable(),
  seed: z.number().int().nullable(),
  /** the server's context length in tokens, when it reported one */
  contextLimit: z.number().int().min(1).nullable(),
  /** why each setting changed, in order */
  changes: z.array(z.string().max(400)).max(12),
});
export type EffectiveDecoding = z.infer<typeof EffectiveDecoding>;

/** What went wrong in a run, without item text: error reasons are the servers' messages. */
export const RunDiagnostics = z.object({
  /** the most frequent error reasons (digits aside), most frequent first */
  errorReasons: z.array(z.object({ reason: z.string().max(400), count: z.number().int().min(1) })).max(10),
  /** answered items with empty content and all text in reasoning (a reasoning parser took the answer) */
  reasoningOnly: z.number().int().min(0),
  warnings: z.array(z.string().max(1000)).max(10),
});
export type RunDiagnostics = z.infer<typeof RunDiagnostics>;

export const RunResult = z.object({
  schemaVersion: z.literal(1),
  tool: z.object({ name: z.literal('medvlm-bench'), version: z.string().max(32) }),
  suiteVersion: z.string().max(32),
  identity: Identity,
  model: z.object({
    name: Label,
    /** human label of the checkpoint (defaults to the model name) */
    checkpoint: z.string().max(200).nullable(),
    /** host[:port] of the endpoint; never a key or a path */
    endpointHost: z.string().max(255).nullable(),
  }),
  decoding: Decoding,
  protocol: Protocol,
  judge: z.object({ model: Label, promptVersion: z.number().int().min(1) }).nullable().default(null),
  shard: Shard.nullable().default(null),
  timing: Timing,
  benchmarks: z.array(BenchmarkResult).min(1).max(32),
  /** absent or "complete"; "failed": the run stopped early on a systematic failure (`failure`); never uploaded */
  status: z.enum(['complete', 'failed']).optional(),
  failure: z.object({ reason: z.string().max(2000), items: z.number().int().min(0) }).nullable().optional(),
  effectiveDecoding: EffectiveDecoding.nullable().optional(),
  diagnostics: RunDiagnostics.nullable().optional(),
  /** images converted to a format the server takes (runner/images/formats.ts); absent when none was */
  imageConversions: z.array(z.object({ from: z.string().max(64), to: z.string().max(64), images: z.number().int().min(1) })).max(16).optional(),
});
export type RunResult = z.infer<typeof RunResult>;
