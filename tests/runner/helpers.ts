/** Test helpers for the runner: synthetic items with in-memory images, a tiny scorer, a closed port. */
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { ImageRef } from '../../action/src/core/data/images.js';
import type { EvalTask, Scorer } from '../../action/src/runner/types.js';

/** A port nothing listens on: bind, read it, close. */
export async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

export function memoryImage(name: string, bytes: Uint8Array): ImageRef {
  return { name, mime: 'image/png', read: async () => bytes, exists: async () => true };
}

/** n two-option multiple-choice tasks with gold A/B alternating and one small image each. */
export function syntheticTasks(n: number, benchmark = 'custom'): EvalTask[] {
  return Array.from({ length: n }, (_, i) => ({
    benchmark,
    promptVersion: 1,
    item: {
      index: i,
      kind: 'mcq' as const,
      gold: i % 2 === 0 ? 'A' : 'B',
      prompt: `Question ${i}: is the finding present?\nA. yes\nB. no\nPut the letter in \\boxed{}.`,
      sample: { id: `item-${i}`, question: `Question ${i}`, images: [memoryImage(`img${i}.png`, new Uint8Array([i & 255, 7, 7]))] },
    },
  }));
}

/** The last \boxed{X} letter, compared with the gold letter (the real scorer lives in scoring/score.ts). */
export const boxedScorer: Scorer = (task, answer) => {
  const m = [...answer.content.matchAll(/\\boxed\{([A-Z])\}/g)].at(-1);
  const extracted = m ? m[1]! : null;
  return { extracted, correct: extracted === task.item.gold };
};

/**
 * predictions.jsonl `requestHash` recomputed from a body as the server received it, following the definition in
 * docs/results-schema.md — written independently of request-body.ts, so a hash that stops describing what was sent
 * fails the tests that compare them.
 */
export function requestHashOfBody(body: Buffer): string {
  const b = JSON.parse(body.toString('utf8')) as { model: string; max_tokens?: number; max_completion_tokens?: number; temperature?: number;
    top_p?: number; seed?: number; messages: Array<{ content: Array<{ type: string; text?: string; image_url?: { url: string } }> }> };
  const content = b.messages[0]!.content;
  const images = content.filter((c) => c.type === 'image_url').map((c) => {
    const m = /^data:([^;,]+);base64,(.*)$/s.exec(c.image_url!.url)!;
    return [m[1], createHash('sha256').update(Buffer.from(m[2]!, 'base64')).digest('hex')];
  });
  // a body adapted to the server (docs/runner.md, Request hash): the token field named in the version, an unsent temperature null
  const version = b.max_completion_tokens !== undefined ? 'chat-body/1+max_completion_tokens' : 'chat-body/1';
  const fields = [version, b.model, b.max_completion_tokens ?? b.max_tokens, b.temperature ?? null, b.top_p ?? null, b.seed ?? null, content.at(-1)!.text, images];
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}

/** Requests a server received, counted by their recomputed request hash: pass `onChat` to startBaselineServer. */
export function requestsByHash(): { counts: Map<string, number>; onChat: (body: Buffer) => void } {
  const counts = new Map<string, number>();
  return { counts, onChat: (body) => {
    const h = requestHashOfBody(body);
    counts.set(h, (counts.get(h) ?? 0) + 1);
  } };
}
