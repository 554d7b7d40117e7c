/**
 * Shards → one run. Shards must agree on everything but which items they hold (checked here, named in a 409); the
 * merge itself is the results algebra's (schemas/shard-merge.ts), the same the CLI's `merge` uses.
 */
import type { RunResult } from '../../schemas/results.js';
import { mergeRunResults, ShardOverlap } from '../../schemas/shard-merge.js';
import { ApiError } from './errors.js';

/** The fields every shard of a run must share; anything else (outcomes, metrics, timing) may differ. */
export function shardSettings(r: RunResult) {
  return {
    schemaVersion: r.schemaVersion, suiteVersion: r.suiteVersion, tool: r.tool,
    identity: { ...r.identity, runId: null }, model: r.model, decoding: r.decoding, protocol: r.protocol,
    judge: r.judge, runKey: r.shard?.runKey ?? null, shardCount: r.shard?.shardCount ?? null,
    benchmarks: Object.fromEntries(r.benchmarks.map((b) => [b.id, {
      version: b.version, fingerprint: b.fingerprint, protocol: b.protocol, promptVersion: b.promptVersion,
      extraction: b.extraction, language: b.language, items: b.counts.items, scored: b.counts.scored,
      excluded: b.counts.excluded, n: b.outcomes.n, chanceAccuracy: b.chanceAccuracy,
      // metric names and graded arrays may differ (a shard holding no open item has no open metrics): derived anew
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
  try {
    return mergeRunResults(sorted);
  } catch (e) {
    if (!(e instanceof ShardOverlap)) throw e;
    throw new ApiError(409, 'shard_overlap', e.message, { benchmark: e.benchmark, item: e.item });
  }
}

export function mismatch(index: number, other: number, difference: string): ApiError {
  return new ApiError(409, 'shard_mismatch', `shard ${index} disagrees with shard ${other} at ${difference}`,
    { shardIndex: index, otherShardIndex: other, difference });
}
