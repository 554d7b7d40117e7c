/**
 * The last shard's merge without holding every shard at once: stored shard bodies are read a page of blob parts at
 * a time (db.readShardBlobPage) and each body is folded into one accumulator as soon as it is complete, then
 * dropped. Memory: the accumulator (one run's unpacked outcomes) + one page; D1 queries: ceil(parts / page) —
 * 256 one-part shards take 16 reads where reading each body took 256. The result equals schemas/shard-merge.ts
 * mergeRunResults over all shards (tests/worker/merge-limits.test.ts checks that against it).
 */
import type { BenchmarkResult, RunResult, Timing } from '../../schemas/results.js';
import { openMask, unpackOutcomes, type Graded, type OutcomeBits } from '../../schemas/outcomes.js';
import { mergeTiming, recomputeBenchmark } from '../../schemas/shard-merge.js';
import { readShardBlobPage, SHARD_PAGE_PARTS } from './db.js';
import { ApiError } from './errors.js';
import { mismatch, shardDifference } from './merge.js';

interface Acc { bits: OutcomeBits; owner: Int32Array }

/** Folds shards one by one; `result()` gives the merged run (shard: null) once every shard was added. */
export class ShardFold {
  private template: RunResult | null = null;
  private readonly acc = new Map<string, Acc>();
  private readonly timings: Timing[] = [];

  add(shard: RunResult): void {
    const index = shard.shard?.shardIndex ?? 0;
    const t = this.template;
    if (t) {
      const d = shardDifference(t, shard);
      if (d) throw mismatch(index, t.shard?.shardIndex ?? 0, d);
    }
    // the lowest shard index gives every field that is not recomputed, as in mergeRunResults
    if (!t || index < (t.shard?.shardIndex ?? 0)) this.template = { ...shard, benchmarks: shard.benchmarks.map(stripOutcomes) };
    this.timings.push(shard.timing);
    for (const b of shard.benchmarks) this.fold(b, index);
  }

  result(): RunResult {
    const t = this.template;
    if (!t) throw new Error('no shard folded');
    return {
      ...t, shard: null, timing: mergeTiming(this.timings),
      benchmarks: t.benchmarks.map((b) => {
        const a = this.acc.get(b.id)!;
        a.bits.open = openMask(a.bits.graded, a.bits.n);
        return recomputeBenchmark(b, a.bits);
      }),
    };
  }

  private fold(b: BenchmarkResult, index: number): void {
    const n = b.outcomes.n;
    const a = this.acc.get(b.id) ?? this.start(b.id, n);
    const s = unpackOutcomes(b.outcomes);
    const names = Object.keys(s.graded);
    for (const k of names) a.bits.graded[k] ??= new Array<number | null>(n).fill(null);
    for (let i = 0; i < n; i++) {
      if (!s.present[i]) continue;
      if (a.owner[i]! >= 0) {
        throw new ApiError(409, 'shard_overlap', `shards ${Math.min(a.owner[i]!, index)} and ${Math.max(a.owner[i]!, index)} both hold item ${i} of ${b.id}`,
          { benchmark: b.id, item: i });
      }
      a.owner[i] = index;
      a.bits.present[i] = 1; a.bits.correct[i] = s.correct[i]!; a.bits.unparsed[i] = s.unparsed[i]!;
      a.bits.error[i] = s.error[i]!; a.bits.truncated[i] = s.truncated[i]!;
      for (const k of names) a.bits.graded[k]![i] = s.graded[k]![i] ?? null;
    }
  }

  private start(id: string, n: number): Acc {
    const graded: Graded = {};
    const acc: Acc = {
      bits: { n, present: new Uint8Array(n), correct: new Uint8Array(n), unparsed: new Uint8Array(n),
        error: new Uint8Array(n), truncated: new Uint8Array(n), open: new Uint8Array(n), graded },
      owner: new Int32Array(n).fill(-1),
    };
    this.acc.set(id, acc);
    return acc;
  }
}

function stripOutcomes(b: BenchmarkResult): BenchmarkResult {
  return { ...b, outcomes: { ...b.outcomes, present: '', correct: '', unparsed: '', error: '', truncated: '', graded: {} } };
}

/**
 * Reads the stored shards of a run page by page and folds them. null when not all `shardCount` bodies are there
 * (a concurrent merge finished first and dropped them).
 */
export async function mergeStoredShards(db: D1Database, runId: string, shardCount: number, pageParts = SHARD_PAGE_PARTS): Promise<RunResult | null> {
  const fold = new ShardFold();
  let folded = 0;
  let cursor: { key: string; part: number } | null = null;
  let pending: { key: string; parts: string[] } | null = null;
  const flush = () => {
    if (!pending) return;
    fold.add(JSON.parse(pending.parts.join('')) as RunResult);
    folded++;
    pending = null;
  };
  for (;;) {
    const rows = await readShardBlobPage(db, runId, cursor, pageParts);
    for (const r of rows) {
      if (pending && pending.key !== r.key) flush();
      pending ??= { key: r.key, parts: [] };
      pending.parts.push(r.data);
    }
    const last = rows.at(-1);
    if (!last || rows.length < pageParts) break;
    cursor = { key: last.key, part: last.part };
  }
  flush();
  return folded === shardCount ? fold.result() : null;
}
