/**
 * Scoring one response against one prepared item.
 *
 * Multiple choice: the extracted letter (extract.ts chain, or the official MMMU rules) must equal the gold letter.
 * Open (full protocol): the answer text (extractOpenAnswer) is compared with the reference as openTokens
 * (normalize.ts: NFKC, lowercase, numbers whole, punctuation → space, articles dropped, number words → digits,
 * "x ray" → "xray", CJK one character per token). Three graded scores:
 *   - open_exact_match: 1 when the token sequences are equal, or equal once parenthesised parts are removed from
 *     both texts ("free air (pneumoperitoneum)" = "free air", lmms-eval's SLAKE rule);
 *   - open_token_recall (LLaVA-Med's open recall): the fraction of the reference's tokens found in the answer's
 *     tokens (multiset: a token repeated twice in the reference must appear twice);
 *   - open_token_f1: SQuAD-style token F1 over the same multisets.
 * `correct` for an open item is the exact match — except with extraction 'mmmu', where it is the official MMMU open
 * rule (a parsed candidate contains the gold string, or a parsed number equals it).
 */
import { extractChoice, extractOpenAnswer } from './extract.js';
import { mmmuFocus, mmmuOpenCorrect, mmmuParseChoice, mmmuParseOpen } from './mmmu-parse.js';
import { normalizeAnswer, openTokens, withoutParentheses } from './normalize.js';
import type { PreparedItem } from './protocol.js';

export interface ModelResponse {
  content: string;
  /** a separate reasoning/thinking field: recorded by the runner, never searched for the answer */
  reasoning?: string | null;
  truncated?: boolean;
}

/** A type alias (not an interface) so it fits ItemOutcome.graded's Record<string, number | null>. */
export type OpenGrades = {
  open_exact_match: number;
  open_token_recall: number;
  open_token_f1: number;
};

export interface ItemScore {
  /** letter for mcq, normalised text for open; null = unparsed */
  extracted: string | null;
  correct: boolean;
  graded?: OpenGrades;
  /** how the answer was read: the extraction stage that decided (extract.ts; ':ambiguous' when several answers were
   * found), or 'mmmu' for MMMU's official parser. Recorded in predictions.jsonl and shown by the item report. */
  how?: string;
}

export function scoreResponse(item: PreparedItem, r: ModelResponse, extraction: 'chain' | 'mmmu'): ItemScore {
  if (item.kind === 'mcq') {
    const choices = item.choices ?? {};
    if (extraction === 'mmmu') {
      const extracted = mmmuParseChoice(mmmuFocus(r.content), choices);
      return { extracted, correct: extracted !== null && extracted === item.gold, how: 'mmmu' };
    }
    const e = extractChoice(r.content, choices, { question: item.sample.question });
    return { extracted: e.answer, correct: e.answer !== null && e.answer === item.gold, how: e.ambiguous ? `${e.stage}:ambiguous` : e.stage };
  }
  const open = extractOpenAnswer(r.content);
  const answer = open.answer;
  const extracted = answer === null ? null : normalizeAnswer(answer);
  const graded = gradeOpen(answer ?? '', item.gold);
  if (extraction === 'mmmu') {
    const focus = mmmuFocus(r.content);
    const correct = focus.trim() !== '' && mmmuOpenCorrect(item.gold, mmmuParseOpen(focus));
    return { extracted, correct, graded, how: 'mmmu' };
  }
  return { extracted, correct: extracted !== null && graded.open_exact_match === 1, graded, how: open.stage };
}

/** The three open-ended scores of a prediction against a reference (both raw; normalised here). */
export function gradeOpen(prediction: string, reference: string): OpenGrades {
  const pred = openTokens(prediction);
  const gold = openTokens(reference);
  const exact = pred.length > 0 && (same(pred, gold) || sameWithoutParentheses(prediction, reference)) ? 1 : 0;
  if (gold.length === 0 || pred.length === 0) return { open_exact_match: exact, open_token_recall: exact, open_token_f1: exact };
  const common = multisetOverlap(pred, gold);
  const recall = common / gold.length;
  const precision = common / pred.length;
  const f1 = common === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { open_exact_match: exact, open_token_recall: round4(recall), open_token_f1: round4(f1) };
}

function same(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((t, i) => t === b[i]);
}

function sameWithoutParentheses(prediction: string, reference: string): boolean {
  const p = openTokens(withoutParentheses(prediction));
  const g = openTokens(withoutParentheses(reference));
  return p.length > 0 && same(p, g);
}

function multisetOverlap(a: string[], b: string[]): number {
  const counts = new Map<string, number>();
  for (const t of a) counts.set(t, (counts.get(t) ?? 0) + 1);
  let common = 0;
  for (const t of b) {
    const c = counts.get(t) ?? 0;
    if (c > 0) {
      common++;
      counts.set(t, c - 1);
    }
  }
  return common;
}

export function round4(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
