/** Test helpers for the runner: synthetic items with in-memory images, a tiny scorer, a closed port. */
import { createServer } from 'node:http';
import type { ImageRef } from '../../../action/src/benchmarks/types.js';
import type { EvalTask, Scorer } from '../../../action/src/eval/types.js';

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
