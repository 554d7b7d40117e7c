/**
 * Which image formats the target server can take, and converting the others to PNG before they are sent.
 *
 * Servers differ (read from their sources): Ollama takes only `data:image/{jpeg,png,webp}` (openai/openai.go:
 * "invalid image input"); llama.cpp decodes with stb_image (JPEG, PNG, BMP, GIF — no WebP, no TIFF); vLLM, SGLang,
 * LMDeploy and TGI open images with PIL, which reads all of these; OpenAI takes PNG, JPEG, WebP and GIF. An image in
 * a format the target cannot take would fail every item that uses it, so it is converted to PNG with sharp (lossless:
 * the model sees the same pixels). The image's SHA-256 — in the resume key and the dataset fingerprint — stays that
 * of the ORIGINAL bytes. A DICOM file is never sent: it is not an image format any of these servers decodes, and
 * rendering it needs windowing choices that belong to the dataset, so the run stops naming the file.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import type { ImageRef } from '../../core/data/images.js';
import { UserError } from '../../core/errors.js';
import { sniffMime } from '../../core/data/images.js';

export const ALL_FORMATS = 'all';

export type ServerKind = 'vllm' | 'sglang' | 'lmdeploy' | 'tgi' | 'llamacpp' | 'ollama' | 'openai' | 'unknown';

/** What each server decodes; `all`: anything sharp can also read (PIL-based loaders). */
export const SERVER_FORMATS: Record<ServerKind, readonly string[] | typeof ALL_FORMATS> = {
  vllm: ALL_FORMATS,
  sglang: ALL_FORMATS,
  lmdeploy: ALL_FORMATS,
  tgi: ALL_FORMATS,
  llamacpp: ['image/jpeg', 'image/png', 'image/bmp', 'image/gif'],
  ollama: ['image/jpeg', 'image/png', 'image/webp'],
  // hosted APIs and servers not recognised: the formats every OpenAI-compatible image input accepts
  openai: ['image/jpeg', 'image/png', 'image/webp', 'image/gif'],
  unknown: ['image/jpeg', 'image/png', 'image/webp', 'image/gif'],
};

const NAMES: Record<string, string> = {
  jpeg: 'image/jpeg', jpg: 'image/jpeg', png: 'image/png', webp: 'image/webp', gif: 'image/gif', bmp: 'image/bmp',
  tiff: 'image/tiff', tif: 'image/tiff',
};

/** `--image-formats png,jpeg,webp` or `all` → the accepted MIME types. */
export function parseImageFormats(flag: string): readonly string[] | typeof ALL_FORMATS {
  const names = flag.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (names.includes(ALL_FORMATS)) return ALL_FORMATS;
  const unknown = names.filter((n) => !NAMES[n]);
  if (unknown.length || names.length === 0) {
    throw new UserError(`--image-formats: unknown format ${unknown.join(', ') || '(empty)'}; use a comma list of ${Object.keys(NAMES).join(', ')}, or all`, 2);
  }
  return [...new Set(names.map((n) => NAMES[n]!))];
}

/** MIME type from the bytes, DICOM included (Part 10: "DICM" after a 128-byte preamble). */
export function detectImageFormat(bytes: Uint8Array): string | null {
  if (bytes.length >= 132 && bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d) return 'application/dicom';
  return sniffMime(bytes);
}

export interface Conversion {
  from: string;
  to: string;
  /** distinct images (by SHA-256 of the original) */
  images: number;
}

type Sharp = (input: Uint8Array) => { png(): { toBuffer(): Promise<Buffer> } };

/**
 * Prepares each image for the target: checks, converts when needed, and counts conversions for results.json.
 * Per new image only a MIME comparison (and 4 bytes for DICOM) unless it must be converted.
 */
export class ImageConverter {
  private readonly seen = new Map<string, Set<string>>();
  private sharp: Promise<Sharp> | null = null;
  private unrecognised = false;

  constructor(readonly accepted: readonly string[] | typeof ALL_FORMATS, readonly target: string, private readonly log: (m: string) => void = () => {}) {}

  /** true when an image of this (sniffed) type must be looked at or converted before it is sent */
  needsBytes(mime: string): boolean {
    return !mime.startsWith('image/') || (this.accepted !== ALL_FORMATS && !this.accepted.includes(mime));
  }

  /** `mime` is what the bytes were sniffed as (else the name's guess); `name` is for messages (file path or member). */
  async prepare(bytes: Uint8Array, mime: string, sha256: string, name: string): Promise<{ bytes: Uint8Array; mime: string }> {
    if (mime === 'application/dicom' || detectImageFormat(bytes) === 'application/dicom') throw dicomError(name);
    if (this.accepted === ALL_FORMATS) {
      if (!mime.startsWith('image/') && !this.unrecognised) {
        this.unrecognised = true;
        this.log(`warning: image ${name} is in a format the runner does not recognise; it is sent as ${mime} (pass --image-formats to have such images converted to PNG)`);
      }
      return { bytes, mime };
    }
    if (this.accepted.includes(mime)) return { bytes, mime };
    const png = await this.toPng(bytes, mime, name);
    this.record(mime, sha256);
    return { bytes: png, mime: 'image/png' };
  }

  /** conversions made so far, for results.json (`imageConversions`) */
  summary(): Conversion[] {
    return [...this.seen].map(([from, images]) => ({ from, to: 'image/png', images: images.size })).sort((a, b) => a.from.localeCompare(b.from));
  }

  private record(from: string, sha256: string): void {
    let set = this.seen.get(from);
    if (!set) {
      this.seen.set(from, (set = new Set()));
      const formats = this.accepted === ALL_FORMATS ? 'all' : this.accepted.map((m) => m.replace('image/', '')).join(', ');
      this.log(`images: converting ${from} to PNG for ${this.target} (it takes ${formats}); the fingerprint and resume key keep the original bytes' SHA-256`);
    }
    set.add(sha256);
  }

  private async toPng(bytes: Uint8Array, mime: string, name: string): Promise<Buffer> {
    const sharp = await (this.sharp ??= loadSharp(mime));
    try {
      return await sharp(bytes).png().toBuffer();
    } catch (e) {
      throw new UserError(`image ${name} (${mime}) cannot be sent to ${this.target} as it is and could not be converted to PNG: ${(e as Error).message}`, 1);
    }
  }
}

/** sharp is loaded only when an image needs converting; the specifier is not a literal so bundlers leave it out. */
async function loadSharp(mime: string): Promise<Sharp> {
  const specifier = ['sh', 'arp'].join('');
  try {
    const mod = (await import(specifier)) as { default: Sharp };
    return mod.default;
  } catch (e) {
    throw new UserError(`converting ${mime} images to PNG needs the sharp package (npm install sharp@0.34.5), which could not be loaded ` +
      `(${(e as Error).message.split('\n')[0]}); install it, or pass --image-formats all to send images as they are`, 1);
  }
}

function dicomError(name: string): UserError {
  return new UserError(`image ${name} is a DICOM file; model servers take PNG/JPEG images, and turning DICOM into one needs ` +
    'windowing choices that belong to the dataset. Convert it first (e.g. dcmj2pnm from DCMTK, or pydicom + Pillow) and point the ' +
    'benchmark at the PNG', 1);
}

/**
 * Distinct images per format (`inspect`): a file's first 132 bytes are enough to tell (DICOM included). Other images
 * (zip members, parquet cells) were read by the fingerprint, which corrected their MIME type from the bytes; only
 * those still not known as an image are read again. Missing images count as "missing".
 */
export async function countImageFormats(samples: ReadonlyArray<{ images: readonly ImageRef[] }>): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  const seen = new Set<unknown>();
  for (const s of samples) {
    for (const ref of s.images) {
      const fp = ref.filePath;
      const key = typeof fp === 'string' ? fp : ref;
      if (seen.has(key)) continue;
      seen.add(key);
      const format = await formatOf(ref, typeof fp === 'string' ? fp : null);
      counts[format] = (counts[format] ?? 0) + 1;
    }
  }
  return counts;
}

async function formatOf(ref: ImageRef, file: string | null): Promise<string> {
  try {
    let head: Uint8Array;
    if (file !== null) {
      const fd = openSync(file, 'r');
      try {
        head = new Uint8Array(132);
        head = head.subarray(0, readSync(fd, head, 0, 132, 0));
      } finally {
        closeSync(fd);
      }
    } else if (ref.mime.startsWith('image/')) return ref.mime;
    else head = await ref.read();
    return detectImageFormat(head) ?? 'unrecognised';
  } catch {
    return 'missing';
  }
}
