/**
 * Builds valid RunResult bodies for worker tests and bench/: deterministic per-item outcomes from a seed, metrics
 * computed independently of the worker's own code (so tests compare two implementations), optional shards.
 * Pure (schemas only): usable in workerd and Node.
 */
import { packBits } from '../../schemas/bitset.js';
import type { BenchmarkResult, RunResult } from '../../schemas/results.js';
import { wilson } from '../../schemas/stats.js';

export interface FixtureOptions {
  repository?: string;
  commit?: string | null;
  ref?: string | null;
  prNumber?: number | null;
  model?: string;
  checkpoint?: string | null;
  /** scored items per benchmark */
  n?: number;
  benchmarks?: BenchmarkResult['id'][];
  /** item i of benchmark b is correct when this returns true (default: a seeded pseudo-random ~60%) */
  correct?: (i: number, benchmark: string) => boolean;
  fingerprint?: string;
  startedAt?: string;
}

export function makeRun(o: FixtureOptions = {}): RunResult {
  const n = o.n ?? 200;
  const seedOf = o.model ?? 'model-a';
  const correct = o.correct ?? ((i: number, b: string) => hash(`${seedOf}:${b}:${i}`) % 100 < 60);
  const startedAt = o.startedAt ?? '2026-11-01T10:00:00.000Z';
  return {
    schemaVersion: 1,
    tool: { name: 'medvlm-bench', version: '0.1.0' },
    suiteVersion: '1',
    identity: {
      repository: o.repository ?? 'acme/vision', commit: o.commit === undefined ? 'a'.repeat(40) : o.commit,
      ref: o.ref === undefined ? 'refs/heads/main' : o.ref, prNumber: o.prNumber ?? null, baseRef: null,
      workflowRef: null, runId: null,
    },
    model: { name: o.model ?? 'model-a', checkpoint: o.checkpoint ?? null, endpointHost: '127.0.0.1:8000' },
    decoding: { temperature: 0, topP: null, maxTokens: 512, seed: 0 },
    protocol: 'paper',
    judge: null,
    shard: null,
    timing: {
      startedAt, finishedAt: new Date(Date.parse(startedAt) + 60_000).toISOString(), wallSeconds: 60,
      itemsPerSecond: n / 60, latencyMs: { p50: 100, p95: 200 }, tokens: { prompt: 10 * n, completion: 2 * n },
    },
    benchmarks: (o.benchmarks ?? ['vqa-rad', 'slake']).map((id) =>
      makeBenchmark(id, n, (i) => correct(i, id), o.fingerprint ?? fingerprintOf(id))),
  };
}

export function fingerprintOf(id: string): string {
  return Array.from({ length: 8 }, (_, k) => (hash(`${id}:${k}`) >>> 0).toString(16).padStart(8, '0')).join('');
}

function makeBenchmark(id: BenchmarkResult['id'], n: number, correct: (i: number) => boolean, fingerprint: string): BenchmarkResult {
  const bits = Array.from({ length: n }, (_, i) => correct(i));
  const reasoning = Array.from({ length: n }, (_, i) => i % 3 === 0);
  const accuracy = (sel: boolean[]) => {
    const k = bits.filter((b, i) => b && sel[i]).length;
    const m = sel.filter(Boolean).length;
    return { name: 'accuracy', value: m ? k / m : 0, n: m, ci95: m ? wilson(k, m) : null, higherIsBetter: true };
  };
  const all = bits.map(() => true);
  const group = (value: string, sel: boolean[]) => ({
    key: 'questionType', value, n: sel.filter(Boolean).length, metrics: [accuracy(sel)], members: packBits(sel),
  });
  const none = packBits(bits.map(() => false));
  return {
    id, version: 1, fingerprint, protocol: 'paper', promptVersion: 1, extraction: 'medvlm-chain/1', language: null,
    counts: { items: n, scored: n, excluded: 0, unparsed: 0, errors: 0, truncated: 0, excludedReasons: {} },
    chanceAccuracy: 0.5,
    metrics: [accuracy(all)],
    groups: [group('reasoning', reasoning), group('understanding', reasoning.map((r) => !r))],
    outcomes: { n, present: packBits(all), correct: packBits(bits), unparsed: none, error: none, truncated: none, graded: {} },
  };
}

/** Splits a whole run into `count` shards holding items i with i % count === index (metrics left as uploaded). */
export function splitIntoShards(run: RunResult, count: number, runKey = 'shard-run-1'): RunResult[] {
  return Array.from({ length: count }, (_, index) => ({
    ...run,
    shard: { runKey, shardIndex: index, shardCount: count },
    benchmarks: run.benchmarks.map((b) => {
      const n = b.outcomes.n;
      const keep = (bits: Uint8Array) => packBits(Array.from(bits, (v, i) => v === 1 && i % count === index));
      return {
        ...b,
        outcomes: {
          ...b.outcomes,
          present: keep(unpack(b.outcomes.present, n)), correct: keep(unpack(b.outcomes.correct, n)),
          unparsed: keep(unpack(b.outcomes.unparsed, n)), error: keep(unpack(b.outcomes.error, n)),
          truncated: keep(unpack(b.outcomes.truncated, n)),
        },
      };
    }),
  }));
}

function unpack(b64: string, n: number): Uint8Array {
  const s = atob(b64);
  return Uint8Array.from({ length: n }, (_, i) => (s.charCodeAt(i >> 3) >> (i & 7)) & 1);
}

/** FNV-1a, 32-bit: deterministic pseudo-random outcomes without a dependency. */
export function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
