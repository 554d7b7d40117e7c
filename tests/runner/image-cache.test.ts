import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { ImageRef } from '../../action/src/core/data/images.js';
import { fileImage } from '../../action/src/core/data/images.js';
import { fileStamp, knownDigest, rememberDigest } from '../../action/src/core/data/image-digests.js';
import { ImageCache } from '../../action/src/runner/images/image-cache.js';
import { ImageWorkers, startImageWorkers } from '../../action/src/runner/images/image-workers.js';
import { concatParts } from '../../action/src/runner/http/bytes.js';
import { buildChatBody, buildRequest, chatBody } from '../../action/src/runner/http/request-body.js';
import { requestHashOfBody } from './helpers.js';
import type { DecodingSettings } from '../../action/src/runner/http/client.js';

const dir = mkdtempSync(path.join(tmpdir(), 'medvlm-imgcache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

function pngFile(name: string, fill: number, size = 1000): { file: string; bytes: Buffer } {
  const bytes = Buffer.alloc(size, fill);
  Buffer.from(PNG).copy(bytes);
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  return { file, bytes };
}

/** counts reads, so a test can tell a cache hit from a read */
function countingRef(ref: ImageRef): ImageRef & { reads: number } {
  const r = {
    name: ref.name, mime: ref.mime, filePath: ref.filePath, reads: 0, exists: () => ref.exists(),
    read: async () => {
      r.reads++;
      const b = await ref.read();
      r.mime = ref.mime;
      return b;
    },
  };
  return r;
}

describe('image cache', () => {
  it('reads a file once for every item showing it, with its hash, sniffed MIME type and base64 text', async () => {
    const { file, bytes } = pngFile('a.jpg', 1);
    const cache = new ImageCache();
    const refs = [countingRef(fileImage(file)), countingRef(fileImage(file))];
    const got = await Promise.all([...refs, ...refs].map((r) => cache.get(r)));
    for (const g of got) {
      expect(g.sha256).toBe(sha(bytes));
      expect(g.mime).toBe('image/png'); // named .jpg, PNG bytes: the bytes win, as ref.read() decides
      expect(g.base64().toString('latin1')).toBe(bytes.toString('base64'));
    }
    expect(cache.misses).toBe(1);
    expect(cache.hits).toBe(3);
    expect(cache.size).toBe(1);
  });

  it('reads a file again when it changed on disk (size or mtime), and gives the new hash', async () => {
    const { file } = pngFile('b.png', 2);
    const cache = new ImageCache(undefined, 0); // revalidate on every lookup
    const before = await cache.get(fileImage(file));
    const { bytes: same } = pngFile('b.png', 3); // same size, new content
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    const after = await cache.get(fileImage(file));
    expect(after.sha256).toBe(sha(same));
    expect(after.sha256).not.toBe(before.sha256);
    const { bytes: longer } = pngFile('b.png', 3, 1500);
    expect((await cache.get(fileImage(file))).sha256).toBe(sha(longer));
    expect(cache.misses).toBe(3);
    expect(cache.size).toBe(1);
  });

  it('trusts a file it checked within the revalidation window, then stats it again', async () => {
    const { file, bytes } = pngFile('w.png', 4);
    const cache = new ImageCache(undefined, 150);
    expect((await cache.get(fileImage(file))).sha256).toBe(sha(bytes));
    const { bytes: edited } = pngFile('w.png', 5, 900);
    expect((await cache.get(fileImage(file))).sha256).toBe(sha(bytes)); // inside the window: no stat, cached
    await new Promise((r) => setTimeout(r, 200));
    expect((await cache.get(fileImage(file))).sha256).toBe(sha(edited));
    expect(cache.misses).toBe(2);
  });

  it('re-checks an image looked up without pause once the window since its last stat has passed', async () => {
    const { file, bytes } = pngFile('busy.png', 10);
    const cache = new ImageCache(undefined, 150);
    expect((await cache.get(fileImage(file))).sha256).toBe(sha(bytes));
    const { bytes: edited } = pngFile('busy.png', 11, 800);
    const seen: string[] = [];
    for (let t0 = Date.now(); Date.now() - t0 < 400;) {
      seen.push((await cache.get(fileImage(file))).sha256); // lookups keep coming every few ms
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(seen[0]).toBe(sha(bytes));
    expect(seen.at(-1)).toBe(sha(edited));
  });

  it('takes the hash the fingerprint remembered for an unchanged file instead of hashing it again', async () => {
    const { file, bytes } = pngFile('f.png', 6);
    rememberDigest(file, fileStamp(file), 'f'.repeat(64)); // a stand-in hash proves where the answer came from
    const cache = new ImageCache();
    const got = await cache.get(fileImage(file));
    expect(got.sha256).toBe('f'.repeat(64));
    expect(got.base64().toString('latin1')).toBe(bytes.toString('base64'));
    const { bytes: edited } = pngFile('f.png', 7, 700); // a changed stamp: the remembered hash no longer applies
    expect((await new ImageCache().get(fileImage(file))).sha256).toBe(sha(edited));
  });

  it('stays within its byte budget, evicting the least recently used images', async () => {
    const files = [0, 1, 2, 3].map((i) => pngFile(`lru${i}.png`, 10 + i).file);
    // what one image costs as first stored (its bytes, until its base64 text is asked for)
    const probe = new ImageCache();
    await probe.get(fileImage(files[0]!));
    const budget = Math.floor(probe.bytes * 3.5);
    const cache = new ImageCache(budget);
    for (const f of files.slice(0, 3)) await cache.get(fileImage(f));
    await cache.get(fileImage(files[0]!)); // 0 is now the most recent
    await cache.get(fileImage(files[3]!)); // evicts 1, the least recent
    expect(cache.bytes).toBeLessThanOrEqual(budget);
    expect(cache.size).toBe(3);
    const misses = cache.misses;
    await cache.get(fileImage(files[0]!));
    expect(cache.misses).toBe(misses);
    await cache.get(fileImage(files[1]!));
    expect(cache.misses).toBe(misses + 1);
    // base64 text is larger than the bytes: making it re-accounts and evicts to stay in budget
    for (const f of files) (await cache.get(fileImage(f))).base64();
    expect(cache.bytes).toBeLessThanOrEqual(budget);
  });

  it('never keeps an image larger than the whole budget, yet serves it', async () => {
    const cache = new ImageCache(500);
    const { file, bytes } = pngFile('big.png', 9, 2000);
    const got = await cache.get(fileImage(file));
    expect(got.base64().toString('latin1')).toBe(bytes.toString('base64'));
    expect(cache.size).toBe(0);
    expect(cache.bytes).toBe(0);
  });

  it('keys images that are not plain files by their reference, and passes read errors through', async () => {
    const cache = new ImageCache();
    const mem = (b: number[]): ImageRef => ({ name: 'm.png', mime: 'image/png', read: async () => new Uint8Array(b), exists: async () => true });
    const one = countingRef(mem([1, 2]));
    const other = countingRef(mem([3]));
    await cache.get(one);
    await cache.get(one);
    expect((await cache.get(other)).sha256).toBe(sha(new Uint8Array([3])));
    expect([one.reads, other.reads]).toEqual([1, 1]);
    await expect(cache.get(fileImage(path.join(dir, 'nope.png')))).rejects.toThrow(/nope\.png could not be read/);
  });
});

const D: DecodingSettings = { temperature: 0, topP: null, maxTokens: 64, seed: 42 };

/** The request the runner has always sent, built the obvious way. */
function reference(model: string, prompt: string, images: Array<{ mime: string; bytes: Uint8Array }>, d: DecodingSettings): string {
  const content: unknown[] = [];
  images.forEach((img, i) => {
    if (images.length > 1) content.push({ type: 'text', text: `<image ${i + 1}>` });
    content.push({ type: 'image_url', image_url: { url: `data:${img.mime};base64,${Buffer.from(img.bytes).toString('base64')}` } });
  });
  content.push({ type: 'text', text: prompt });
  const body: Record<string, unknown> = { model, messages: [{ role: 'user', content }], max_tokens: d.maxTokens, temperature: d.temperature, stream: false };
  if (d.topP !== null) body.top_p = d.topP;
  if (d.seed !== null) body.seed = d.seed;
  return JSON.stringify(body);
}

describe('request bodies', () => {
  it('are byte for byte JSON.stringify of the request object', () => {
    const image = fc.record({ mime: fc.constantFrom('image/png', 'image/jpeg', 'application/octet-stream'), bytes: fc.uint8Array({ maxLength: 40 }) });
    const decoding = fc.record({
      temperature: fc.double({ min: 0, max: 2, noNaN: true }), topP: fc.option(fc.double({ min: 0, max: 1, noNaN: true })),
      maxTokens: fc.integer({ min: 1, max: 1e6 }), seed: fc.option(fc.integer()),
    });
    fc.assert(fc.property(fc.string(), fc.string({ unit: 'binary' }), fc.array(image, { maxLength: 3 }), decoding, (model, prompt, images, d) => {
      expect(buildChatBody(model, prompt, images, d)).toBe(reference(model, prompt, images, d));
    }), { numRuns: 300 });
  });

  it('carry a request hash of their content, matching one recomputed from the bytes sent', () => {
    const img = (b: number[], mime = 'image/png') => ({ mime, sha256: sha(new Uint8Array(b)), base64: () => Buffer.from(Buffer.from(b).toString('base64'), 'latin1') });
    const cases = [
      ['m', 'q1 "é"', [img([1, 2, 3])], D], ['m', 'q2', [img([1, 2, 3])], D], ['m', 'q3', [img([1, 2, 3]), img([4])], D],
      ['m', 'q3', [img([4]), img([1, 2, 3])], D], ['m', 'q4', [], D], ['other', 'q2', [img([1, 2, 3])], D],
      ['m', 'q2', [img([1, 2, 3], 'image/jpeg')], D], ['m', 'q2', [img([1, 2, 4])], D], ['m', 'q2', [img([1, 2, 3])], { ...D, seed: 1 }],
      ['m', 'q2', [img([1, 2, 3])], { ...D, topP: 0.9 }], ['m', 'q2', [img([1, 2, 3])], { ...D, maxTokens: 9 }],
    ] as const;
    const hashes = cases.map(([model, prompt, images, d]) => {
      const b = buildRequest(model, prompt, images, d);
      const bytes = concatParts(b.chunks);
      expect(bytes.toString('utf8')).toBe(chatBody(model, prompt, images.map((im) => ({ mime: im.mime, base64: im.base64() })), d).toString('utf8'));
      expect(b.sha256).toBe(requestHashOfBody(bytes));
      return b.sha256;
    });
    expect(new Set(hashes).size).toBe(cases.length); // any change to model, prompt, images, their order or decoding
    expect(buildRequest('m', 'q2', [img([1, 2, 3])], D).sha256).toBe(hashes[1]);
    expect(buildRequest('m', 'q2', [img([1, 2, 3])], D).chunks.some((c) => typeof c !== 'string')).toBe(true); // base64 bytes are not copied into a string
  });
});

describe('image worker threads (MEDVLM_IMAGE_WORKERS=N)', () => {
  it('prepare a file exactly as the main thread does, skip the hash when asked, and report an unreadable one as null', async () => {
    const workers = startImageWorkers(1);
    const { file, bytes } = pngFile('w.jpg', 5, 3000);
    const got = (await workers.prepare(file))!;
    expect(got.sha256).toBe(sha(bytes));
    expect(got.base64.toString('latin1')).toBe(bytes.toString('base64'));
    expect([...got.head]).toEqual([...bytes.subarray(0, 16)]);
    expect((await workers.prepare(file, false))!.sha256).toBeNull();
    expect(await workers.prepare(path.join(dir, 'missing.png'))).toBeNull();
  });

  // imageWorkers() decides once per process, so each setting gets a fresh copy of the module (vi.resetModules)
  it.each([
    [undefined, false], ['', false], ['0', false], ['abc', false], ['2', true],
  ])('MEDVLM_IMAGE_WORKERS=%j → workers on: %s', async (value, on) => {
    const saved = process.env.MEDVLM_IMAGE_WORKERS;
    try {
      if (value === undefined) delete process.env.MEDVLM_IMAGE_WORKERS;
      else process.env.MEDVLM_IMAGE_WORKERS = value;
      vi.resetModules();
      const fresh = await import('../../action/src/runner/images/image-workers.js');
      const workers = fresh.imageWorkers();
      expect(workers !== null).toBe(on);
      if (!workers) return;
      const { file, bytes } = pngFile('env.png', 7);
      expect((await workers.prepare(file))!.sha256).toBe(sha(bytes));
    } finally {
      if (saved === undefined) delete process.env.MEDVLM_IMAGE_WORKERS;
      else process.env.MEDVLM_IMAGE_WORKERS = saved;
    }
  });
});

describe('image workers that die', () => {
  it('let every waiting and later caller fall back to reading on the main thread', async () => {
    const dying = new Worker("require('node:worker_threads').parentPort.on('message', () => process.exit(1))", { eval: true });
    const workers = new ImageWorkers([dying]);
    expect(await workers.prepare(pngFile('d.png', 1).file)).toBeNull();
    expect(await workers.prepare(pngFile('d.png', 1).file)).toBeNull();
  });
});
