/**
 * Per-run cache of what the runner derives from an image: its SHA-256 (for the resume cache key) and its base64
 * text (for the request body). Benchmark items share images (VQA-RAD: 451 items over 315 images), retried and
 * resumed items need the hash again, and a 100,000-item manifest may reuse a few thousand files; reading, hashing
 * and encoding each once is most of the runner's per-item CPU.
 *
 * Bounded by bytes (least recently used evicted first). A file-backed image is keyed by its path and revalidated
 * by size + mtime on every lookup (one stat), so an image edited during a run is read again; any other image
 * (zip member, parquet cell) is keyed by its ImageRef object, which names fixed bytes for the whole run.
 * Read on the main thread, the base64 text is made only when a request is built (resumed items need just the
 * hash); a worker thread (image-workers.ts) returns it with the hash.
 */
import { sha256Hex } from './client.js';
import { readFileSync, statSync } from 'node:fs';
import { sniffMime } from '../data/images.js';
import { imageWorkers } from './image-workers.js';
import type { ImageRef } from '../benchmarks/types.js';

export const DEFAULT_IMAGE_CACHE_BYTES = 256 * 1024 * 1024;

export interface CachedImage {
  mime: string;
  sha256: string;
  /** the base64 text as ASCII bytes, copied straight into request bodies */
  base64(): Buffer;
}

interface Entry {
  key: string;
  mime: string;
  sha256: string;
  /** raw bytes until the base64 is first asked for, then null */
  raw: Uint8Array | null;
  b64: Buffer | null;
  /** file size + mtime seen before the read (null for non-file images) */
  stamp: string | null;
  cost: number;
}

export class ImageCache {
  private readonly entries = new Map<string, Entry>();
  private readonly refIds = new WeakMap<ImageRef, number>();
  /** reads in progress, so items sharing an image that start together read it once */
  private readonly reading = new Map<string, Promise<Entry>>();
  private nextRefId = 0;
  private used = 0;
  /** lookups answered without reading the image (for tests and benchmarks) */
  hits = 0;
  misses = 0;

  constructor(readonly maxBytes = DEFAULT_IMAGE_CACHE_BYTES) {}

  get bytes(): number {
    return this.used;
  }

  get size(): number {
    return this.entries.size;
  }

  /** forgets every image (benchmarks use it to start each pass as cold as a new run) */
  clear(): void {
    this.entries.clear();
    this.used = 0;
  }

  async get(ref: ImageRef): Promise<CachedImage> {
    const { key, stamp } = this.identify(ref);
    const hit = this.entries.get(key);
    if (hit && hit.stamp === stamp) {
      this.hits++;
      this.entries.delete(key); // re-insert: Map order is the LRU order
      this.entries.set(key, hit);
      return this.view(hit);
    }
    if (hit) this.remove(hit);
    const id = `${key}|${stamp}`;
    let pending = this.reading.get(id);
    if (!pending) {
      this.misses++;
      pending = this.load(ref, key, stamp).finally(() => this.reading.delete(id));
      this.reading.set(id, pending);
    } else this.hits++;
    return this.view(await pending);
  }

  private async load(ref: ImageRef, key: string, stamp: string | null): Promise<Entry> {
    // a plain file goes to a worker thread when there is one (image-workers.ts), else is read here
    const workers = typeof ref.filePath === 'string' ? imageWorkers() : null;
    const done = workers && (await workers.prepare(ref.filePath!));
    if (done) {
      const entry: Entry = { key, mime: sniffMime(done.head) ?? ref.mime, sha256: done.sha256, raw: null, b64: done.base64, stamp, cost: done.base64.byteLength };
      this.insert(entry);
      return entry;
    }
    const [raw, mime] = readPlainFile(ref) ?? [await ref.read(), ref.mime];
    const entry: Entry = { key, mime, sha256: sha256Hex(raw), raw, b64: null, stamp, cost: raw.byteLength };
    // A file that changed while it was read has a stale stamp: the next lookup sees a different stat and reads again.
    this.insert(entry);
    return entry;
  }

  private identify(ref: ImageRef): { key: string; stamp: string | null } {
    if (typeof ref.filePath === 'string') {
      const st = statSync(ref.filePath, { throwIfNoEntry: false });
      // a missing file gets a stamp that never matches, so ref.read() reports it with its own message
      return { key: `f:${ref.filePath}`, stamp: st ? `${st.size}:${st.mtimeMs}:${st.ino}` : `missing:${this.nextRefId++}` };
    }
    let id = this.refIds.get(ref);
    if (id === undefined) this.refIds.set(ref, (id = this.nextRefId++));
    return { key: `r:${id}`, stamp: null };
  }

  private view(e: Entry): CachedImage {
    return {
      mime: e.mime,
      sha256: e.sha256,
      base64: () => {
        if (e.b64) return e.b64;
        const raw = e.raw!;
        const b64 = Buffer.from(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64'), 'latin1');
        e.raw = null;
        e.b64 = b64;
        if (this.entries.get(e.key) === e) {
          this.used += b64.byteLength - e.cost;
          e.cost = b64.byteLength;
          this.evict();
        }
        return b64;
      },
    };
  }

  private insert(e: Entry): void {
    if (e.cost > this.maxBytes) return; // larger than the whole budget: used once, never kept
    this.entries.set(e.key, e);
    this.used += e.cost;
    this.evict();
  }

  private remove(e: Entry): void {
    this.entries.delete(e.key);
    this.used -= e.cost;
  }

  private evict(): void {
    for (const oldest of this.entries.values()) {
      if (this.used <= this.maxBytes) return;
      this.remove(oldest);
    }
  }
}

/**
 * A plain file read synchronously: one call, where fs/promises.readFile takes four thread-pool round trips
 * (open, fstat, read, close) and was ~15% of the runner's CPU per item; an image is tens of kilobytes from the page
 * cache. Any failure falls back to ref.read(), which gives its own error message. MIME sniffed as ref.read() does.
 */
function readPlainFile(ref: ImageRef): [Uint8Array, string] | null {
  if (typeof ref.filePath !== 'string') return null;
  try {
    const bytes = readFileSync(ref.filePath);
    return [bytes, sniffMime(bytes) ?? ref.mime];
  } catch {
    return null;
  }
}
