/**
 * The merge of shard results into one run result, used by `medvlm-bench merge` (action/src/runner/merge.ts) and the
 * worker (worker/src/merge.ts), so both give the same result for the same shards. The callers check first that the
 * shards belong to one run (each with its own wording); this module only computes. The rule, stated once in
 * docs/results-schema.md ("Derived figures"):
 *   - outcomes: the union of the shards' items (uniteOutcomes; two shards holding one item is an error);
 *   - counts.unparsed/errors/truncated, every metric and every group's n and metrics: recomputed from the united
 *     outcomes (recomputeBenchmark), never averaged; everything else per benchmark is shared by all shards;
 *   - timing (mergeTiming): first start to last finish; items/s = items answered by all shards ÷ that span;
 *     latency p50 and p95 = the largest shard value, an upper bound of the merged percentile (the raw latencies
 *     are not in the results); tokens summed.
 * Pure; imports only schemas.
 */
import { unpackBits } from './bitset.js';
import { metricsFromOutcomes } from './outcome-metrics.js';
import { countOutcomes, OutcomeOverlap, packOutcomes, uniteOutcomes, type OutcomeBits } from './outcomes.js';
import type { BenchmarkResult, RunResult, Timing } from './results.js';

/** Two shards hold the same item of a benchmark. */
export class ShardOverlap extends Error {
  constructor(readonly benchmark: string, readonly item: number, readonly shards: [number, number]) {
    super(`shards ${shards[0]} and ${shards[1]} both hold item ${item} of ${benchmark}`);
    this.name = 'ShardOverlap';
  }
}

/** `b` with every figure that follows from the outcomes replaced by its value computed from `u`. */
export function recomputeBenchmark(b: BenchmarkResult, u: OutcomeBits): BenchmarkResult {
  return {
    ...b,
    counts: { ...b.counts, ...countOutcomes(u) },
    metrics: metricsFromOutcomes(u),
    groups: b.groups.map((g) => {
      const members = unpackBits(g.members, u.n);
      return { ...g, n: members.reduce((a, v) => a + v, 0), metrics: metricsFromOutcomes(u, members) };
    }),
    outcomes: packOutcomes(u),
  };
}

/** Shards of one run (any order) → the run, `shard: null`. Throws ShardOverlap naming 0-based shard indexes. */
export function mergeRunResults(shards: readonly RunResult[]): RunResult {
  const sorted = [...shards].sort((x, y) => (x.shard?.shardIndex ?? 0) - (y.shard?.shardIndex ?? 0));
  const first = sorted[0]!;
  const index = (k: number) => sorted[k]!.shard?.shardIndex ?? k;
  return {
    ...first,
    shard: null,
    timing: mergeTiming(sorted.map((s) => s.timing)),
    benchmarks: first.benchmarks.map((b, k) => {
      const parts = sorted.map((s) => s.benchmarks.find((x) => x.id === b.id) ?? s.benchmarks[k]!);
      try {
        return recomputeBenchmark(b, uniteOutcomes(parts.map((p) => p.outcomes)));
      } catch (e) {
        if (e instanceof OutcomeOverlap) throw new ShardOverlap(b.id, e.item, [index(e.first), index(e.second)]);
        throw e;
      }
    }),
  };
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

export function mergeTiming(ts: readonly Timing[]): Timing {
  const start = Math.min(...ts.map((t) => Date.parse(t.startedAt)));
  const end = Math.max(...ts.map((t) => Date.parse(t.finishedAt)));
  const wall = Math.max(0, (end - start) / 1000);
  // a shard's items/s is its answered items ÷ its wall time, so the product gives back its answered items
  const answered = ts.reduce((a, t) => a + t.itemsPerSecond * t.wallSeconds, 0);
  return {
    startedAt: new Date(start).toISOString(),
    finishedAt: new Date(end).toISOString(),
    wallSeconds: round3(wall),
    itemsPerSecond: wall > 0 ? round3(answered / wall) : 0,
    latencyMs: { p50: Math.max(...ts.map((t) => t.latencyMs.p50)), p95: Math.max(...ts.map((t) => t.latencyMs.p95)) },
    tokens: {
      prompt: ts.reduce((a, t) => a + t.tokens.prompt, 0), completion: ts.reduce((a, t) => a + t.tokens.completion, 0),
    },
  };
}
