/**
 * A tiny per-isolate read-through cache for hot, small reads (latest run for badges and /latest). Local D1 and
 * production D1 both cost a round trip per query, which dominates a badge request; a few seconds of staleness
 * across isolates is acceptable for these reads, and writes in this isolate drop everything at once.
 */
import { clearRunCache } from './run-cache.js';

const MAX_ENTRIES = 2_000;
export const READ_TTL_MS = 5_000;

const entries = new Map<string, { expires: number; value: Promise<unknown> }>();

export async function memoRead<T>(key: string, load: () => Promise<T>, ttlMs = READ_TTL_MS): Promise<T> {
  const now = Date.now();
  const hit = entries.get(key);
  if (hit && hit.expires > now) return hit.value as Promise<T>;
  if (entries.size >= MAX_ENTRIES) entries.clear();
  const value = load();
  entries.set(key, { expires: now + ttlMs, value });
  // a failed load must not be served from the cache
  value.catch(() => entries.delete(key));
  return value;
}

/** Called after every successful write in this isolate. */
export function invalidateReads(): void {
  entries.clear();
  clearRunCache(); // parsed bodies and comparisons: a run deleted or started over in this isolate is not served
}
