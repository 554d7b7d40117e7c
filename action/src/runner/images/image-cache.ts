/**
 * Per-run cache of what the runner derives from an image: its SHA-256 (for the resume cache key) and its base64
 * text (for the request body). Benchmark items share images (VQA-RAD: 451 items over 315 images), retried and
 * resumed items need the hash again, and a 100,000-item manifest may reuse a few thousand files; reading, hashing
 * and encoding each once is most of the runner's per-item CPU.
 *
 * Bounded by bytes (least recently used evicted first). A file-backed image is keyed by its path and revalidated
 * by size + mtime + inode (one stat) when it was last checked more than `revalidateMs` ago (default 1 s: a stat per
 * lookup was ~3% of the runner's CPU per item), so an image edited during a run is read again within a second; any
 * other image (zip member, parquet cell) is keyed by its ImageRef object, which names fixed bytes for the whole run.
 * A file the fingerprint already hashed (data/image-digests.ts) is not hashed again. Read on the main thread, the
 * base64 text is made only when a request is built (resumed items need just the hash); a worker thread
 * (image-workers.ts) returns it with the hash.
 */
import { sha256Hex } from '../http/client.js';
import { readFileSync } from 'node:fs';
import { fileStamp, knownDigest, rememberDigest } from '../../core/data/image-digests.js';
import { sniffMime } from '../../core/data/images.js';
import { imageWorkers } from './image-workers.js';
import { ALL_FORMATS, ImageConverter } from './formats.js';
import type { ImageRef } from '../../core/data/images.js';

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
  /** file size + mtime + inode seen before the read (null for non-file images) */
  stamp: string | null;
  /** performance.now() of the last stat that confirmed the stamp */
  checkedAt: number;
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

  /** `converter` decides what the target server can take (formats.ts); by default every format, DICOM refused */
  constructor(
    readonly maxBytes = DEFAULT_IMAGE_CACHE_BYTES,
    readonly revalidateMs = 1000,
    readonly converter = new ImageConverter(ALL_FORMATS, 'the server'),
  ) {}

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
    const fp = ref.filePath; // a getter that resolves the path (data/images.ts): read once per lookup
    const file = typeof fp === 'string' ? fp : null;
    const key = file === null ? this.refKey(ref) : `f:${file}`;
    const hit = this.entries.get(key);
    const trusted = hit !== undefined && this.recent(hit);
    const stamp = trusted ? hit.stamp : this.stampOf(file);
    if (hit && hit.stamp === stamp) {
      if (!trusted) hit.checkedAt = performance.now(); // only a stat renews the window: busy images are re-checked too
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
      pending = this.load(ref, key, file, stamp).finally(() => this.reading.delete(id));
      this.reading.set(id, pending);
    } else this.hits++;
    return this.view(await pending);
  }

  private async load(ref: ImageRef, key: string, file: string | null, stamp: string | null): Promise<Entry> {
    // a plain file goes to a worker thread when they are on (image-workers.ts), else is read here
    const known = file === null ? null : knownDigest(file, stamp);
    const workers = file === null ? null : imageWorkers();
    let done = workers && (await workers.prepare(file!, known === null));
    const checkedAt = performance.now();
    const workerRaw = done && this.converter.needsBytes(sniffMime(done.head) ?? ref.mime) ? Buffer.from(done.base64.toString('latin1'), 'base64') : null;
    if (workerRaw) done = null; // to be checked or converted below, from the decoded bytes
    if (done) {
      const sha256 = known ?? done.sha256!;
      if (!known) rememberDigest(file!, stamp, sha256);
      const entry: Entry = { key, mime: sniffMime(done.head) ?? ref.mime, sha256, raw: null, b64: done.base64, stamp, checkedAt, cost: done.base64.byteLength };
      this.insert(entry);
      return entry;
    }
    const [original, sniffed] = workerRaw ? [workerRaw, sniffMime(workerRaw) ?? ref.mime] : (readPlainFile(file, ref.mime) ?? [await ref.read(), ref.mime]);
    const sha256 = known ?? sha256Hex(original);
    if (file !== null && !known) rememberDigest(file, stamp, sha256);
    // a format the server cannot take is converted (the SHA-256 stays the original's); DICOM stops the run
    const { bytes: raw, mime } = await this.converter.prepare(original, sniffed, sha256, file ?? ref.name);
    const entry: Entry = { key, mime, sha256, raw, b64: null, stamp, checkedAt, cost: raw.byteLength };
    // A file that changed while it was read has a stale stamp: the next lookup sees a different stat and reads again.
    this.insert(entry);
    return entry;
  }

  private refKey(ref: ImageRef): string {
    let id = this.refIds.get(ref);
    if (id === undefined) this.refIds.set(ref, (id = this.nextRefId++));
    return `r:${id}`;
  }

  /** a non-file image never changes; a file's stamp is trusted for revalidateMs after a stat confirmed it */
  private recent(e: Entry): boolean {
    return e.stamp === null || performance.now() - e.checkedAt < this.revalidateMs;
  }

  private stampOf(file: string | null): string | null {
    if (file === null) return null;
    // a missing file gets a stamp that never matches, so ref.read() reports it with its own message
    return fileStamp(file) ?? `missing:${this.nextRefId++}`;
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
function readPlainFile(file: string | null, fallbackMime: string): [Uint8Array, string] | null {
  if (file === null) return null;
  try {
    const bytes = readFileSync(file);
    return [bytes, sniffMime(bytes) ?? fallbackMime];
  } catch {
    return null;
  }
}
