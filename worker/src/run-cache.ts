/**
 * Per-isolate cache for the compare route. A complete run never changes (runs are immutable; a sharded run is
 * stored once, when it completes), so its parsed body can be kept; so can a comparison, which is a pure function
 * of two complete runs and the options. Bounded by bytes (the body's characters × 2) and entry count, least
 * recently used out first; entries expire after CACHE_TTL_MS so a run deleted by retention stops being served
 * from another isolate's memory within that time.
 */
const MAX_BYTES = 24 * 1024 * 1024;
const MAX_ENTRIES = 512;
export const CACHE_TTL_MS = 5 * 60_000;

interface Entry { value: unknown; bytes: number; expires: number }

const entries = new Map<string, Entry>();
let bytes = 0;

export function cacheGet<T>(key: string, now = Date.now()): T | undefined {
  const e = entries.get(key);
  if (!e) return undefined;
  entries.delete(key);
  if (e.expires <= now) {
    bytes -= e.bytes;
    return undefined;
  }
  entries.set(key, e); // most recently used last
  return e.value as T;
}

export function cachePut(key: string, value: unknown, size: number, now = Date.now()): void {
  if (size > MAX_BYTES / 4) return; // one huge body must not flush everything else
  const old = entries.get(key);
  if (old) { entries.delete(key); bytes -= old.bytes; }
  entries.set(key, { value, bytes: size, expires: now + CACHE_TTL_MS });
  bytes += size;
  for (const [k, e] of entries) {
    if (bytes <= MAX_BYTES && entries.size <= MAX_ENTRIES) break;
    entries.delete(k);
    bytes -= e.bytes;
  }
}

export function clearRunCache(): void {
  entries.clear();
  bytes = 0;
}
