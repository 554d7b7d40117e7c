/**
 * Bodies are stored in parts of at most 500,000 UTF-16 units; a part never ends between the two halves of a
 * surrogate pair, so the re-joined body is the uploaded one and still matches its SHA-256 (a lone half would be
 * stored as U+FFFD). Real local D1.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../worker/src/auth.js';
import { blobStatements, readBlob } from '../../../worker/src/db.js';

const PART = 500_000;

async function roundTrip(key: string, body: string): Promise<string | null> {
  await env.DB.batch(blobStatements(env.DB, key, body));
  return readBlob(env.DB, key);
}

describe('blob parts', () => {
  it('an emoji whose first half is the last unit of a part survives, and the hash matches', async () => {
    const body = `${'x'.repeat(PART - 1)}😀${'y'.repeat(10)}`;
    expect(body.charCodeAt(PART - 1)).toBe(0xd83d); // the high surrogate sits at the boundary
    const back = await roundTrip('test:emoji-boundary', body);
    expect(back).toBe(body);
    expect(await sha256Hex(back!)).toBe(await sha256Hex(body));
  });

  it('emoji at every part boundary of a 3-part body, and only emoji', async () => {
    const body = '😀🩻'.repeat(PART * 0.75);
    expect(body.length).toBe(PART * 3);
    expect(await roundTrip('test:all-emoji', body)).toBe(body);
    const parts = await env.DB.prepare('SELECT length(data) AS chars FROM blobs WHERE key = ? ORDER BY part')
      .bind('test:all-emoji').all<{ chars: number }>();
    // SQLite counts characters (code points): no part exceeds 500,000 UTF-16 units = 250,000 emoji
    expect(parts.results.every((p) => p.chars <= PART / 2)).toBe(true);
  });

  it('an empty body is one empty part', async () => {
    expect(await roundTrip('test:empty', '')).toBe('');
  });
});
