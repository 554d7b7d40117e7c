/**
 * Chat-completions request bodies, built from pre-serialised parts, and their SHA-256 (predictions.jsonl
 * `requestHash`, what the server saw). Building and hashing the body were a third of the runner's CPU per item;
 * here JSON.stringify never touches base64 text (it would scan every character for escapes: ≈100 µs per 50 kB
 * image) and the bytes before the prompt — model + images, shared by every item that shows the same images — are
 * hashed once: SHA-256 is a stream, so the hash state after that head is kept and each item adds only its tail.
 */
import { createHash, type Hash } from 'node:crypto';
import type { DecodingSettings } from './client.js';

export interface ChatImage {
  mime: string;
  bytes: Uint8Array;
}

/** An image ready for a request body: base64 text as ASCII bytes (ImageCache) or a string. */
export interface EncodedImage {
  mime: string;
  base64: Uint8Array | string;
}

/** An image the body cache can name by content: its SHA-256 decides its base64 text. */
export interface HashedImage {
  mime: string;
  sha256: string;
  base64(): Uint8Array;
}

/** A body as chunks sent back to back (no 70 kB concatenation per item): JSON text and base64 bytes. */
export type BodyChunks = ReadonlyArray<string | Uint8Array>;

export interface RequestBody {
  chunks: BodyChunks;
  sha256: string;
}

type Parts = Array<string | Uint8Array>;

/**
 * One user turn: the images as base64 data URLs in item order, then the prompt text. With several images each is
 * preceded by an `<image i>` label so the prompt's `<image n>` placeholders and figure references stay aligned.
 * The bytes equal JSON.stringify of { model, messages, max_tokens, temperature, stream, top_p?, seed? }.
 */
export function chatBody(model: string, prompt: string, images: readonly EncodedImage[], d: DecodingSettings): Buffer {
  return concatParts([...headParts(model, images), tailPart(prompt, d)]);
}

/** The request body as a string, from raw image bytes (tests, benchmarks). */
export function buildChatBody(model: string, prompt: string, images: ChatImage[], d: DecodingSettings): string {
  const encoded = images.map((img) => ({ mime: img.mime, base64: Buffer.from(img.bytes.buffer, img.bytes.byteOffset, img.bytes.byteLength).toString('base64') }));
  return chatBody(model, prompt, encoded, d).toString('utf8');
}

/** Plain text request (the judge): no images. */
export function buildTextBody(model: string, text: string, d: DecodingSettings): Buffer {
  return chatBody(model, text, [], d);
}

/** Everything before the prompt: model, and each image (labelled when there are several). */
function headParts(model: string, images: readonly EncodedImage[]): Parts {
  const parts: Parts = [`{"model":${JSON.stringify(model)},"messages":[{"role":"user","content":[`];
  images.forEach((img, i) => {
    if (images.length > 1) parts.push(`{"type":"text","text":"<image ${i + 1}>"},`);
    parts.push(`{"type":"image_url","image_url":{"url":${JSON.stringify(`data:${img.mime};base64,`).slice(0, -1)}`, img.base64, '"}},');
  });
  return parts;
}

function tailPart(prompt: string, d: DecodingSettings): string {
  let tail = `{"type":"text","text":${JSON.stringify(prompt)}}]}],"max_tokens":${JSON.stringify(d.maxTokens)}`;
  tail += `,"temperature":${JSON.stringify(d.temperature)},"stream":false`;
  if (d.topP !== null) tail += `,"top_p":${JSON.stringify(d.topP)}`;
  if (d.seed !== null) tail += `,"seed":${JSON.stringify(d.seed)}`;
  return `${tail}}`;
}

/** Adjacent text parts joined: fewer, larger writes on the socket. */
function mergeText(parts: Readonly<Parts>): Parts {
  const out: Parts = [];
  for (const p of parts) {
    const last = out.length - 1;
    if (typeof p === 'string' && last >= 0 && typeof out[last] === 'string') out[last] += p;
    else out.push(p);
  }
  return out;
}

/** JSON text parts as UTF-8; base64 strings are ASCII (latin1 copies them byte for byte). */
export function concatParts(parts: BodyChunks): Buffer {
  const sizes = parts.map((p) => (typeof p === 'string' ? Buffer.byteLength(p) : p.byteLength));
  const out = Buffer.allocUnsafe(sizes.reduce((a, b) => a + b, 0));
  let at = 0;
  parts.forEach((p, i) => {
    if (typeof p === 'string') out.write(p, at, 'utf8');
    else out.set(p, at);
    at += sizes[i]!;
  });
  return out;
}

export const DEFAULT_HEAD_STATES = 4096;

/** Builds bodies and hashes them, keeping the SHA-256 state after each recent head (least recently used evicted). */
export class RequestBodies {
  private readonly heads = new Map<string, Hash>();

  constructor(readonly maxHeads = DEFAULT_HEAD_STATES) {}

  get size(): number {
    return this.heads.size;
  }

  clear(): void {
    this.heads.clear();
  }

  build(model: string, prompt: string, images: readonly HashedImage[], d: DecodingSettings): RequestBody {
    const head = headParts(model, images.map((im) => ({ mime: im.mime, base64: im.base64() })));
    const tail = tailPart(prompt, d);
    // the head's bytes are decided by the model name and each image's MIME type and content hash
    const key = JSON.stringify([model, images.map((im) => [im.mime, im.sha256])]);
    let state = this.heads.get(key);
    if (state) this.heads.delete(key);
    else {
      state = createHash('sha256');
      for (const p of head) state.update(p);
    }
    this.heads.set(key, state);
    if (this.heads.size > this.maxHeads) this.heads.delete(this.heads.keys().next().value!);
    return { chunks: mergeText([...head, tail]), sha256: state.copy().update(tail).digest('hex') };
  }
}
