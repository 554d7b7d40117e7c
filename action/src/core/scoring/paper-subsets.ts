/**
 * Which closed items the `paper` protocol scores, per benchmark: the subsets of the HuatuoGPT-Vision evaluation set
 * (FreedomIntelligence/Medical_Multimodal_Evaluation_Data) that the seed paper's accuracies fit (docs/scoring.md,
 * "The paper's subsets"; the decimal check is tests/core/scoring/paper-counts.test.ts):
 *
 *   - vqa-rad: the closed items whose gold is yes/no — 251 of the 272 closed test items (Huatuo "VQA-RAD_test" 251;
 *     the paper's accuracies fit n = 251 for 7 of 10 models, n = 271 or 272 for none);
 *   - pathvqa: the same rule (every closed PathVQA item is yes/no: 3,362);
 *   - slake: every closed item (Huatuo "SLAKE_test" 416 English): yes/no, "X or Y" alternatives, and the one item
 *     whose gold is not among the alternatives its question names ("Which is bigger in this image, kidney or
 *     spleen?" → Liver, qid 12130) gets those alternatives plus the gold, so all 416 are scored;
 *   - every other benchmark: the derivable closed items, as under `closed`.
 *
 * The `closed` protocol keeps the earlier rule for every benchmark (every closed item with derivable options).
 */
import type { Sample } from '../benchmarks/types.js';
import { deriveAlternatives } from './closed-choices.js';
import { hasCjk, normalizeAnswer } from './normalize.js';

export type PaperClosedRule = 'yes-no' | 'all-closed' | 'derivable';

const PAPER_CLOSED: Record<string, PaperClosedRule> = { 'vqa-rad': 'yes-no', pathvqa: 'yes-no', slake: 'all-closed' };

export function paperClosedRule(benchmarkId: string): PaperClosedRule {
  return PAPER_CLOSED[benchmarkId] ?? 'derivable';
}

/**
 * The alternatives a closed question names plus its gold, for a gold that is none of them ("kidney or spleen?" →
 * Liver gives kidney / spleen / Liver). The named alternatives are found by asking the ordinary derivation which
 * span after the last "or" (还是, or before 哪个/谁) would make a valid pair; null when the question names none.
 */
export function alternativesPlusGold(sample: Pick<Sample, 'question' | 'answer'>): string[] | null {
  const gold = sample.answer.trim();
  if (!normalizeAnswer(gold)) return null;
  const named = namedAlternatives(sample.question);
  if (!named || named.some((a) => normalizeAnswer(a) === normalizeAnswer(gold))) return null;
  return [...named, gold];
}

function namedAlternatives(question: string): string[] | null {
  for (const candidate of candidateSpans(question)) {
    const found = deriveAlternatives(question, candidate);
    if (found) return found;
  }
  return null;
}

/** Possible alternatives to try as a gold: the words right after the last "or" (1–4), or Chinese segments. */
function candidateSpans(question: string): string[] {
  const q = question.trim().replace(/[\s?？.。!！]+$/u, '');
  if (hasCjk(q)) {
    const m = /^(.*?)(?:哪个|哪一个|谁)/u.exec(q);
    const span = m ? m[1]! : q.slice(q.lastIndexOf('还是') + 2);
    return span.split(/还是|或者|或|和|、|，|,/u).map((s) => s.replace(/^.*?(?:图像|图片|影像|图)(?:中|里|上)/u, '').trim())
      .filter((s) => s.length > 0);
  }
  const at = q.toLowerCase().lastIndexOf(' or ');
  if (at < 0) return [];
  const words = q.slice(at + 4).split(/\s+/).filter(Boolean);
  return [1, 2, 3, 4].filter((k) => k <= words.length).map((k) => words.slice(0, k).join(' '));
}
