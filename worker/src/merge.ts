/**
 * Shards → one run. Shards must agree on everything but which items they hold; the merged outcomes are the OR of
 * the shards' bitsets (shards may not overlap) and every metric is recomputed from them, never averaged.
 */
import { packBits, unpackBits } from '../../schemas/bitset.js';
import type { BenchmarkResult, RunResult, Timing } from '../../schemas/results.js';
import { ApiError } from './errors.js';
import { computeMetrics, openMask, unpackOutcomes, type UnpackedOutcomes } from './metrics.js';

/** The fields every shard of a run must share; anything else (outcomes, metrics, timing) may differ. */
function shardSettings(r: RunResult) {
  return {
    schemaVersion: r.schemaVersion, suiteVersion: r.suiteVersion, tool: r.tool,
    identity: { ...r.identity, runId: null }, model: r.model, decoding: r.decoding, protocol: r.protocol,
    judge: r.judge, runKey: r.shard?.runKey ?? null, shardCount: r.shard?.shardCount ?? null,
    benchmarks: Object.fromEntries(r.benchmarks.map((b) => [b.id, {
      version: b.version, fingerprint: b.fingerprint, protocol: b.protocol, promptVersion: b.promptVersion,
      extraction: b.extraction, language: b.language, items: b.counts.items, scored: b.counts.scored,
      excluded: b.counts.excluded, n: b.outcomes.n, chanceAccuracy: b.chanceAccuracy,
      metrics: b.metrics.map((m) => m.name), graded: Object.keys(b.outcomes.graded).sort(),
      groups: Object.fromEntries(b.groups.map((g) => [`${g.key}=${g.value}`, g.members])),
    }])),
  };
}

/** null when two shards may belong to one run; else "<path>: <a> vs <b>" naming the first difference. */
export function shardDifference(a: RunResult, b: RunResult): string | null {
  return firstDifference(shardSettings(a), shardSettings(b), '');
}

function firstDifference(a: unknown, b: unknown, path: string): string | null {
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const k of keys) {
      const sub = Array.isArray(a) ? `${path}[${k}]` : path ? `${path}.${k}` : k;
      const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], sub);
      if (d) return d;
    }
    return null;
  }
  return a === b ? null : `${path}: ${show(a)} vs ${show(b)}`;
}

function show(v: unknown): string {
  const s = v === undefined ? 'absent' : JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

export function mergeShards(shards: readonly RunResult[]): RunResult {
  const sorted = [...shards].sort((x, y) => x.shard!.shardIndex - y.shard!.shardIndex);
  const first = sorted[0]!;
  for (const s of sorted.slice(1)) {
    const d = shardDifference(first, s);
    if (d) throw mismatch(s.shard!.shardIndex, first.shard!.shardIndex, d);
  }
  return {
    ...first,
    shard: null,
    timing: mergeTiming(sorted.map((s) => s.timing)),
    benchmarks: first.benchmarks.map((b) =>
      mergeBenchmark(sorted.map((s) => s.benchmarks.find((x) => x.id === b.id)!), sorted.map((s) => s.shard!.shardIndex))),
  };
}

export function mismatch(index: number, other: number, difference: string): ApiError {
  return new ApiError(409, 'shard_mismatch', `shard ${index} disagrees with shard ${other} at ${difference}`,
    { shardIndex: index, otherShardIndex: other, difference });
}

function mergeBenchmark(parts: BenchmarkResult[], indexes: number[]): BenchmarkResult {
  const first = parts[0]!;
  const n = first.outcomes.n;
  const u: UnpackedOutcomes = unpackOutcomes({ ...first.outcomes, graded: {} });
  u.present.fill(0); u.correct.fill(0); u.unparsed.fill(0); u.error.fill(0); u.truncated.fill(0);
  const graded: Record<string, (number | null)[]> = Object.fromEntries(
    Object.keys(first.outcomes.graded).map((k) => [k, new Array<number | null>(n).fill(null)]));
  const owner = new Int32Array(n).fill(-1);
  parts.forEach((p, si) => {
    const s = unpackOutcomes(p.outcomes);
    for (let i = 0; i < n; i++) {
      if (!s.present[i]) continue;
      if (owner[i]! >= 0) {
        throw new ApiError(409, 'shard_overlap',
          `shards ${indexes[owner[i]!]} and ${indexes[si]} both hold item ${i} of ${first.id}`, { benchmark: first.id, item: i });
      }
      owner[i] = si;
      u.present[i] = 1; u.correct[i] = s.correct[i]!; u.unparsed[i] = s.unparsed[i]!;
      u.error[i] = s.error[i]!; u.truncated[i] = s.truncated[i]!;
      for (const k of Object.keys(graded)) graded[k]![i] = s.graded[k]?.[i] ?? null;
    }
  });
  const merged = { ...u, graded, open: openMask(graded, n) };
  const count = (bits: Uint8Array) => bits.reduce((a, b) => a + b, 0);
  return {
    ...first,
    counts: { ...first.counts, unparsed: count(u.unparsed), errors: count(u.error), truncated: count(u.truncated) },
    metrics: computeMetrics(first.metrics, merged),
    groups: first.groups.map((g) => ({ ...g, metrics: computeMetrics(g.metrics, merged, unpackBits(g.members, n)) })),
    outcomes: {
      n, present: packBits(u.present), correct: packBits(u.correct), unparsed: packBits(u.unparsed),
      error: packBits(u.error), truncated: packBits(u.truncated), graded,
    },
  };
}

function mergeTiming(ts: Timing[]): Timing {
  const startedAt = ts.map((t) => t.startedAt).sort()[0]!;
  const finishedAt = ts.map((t) => t.finishedAt).sort().at(-1)!;
  const wallSeconds = Math.max(0, (Date.parse(finishedAt) - Date.parse(startedAt)) / 1000);
  const items = ts.reduce((a, t) => a + t.itemsPerSecond * t.wallSeconds, 0);
  return {
    startedAt, finishedAt, wallSeconds,
    itemsPerSecond: wallSeconds > 0 ? items / wallSeconds : 0,
    // percentiles cannot be merged exactly without the raw latencies; the slowest shard's is an upper bound
    latencyMs: { p50: Math.max(...ts.map((t) => t.latencyMs.p50)), p95: Math.max(...ts.map((t) => t.latencyMs.p95)) },
    tokens: {
      prompt: ts.reduce((a, t) => a + t.tokens.prompt, 0), completion: ts.reduce((a, t) => a + t.tokens.completion, 0),
    },
  };
}
