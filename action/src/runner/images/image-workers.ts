/**
 * Image preparation off the main thread: a worker reads a file, hashes it and base64-encodes it, and hands the
 * base64 bytes back without a copy (the buffer is transferred). Off by default since the fingerprint's image hashes
 * are reused (data/image-digests.ts): what is left per new image (read + base64, ≈40 µs) costs less than the
 * messages and thread wake-ups — paired runs on the 2-core benchmark machine, 4 of 4 faster without workers
 * (bench/README.md ## Runner). MEDVLM_IMAGE_WORKERS=N (at most 8) turns N workers on for a machine whose main
 * thread is the limit. Shared by the whole process; they keep it alive only while busy.
 */
import { Worker } from 'node:worker_threads';

export interface PreparedFile {
  /** null when the caller knew it already (prepare with hash = false) */
  sha256: string | null;
  /** the first bytes, for MIME sniffing */
  head: Uint8Array;
  /** base64 text as ASCII bytes */
  base64: Buffer;
}

// Plain CommonJS evaluated in the worker: runs the same from the TypeScript sources (tsx) and the bundled action.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const { createHash } = require('node:crypto');
parentPort.on('message', ({ id, path, hash }) => {
  try {
    const raw = readFileSync(path);
    const text = raw.toString('base64');
    const base64 = Buffer.allocUnsafeSlow(text.length); // its own ArrayBuffer: transferring it detaches nothing else
    base64.write(text, 0, 'latin1');
    const sha256 = hash ? createHash('sha256').update(raw).digest('hex') : null;
    parentPort.postMessage({ id, sha256, head: new Uint8Array(raw.subarray(0, 16)), base64 }, [base64.buffer]);
  } catch (e) {
    parentPort.postMessage({ id, error: String((e && e.message) || e) });
  }
});
`;

type Reply = { id: number; error?: string; sha256?: string | null; head?: Uint8Array; base64?: Uint8Array };

export class ImageWorkers {
  private readonly pending = new Map<number, (r: Reply) => void>();
  private seq = 0;
  private turn = 0;
  private broken = false;

  constructor(private readonly workers: Worker[]) {
    for (const w of workers) {
      w.unref();
      w.on('message', (r: Reply) => this.settle(r));
      w.on('error', () => this.fail());
      w.on('exit', () => this.fail());
    }
  }

  /** null when the file could not be read here (or the workers are gone): the caller reads it itself */
  prepare(path: string, hash = true): Promise<PreparedFile | null> {
    if (this.broken) return Promise.resolve(null);
    const id = this.seq++;
    const worker = this.workers[this.turn++ % this.workers.length]!;
    if (this.pending.size === 0) for (const w of this.workers) w.ref();
    return new Promise((resolve) => {
      this.pending.set(id, (r) => resolve(r.error === undefined && r.base64 ? {
        sha256: r.sha256 ?? null, head: r.head!, base64: Buffer.from(r.base64.buffer, r.base64.byteOffset, r.base64.byteLength),
      } : null));
      worker.postMessage({ id, path, hash });
    });
  }

  private settle(r: Reply): void {
    const done = this.pending.get(r.id);
    this.pending.delete(r.id);
    if (this.pending.size === 0) for (const w of this.workers) w.unref();
    done?.(r);
  }

  /** a worker died: every waiting caller falls back to reading on the main thread, and so do later ones */
  private fail(): void {
    this.broken = true;
    for (const [id, done] of this.pending) done({ id, error: 'image worker stopped' });
    this.pending.clear();
  }
}

let shared: ImageWorkers | null | undefined;

/** The process's image workers, or null when off (the default; MEDVLM_IMAGE_WORKERS=N turns N on). */
export function imageWorkers(): ImageWorkers | null {
  if (shared !== undefined) return shared;
  const wanted = process.env.MEDVLM_IMAGE_WORKERS;
  const n = wanted !== undefined && /^\d+$/.test(wanted) ? Math.min(Number(wanted), 8) : 0;
  shared = n > 0 ? startImageWorkers(n) : null;
  return shared;
}

export function startImageWorkers(n: number): ImageWorkers {
  return new ImageWorkers(Array.from({ length: n }, () => new Worker(WORKER_SOURCE, { eval: true })));
}
