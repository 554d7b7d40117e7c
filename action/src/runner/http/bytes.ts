/**
 * Byte helpers both the request builder (request-body.ts) and the transport (transport.ts) need: a body as chunks,
 * joining chunks, and SHA-256 in hex. At the bottom of http/ so neither of the two imports the other or the client.
 */
import { createHash } from 'node:crypto';

/** A body as chunks sent back to back (no 70 kB concatenation per item): JSON text and base64 bytes. */
export type BodyChunks = ReadonlyArray<string | Uint8Array>;

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
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
