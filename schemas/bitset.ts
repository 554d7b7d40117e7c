/** Bitsets packed LSB-first into bytes, carried as base64. Pure; works in Node and workerd (btoa/atob). */

export function packBits(bits: ArrayLike<boolean | number>): string {
  const bytes = new Uint8Array(Math.ceil(bits.length / 8));
  for (let i = 0; i < bits.length; i++) if (bits[i]) bytes[i >> 3]! |= 1 << (i & 7);
  return bytesToBase64(bytes);
}

export function unpackBits(b64: string, n: number): Uint8Array {
  const bytes = base64ToBytes(b64);
  if (bytes.length !== Math.ceil(n / 8)) {
    throw new RangeError(`bitset holds ${bytes.length} bytes, expected ${Math.ceil(n / 8)} for ${n} items`);
  }
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (bytes[i >> 3]! >> (i & 7)) & 1;
  return out;
}

export function countBits(b64: string, n: number): number {
  let c = 0;
  for (const v of unpackBits(b64, n)) c += v;
  return c;
}

export function bytesToBase64(bytes: Uint8Array): string {
  let s = '';
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) s += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(s);
}

export function base64ToBytes(b64: string): Uint8Array {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
