/**
 * Small inline thumbnails for the item report: each image at most THUMB_PX on its longer side, JPEG, as a data URL,
 * deduplicated by content (VQA-RAD asks ~2 questions per image). A whole report's thumbnails stay within a byte
 * budget; items are offered in priority order (changed, then wrong, then the rest), so when the budget runs out it is
 * the correct, unchanged items that lose their pictures. Without sharp (e.g. the bundled action, which ships no native
 * modules) a small JPEG/PNG/GIF/WebP is embedded as it is and larger images are left out, with a note.
 */
import { createHash } from 'node:crypto';
import type { ImageRef } from '../../core/data/images.js';

export const THUMB_PX = 128;
/** thumbnails per item; items with more images (multi-frame benchmarks) say how many were left out */
export const THUMBS_PER_ITEM = 3;
/** total characters of thumbnail data URLs in one report */
export const THUMB_BUDGET = 16_000_000;
/** largest original image embedded as it is when sharp is unavailable */
const RAW_MAX_BYTES = 24_000;
const BROWSER_MIMES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);

type Resize = (bytes: Uint8Array) => Promise<Buffer>;

export interface ThumbnailSet {
  /** data URLs; indices are what items reference */
  urls: string[];
  /** thumbnail indices of an item's images (at most THUMBS_PER_ITEM) and how many images got none */
  forImages(images: ImageRef[]): Promise<{ t: number[]; missing: number }>;
  /**
   * Starts reading and resizing these images now (sharp works on its own threads), so that `forImages` — still called
   * one item at a time, in priority order, which decides the budget — finds them done. Call it a few items ahead.
   */
  warm(images: ImageRef[]): void;
  notes(): string[];
}

export async function createThumbnails(budget = THUMB_BUDGET, resize?: Resize | null): Promise<ThumbnailSet> {
  const resizer = resize === undefined ? await loadResizer() : resize;
  const urls: string[] = [];
  const byHash = new Map<string, number | null>();
  let used = 0;
  let overBudget = 0;
  let unreadable = 0;
  let tooLarge = 0;
  let overCap = 0;
  // outcomes are remembered by file and by content, failures included: 100,000 items over 2,000 images read and
  // resize each image once, and an image sharp cannot decode is not tried again for every item that shows it
  const byPath = new Map<string, number | null>();
  const overBudgetHashes = new Set<string>();
  const overBudgetPaths = new Set<string>();
  const one = async (ref: ImageRef): Promise<number | null> => {
    const path = ref.filePath;
    if (path !== undefined && byPath.has(path)) {
      const known = byPath.get(path)!;
      if (known === null && overBudgetPaths.has(path)) overBudget++;
      return known;
    }
    const r = await fresh(ref);
    if (path !== undefined) {
      byPath.set(path, r === 'over-budget' ? null : r);
      if (r === 'over-budget') overBudgetPaths.add(path);
    }
    return r === 'over-budget' ? null : r;
  };
  // images being read and resized ahead of their turn (warm), by file path; taken out when their turn comes
  const ahead = new Map<string, Promise<Prepared>>();
  const fresh = async (ref: ImageRef): Promise<number | null | 'over-budget'> => {
    const early = ref.filePath !== undefined ? ahead.get(ref.filePath) : undefined;
    if (early) ahead.delete(ref.filePath!);
    const p = early ? await early : await readAndHash(ref);
    if (p === 'unreadable') {
      unreadable++;
      return null;
    }
    const { hash } = p;
    if (overBudgetHashes.has(hash)) {
      overBudget++;
      return 'over-budget';
    }
    if (byHash.has(hash)) return byHash.get(hash)!;
    const url = p.url !== undefined ? p.url : await toDataUrl(p.bytes, ref.mime, resizer);
    if (url === null) {
      if (resizer) unreadable++;
      else tooLarge++;
      byHash.set(hash, null);
      return null;
    }
    if (used + url.length > budget) {
      overBudget++;
      overBudgetHashes.add(hash); // a later, smaller image may still fit; this one is not resized again
      return 'over-budget';
    }
    used += url.length;
    byHash.set(hash, urls.length);
    urls.push(url);
    return urls.length - 1;
  };
  return {
    urls,
    warm(images) {
      for (const ref of images.slice(0, THUMBS_PER_ITEM)) {
        const path = ref.filePath;
        if (path === undefined || byPath.has(path) || ahead.has(path)) continue;
        ahead.set(path, readAndHash(ref).then(async (p) => (p === 'unreadable' ? p : { ...p, url: await toDataUrl(p.bytes, ref.mime, resizer) })));
      }
    },
    async forImages(images) {
      const t: number[] = [];
      for (const ref of images.slice(0, THUMBS_PER_ITEM)) {
        const i = await one(ref);
        if (i !== null) t.push(i);
      }
      overCap += Math.max(0, images.length - THUMBS_PER_ITEM);
      return { t, missing: images.length - t.length };
    },
    notes() {
      const n: string[] = [];
      if (!resizer) n.push(`thumbnails: sharp is not available here, so only images under ${RAW_MAX_BYTES / 1000} kB are shown (${tooLarge} larger image(s) left out)`);
      if (overBudget) n.push(`thumbnails: the ${(budget / 1e6).toFixed(0)} MB thumbnail budget ran out; ${overBudget} image(s) of correct, unchanged items first are shown without a picture`);
      if (overCap) n.push(`thumbnails: at most ${THUMBS_PER_ITEM} per item; ${overCap} further image(s) of multi-image items left out`);
      if (unreadable) n.push(`thumbnails: ${unreadable} image(s) could not be read or decoded`);
      return n;
    },
  };
}

/** An image read and hashed, and its data URL when it was made ahead (warm). */
type Prepared = { bytes: Uint8Array; hash: string; url?: string | null } | 'unreadable';

async function readAndHash(ref: ImageRef): Promise<Prepared> {
  try {
    const bytes = await ref.read();
    return { bytes, hash: createHash('sha1').update(bytes).digest('hex') };
  } catch {
    return 'unreadable';
  }
}

async function toDataUrl(bytes: Uint8Array, mime: string, resize: Resize | null): Promise<string | null> {
  if (resize) {
    try {
      return `data:image/jpeg;base64,${(await resize(bytes)).toString('base64')}`;
    } catch {
      return null;
    }
  }
  if (bytes.length > RAW_MAX_BYTES || !BROWSER_MIMES.has(mime)) return null;
  return `data:${mime};base64,${Buffer.from(bytes).toString('base64')}`;
}

type SharpFactory = (input: Uint8Array) => {
  rotate(): ReturnType<SharpFactory>;
  resize(o: { width: number; height: number; fit: 'inside'; withoutEnlargement: boolean }): ReturnType<SharpFactory>;
  flatten(o: { background: string }): ReturnType<SharpFactory>;
  jpeg(o: { quality: number }): { toBuffer(): Promise<Buffer> };
};

/** sharp when it can be loaded (the specifier is not a literal so the action bundle leaves it out), else null. */
async function loadResizer(): Promise<Resize | null> {
  try {
    const sharp = ((await import(['sh', 'arp'].join(''))) as { default: SharpFactory }).default;
    return (bytes) => sharp(bytes).rotate().resize({ width: THUMB_PX, height: THUMB_PX, fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' }).jpeg({ quality: 70 }).toBuffer();
  } catch {
    return null;
  }
}
