/**
 * Lazy image references. A Sample never holds image bytes: each ImageRef reads its bytes on demand from a file,
 * a zip member or a parquet cell, so loading a 100,000-item benchmark costs only the references.
 */
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';

/** An image referenced by a sample, read lazily: samples never hold image bytes until asked. */
export interface ImageRef {
  /** file name or member name, for messages and MIME sniffing */
  name: string;
  /** e.g. image/jpeg; sniffed from bytes when unknown */
  mime: string;
  read(): Promise<Uint8Array>;
  /** the file holding the bytes, when it is a plain file (the runner's image cache keys on it + size + mtime) */
  readonly filePath?: string;
  /** false when the referenced file is missing; inspect counts these, run refuses to start on them */
  exists(): Promise<boolean>;
}

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
 * Base of every ImageRef: `mime` is guessed from the name and corrected from the magic bytes on first read (file
 * extensions lie: several datasets store PNGs named .jpg). Subclasses keep only what they need to find the bytes
 * (a folder shared by all images + the relative name, a loader) and put their methods on the prototype, so 100,000
 * images cost a small object each rather than three or four closures.
 */
abstract class LazyImage implements ImageRef {
  mime: string;
  constructor(readonly name: string) {
    this.mime = mimeFromName(name);
  }

  protected abstract load(): Promise<Uint8Array>;
  abstract exists(): Promise<boolean>;

  async read(): Promise<Uint8Array> {
    const bytes = await this.load();
    this.mime = sniffMime(bytes) ?? this.mime;
    return bytes;
  }
}

class LoaderImage extends LazyImage {
  constructor(name: string, private readonly loader: () => Promise<Uint8Array>, private readonly check: () => Promise<boolean>) {
    super(name);
  }

  protected load(): Promise<Uint8Array> {
    return this.loader();
  }

  exists(): Promise<boolean> {
    return this.check();
  }
}

/** A file at path.resolve(dir, rel); `dir` is one string shared by every image of a benchmark. */
class FileImage extends LazyImage {
  constructor(private readonly dir: string, private readonly rel: string, name: string) {
    super(name);
  }

  get filePath(): string {
    return path.resolve(this.dir, this.rel);
  }

  protected async load(): Promise<Uint8Array> {
    try {
      return new Uint8Array(await readFile(this.filePath));
    } catch (e) {
      throw new Error(`image ${this.name} could not be read from ${this.filePath}: ${(e as Error).message}`);
    }
  }

  exists(): Promise<boolean> {
    return access(this.filePath).then(() => true, () => false);
  }
}

class MissingImage extends LazyImage {
  constructor(name: string, private readonly hint: string) {
    super(name);
  }

  protected load(): Promise<Uint8Array> {
    return Promise.reject(new Error(`image ${this.name} is not available: ${this.hint}`));
  }

  async exists(): Promise<boolean> {
    return false;
  }
}

/** Wraps a byte loader (a zip member, a parquet cell) as an ImageRef. */
export function lazyImage(name: string, load: () => Promise<Uint8Array>, exists: () => Promise<boolean>): ImageRef {
  return new LoaderImage(name, load, exists);
}

/** An image stored as a file on disk. */
export function fileImage(filePath: string, name = path.basename(filePath)): ImageRef {
  return new FileImage(filePath, '', name);
}

/** An image file `rel` inside `dir` (relative paths resolved at read time; `rel` doubles as the name). */
export function fileImageIn(dir: string, rel: string): ImageRef {
  return new FileImage(dir, rel, rel);
}

/** An image the dataset references but does not ship here (e.g. MedXpertQA without images.zip). */
export function missingImage(name: string, hint: string): ImageRef {
  return new MissingImage(name, hint);
}
