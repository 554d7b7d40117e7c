/**
 * Deterministic sharding: an item belongs to shard `hash(benchmark, id) mod N`, stable across runs, machines and
 * item order. The CLI takes `I/N` 1-based (what humans and CI matrices count); results store it 0-based.
 */
import { createHash } from 'node:crypto';
import { UserError } from '../core/errors.js';

export interface ShardSpec {
  /** 0-based */
  index: number;
  count: number;
}

export function parseShard(text: string): ShardSpec {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const i = m ? Number(m[1]) : NaN;
  const n = m ? Number(m[2]) : NaN;
  if (!m || n < 1 || n > 1024 || i < 1 || i > n) {
    throw new UserError(`--shard '${text}' must be I/N with 1 ≤ I ≤ N ≤ 1024 (e.g. --shard 2/4)`, 2);
  }
  return { index: i - 1, count: n };
}

export function shardOf(benchmark: string, itemId: string, count: number): number {
  if (count === 1) return 0;
  const h = createHash('sha256').update(`${benchmark}\u0000${itemId}`).digest();
  return h.readUInt32BE(0) % count;
}

export function inShard(benchmark: string, itemId: string, shard: ShardSpec | null): boolean {
  return shard === null || shardOf(benchmark, itemId, shard.count) === shard.index;
}
