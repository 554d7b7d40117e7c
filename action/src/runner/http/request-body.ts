/**
 * Chat-completions request bodies, built from pre-serialised parts, and their `requestHash` (predictions.jsonl).
 * Building and hashing the body were a third of the runner's CPU per item; here JSON.stringify never touches base64
 * text (it would scan every character for escapes: ≈100 µs per 50 kB image), and the request is identified by its
 * semantic content — body format version, model, decoding settings, prompt and the ordered image SHA-256s (already
 * known from the image cache) — instead of by hashing the ~70 kB of bytes sent.
 */
import { concatParts, sha256Hex, type BodyChunks } from './bytes.js';

/** Decoding settings as sent and as recorded in results.json (Decoding in schemas/results.ts). */
export interface DecodingSettings {
  temperature: number;
  topP: number | null;
  maxTokens: number;
  seed: number | null;
  /** how the settings go on the wire when a server refused the defaults (absent: `max_tokens` and `temperature`) */
  wire?: WireFormat;
}

/** OpenAI reasoning models refuse `max_tokens` (they take `max_completion_tokens`) and any temperature but 1. */
export interface WireFormat {
  maxTokensField: 'max_tokens' | 'max_completion_tokens';
  /** false: no `temperature` field (the server's default) */
  temperature: boolean;
}

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
  // d.wire: what a server that refused the defaults takes instead (OpenAI reasoning models); see adapt.ts
  let tail = `{"type":"text","text":${JSON.stringify(prompt)}}]}],"${d.wire?.maxTokensField ?? 'max_tokens'}":${JSON.stringify(d.maxTokens)}`;
  if (d.wire?.temperature !== false) tail += `,"temperature":${JSON.stringify(d.temperature)}`;
  tail += ',"stream":false';
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


/**
 * Version of the body layout produced here (message structure, `<image i>` labels, data URLs, `stream: false`).
 * Part of `requestHash`: a change to what is sent for the same content must change the hash.
 */
export const REQUEST_FORMAT_VERSION = 'chat-body/1';

/**
 * `requestHash`: SHA-256 hex of the UTF-8 JSON text of
 * [format version, model, max_tokens, temperature, top_p|null, seed|null, prompt, [[mime, image SHA-256], …]].
 * Every byte of the body follows from these (base64 from the image bytes), so equal hashes mean equal bodies.
 */
export function requestHash(model: string, prompt: string, images: ReadonlyArray<{ mime: string; sha256: string }>, d: DecodingSettings): string {
  // an adapted wire format names its token field in the version and hashes an unsent temperature as null
  const version = d.wire && d.wire.maxTokensField !== 'max_tokens' ? `${REQUEST_FORMAT_VERSION}+${d.wire.maxTokensField}` : REQUEST_FORMAT_VERSION;
  const temperature = d.wire?.temperature === false ? null : d.temperature;
  const content = [version, model, d.maxTokens, temperature, d.topP, d.seed, prompt, images.map((im) => [im.mime, im.sha256])];
  return sha256Hex(JSON.stringify(content));
}

/** A body as chunks (JSON text around the cached base64 bytes) with its request hash. */
export function buildRequest(model: string, prompt: string, images: readonly HashedImage[], d: DecodingSettings): RequestBody {
  const head = headParts(model, images.map((im) => ({ mime: im.mime, base64: im.base64() })));
  return { chunks: mergeText([...head, tailPart(prompt, d)]), sha256: requestHash(model, prompt, images, d) };
}
