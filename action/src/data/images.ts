/**
 * Lazy image references. A Sample never holds image bytes: each ImageRef reads its bytes on demand from a file,
 * a zip member or a parquet cell, so loading a 100,000-item benchmark costs only the references.
 */
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ImageRef } from '../benchmarks/types.js';

/** Magic-byte signatures of the image formats medical VQA datasets ship. */
const SIGNATURES: Array<{ mime: string; bytes: number[]; offset?: number }> = [
  { mime: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
  { mime: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { mime: 'image/gif', bytes: [0x47, 0x49, 0x46, 0x38] },
  { mime: 'image/bmp', bytes: [0x42, 0x4d] },
  { mime: 'image/tiff', bytes: [0x49, 0x49, 0x2a, 0x00] },
  { mime: 'image/tiff', bytes: [0x4d, 0x4d, 0x00, 0x2a] },
  { mime: 'image/webp', bytes: [0x57, 0x45, 0x42, 0x50], offset: 8 },
];

const EXTENSION_MIME: Record<string, string> = {
  '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.gif': 'image/gif', '.bmp': 'image/bmp',
  '.tif': 'image/tiff', '.tiff': 'image/tiff', '.webp': 'image/webp',
};

/** MIME type from the first bytes; null when no known signature matches. */
export function sniffMime(bytes: Uint8Array): string | null {
  for (const sig of SIGNATURES) {
    const at = sig.offset ?? 0;
    if (bytes.length >= at + sig.bytes.length && sig.bytes.every((b, i) => bytes[at + i] === b)) return sig.mime;
  }
  return null;
}

/** MIME guess from a file name, used before the bytes are read (the bytes win once read). */
export function mimeFromName(name: string): string {
  return EXTENSION_MIME[path.extname(name).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Wraps a byte loader as an ImageRef whose `mime` is corrected from the magic bytes on first read (file
 * extensions lie: several datasets store PNGs named .jpg).
 */
export function lazyImage(name: string, load: () => Promise<Uint8Array>, exists: () => Promise<boolean>): ImageRef {
  const ref: ImageRef = {
    name,
    mime: mimeFromName(name),
    async read() {
      const bytes = await load();
      ref.mime = sniffMime(bytes) ?? ref.mime;
      return bytes;
    },
    exists,
  };
  return ref;
}

/** An image stored as a file on disk. */
export function fileImage(filePath: string, name = path.basename(filePath)): ImageRef {
  return lazyImage(
    name,
    async () => {
      try {
        return new Uint8Array(await readFile(filePath));
      } catch (e) {
        throw new Error(`image ${name} could not be read from ${filePath}: ${(e as Error).message}`);
      }
    },
    () => access(filePath).then(() => true, () => false),
  );
}

/** An image the dataset references but does not ship here (e.g. MedXpertQA without images.zip). */
export function missingImage(name: string, hint: string): ImageRef {
  return lazyImage(name, () => Promise.reject(new Error(`image ${name} is not available: ${hint}`)), async () => false);
}
