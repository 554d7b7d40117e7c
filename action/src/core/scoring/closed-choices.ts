/**
 * Deriving answer options for closed items that have none (VQA-RAD, SLAKE, PathVQA):
 *
 * 1. Yes/no: a gold answer that normalises to "yes"/"no" (Chinese: 是/是的/有/包含/存在/可以/对 and
 *    否/不是/没有/不包含/不存在/不可以/无/不对) gets the two options **A. yes, B. no** (Chinese: A. 是, B. 否), always
 *    in that order, so a model's letter bias is measurable the same way on every item. Chinese golds 正常/不正常 and
 *    健康/不健康 are yes/no too when the question asks that predicate as a yes/no question ("这张图片看起来正常吗?"
 *    → 不正常 = no; "肝脏是健康的吗?" → 健康 = yes), as their English twins are ("Does this image look normal?" No).
 * 2. "… X or Y?": the alternatives named in the question, in the order they appear, when the gold answer is exactly
 *    one of them (normalised). Lists "X, Y or Z" are accepted too. How the alternatives are cut out of the sentence:
 *    - the last " or " (also ", or") splits the question into a left part L and a right part R;
 *    - L without commas (binary): the gold answer fixes the span length k. If the gold is the first k words of R
 *      (leading article skipped), the other alternative is the k words before " or " — skipping a trailing word
 *      shared with R ("a T1 weighted or T2 weighted image" → T1 / T2); when an article shortened it, the gold's
 *      trailing words complete it ("on the left or right side", gold "right side" → left side / right side). If the gold is the last k words of L, the
 *      other alternative is the first k words of R;
 *    - L with commas (list): the segments between commas are alternatives, the last one is R (whole when ≤ 3 words,
 *      else the gold's span or the first words matching the previous alternative's length). The text before the
 *      first comma is the question stem; its last words count as an alternative only with an Oxford comma and an
 *      article just before them ("on the left, right, or both sides" → left / right / both), not in
 *      "in this image, lung, liver or heart".
 *    Chinese questions: closed-choices-zh.ts (X还是Y, X或者Y哪个, X和Y哪个), the same gold check.
 *    Anything else (gold not among the alternatives, duplicates, an alternative longer than 4 words) → null.
 * Both rules are deterministic and were checked against every closed item of VQA-RAD and SLAKE (tests).
 */
import { chineseAlternatives } from './closed-choices-zh.js';
import { hasCjk, isArticle, normalizeAnswer } from './normalize.js';

const YES_ZH = new Set(['是', '是的', '有', '包含', '存在', '可以', '对']);
const NO_ZH = new Set(['否', '不是', '没有', '不包含', '不存在', '不可以', '无', '不对']);
const MAX_ALTERNATIVE_WORDS = 4;
const MAX_SHARED_WORDS = 3;

/** 'yes' | 'no' when the gold answer is a yes/no answer (English or Chinese), else null. */
export function yesNoPolarity(gold: string, question = ''): 'yes' | 'no' | null {
  const g = normalizeAnswer(gold);
  if (g === 'yes' || YES_ZH.has(g)) return 'yes';
  if (g === 'no' || NO_ZH.has(g)) return 'no';
  return chinesePredicatePolarity(g, question);
}

const ZH_PREDICATES = ['正常', '健康'];

/**
 * 正常/不正常, 健康/不健康 answering a yes/no question about that predicate: the question names the predicate, asks
 * with 吗 or 是否, and offers no alternatives (还是, 或), so "这是正常的还是不正常的?" stays an either-or item.
 */
function chinesePredicatePolarity(g: string, question: string): 'yes' | 'no' | null {
  const positive = g.startsWith('不') ? g.slice(1) : g;
  if (!ZH_PREDICATES.includes(positive)) return null;
  const q = question.trim();
  if (!q.includes(positive) || !/吗|是否/u.test(q) || /还是|或/u.test(q)) return null;
  return g === positive ? 'yes' : 'no';
}

/** The alternatives offered by "… X or Y?" (or "X, Y or Z?") when the gold is exactly one of them; else null. */
export function deriveAlternatives(question: string, gold: string): string[] | null {
  const q = question.trim().replace(/[\s?？.。!]+$/u, '');
  const goldNorm = normalizeAnswer(gold);
  if (goldNorm.length === 0) return null;
  if (hasCjk(q)) return chineseAlternatives(q, gold);
  const split = lastOr(q);
  if (!split) return null;
  const segments = split.left.split(/\s*[,，、]\s*/u);
  const alternatives = segments.length === 1
    ? binaryAlternatives(words(split.left), words(split.right), goldNorm)
    : listAlternatives(segments, words(split.right), goldNorm, split.oxford);
  return alternatives && validAlternatives(alternatives, goldNorm) ? alternatives : null;
}

function lastOr(q: string): { left: string; right: string; oxford: boolean } | null {
  const matches = [...q.matchAll(/(?:\s*,\s*|\s+)or\s+/giu)];
  const m = matches.at(-1);
  if (!m || m.index === undefined || m.index === 0) return null;
  return { left: q.slice(0, m.index), right: q.slice(m.index + m[0].length), oxford: m[0].includes(',') };
}

function binaryAlternatives(left: string[], right: string[], gold: string): string[] | null {
  const r = dropLeadingArticles(right);
  const k = spanLength(r, gold, 'prefix');
  if (k > 0) {
    const s = sharedWords(left, r.slice(k));
    const other = dropLeadingArticles(left.slice(Math.max(0, left.length - k - s), left.length - s));
    // "on the left or right side" with gold "right side": the article took a word of the span, so the other
    // alternative is missing the shared trailing noun → "left side", never the asymmetric "left" / "right side"
    const completed = other.length < k ? [...other, ...r.slice(other.length, k)] : other;
    return [completed.join(' '), r.slice(0, k).join(' ')];
  }
  for (let s = 0; s <= MAX_SHARED_WORDS && s < left.length; s++) {
    const n = spanLength(left.slice(0, left.length - s), gold, 'suffix');
    if (n > 0 && (s === 0 || same(left.slice(-s), r.slice(n, n + s)))) return [left.slice(left.length - s - n, left.length - s).join(' '), r.slice(0, n).join(' ')];
  }
  return null;
}

function listAlternatives(segments: string[], right: string[], gold: string, oxford: boolean): string[] | null {
  const [stem = '', ...rest] = segments;
  const mids = rest.map((s) => s.trim()).filter((s) => s.length > 0);
  if (mids.length === 0) return null;
  const r = dropLeadingArticles(right);
  const k = spanLength(r, gold, 'prefix');
  const tail = k > 0 ? r.slice(0, k) : r.length <= 3 ? r : r.slice(0, words(mids.at(-1)!).length);
  const alternatives = [...mids, tail.join(' ')];
  const stemWords = words(stem);
  const n = words(mids[0]!).length;
  const before = stemWords[stemWords.length - n - 1];
  if (oxford && before !== undefined && isArticle(before)) alternatives.unshift(stemWords.slice(-n).join(' '));
  return alternatives;
}

/** Length (in raw words) of the prefix/suffix of `ws` that normalises to `gold`; 0 when none does. */
function spanLength(ws: string[], gold: string, side: 'prefix' | 'suffix'): number {
  for (let k = 1; k <= Math.min(MAX_ALTERNATIVE_WORDS, ws.length); k++) {
    const span = side === 'prefix' ? ws.slice(0, k) : ws.slice(ws.length - k);
    if (normalizeAnswer(span.join(' ')) === gold) return k;
  }
  return 0;
}

function validAlternatives(alternatives: string[], gold: string): boolean {
  const norm = alternatives.map(normalizeAnswer);
  if (norm.some((a) => a.length === 0 || a.split(' ').length > MAX_ALTERNATIVE_WORDS)) return false;
  if (new Set(norm).size !== norm.length) return false;
  return norm.filter((a) => a === gold).length === 1;
}

/** How many trailing words of `left` equal the leading words of `after` (the parallel "T1 weighted or T2 weighted"). */
function sharedWords(left: string[], after: string[]): number {
  let best = 0;
  for (let s = 1; s <= MAX_SHARED_WORDS && s < left.length; s++) if (same(left.slice(-s), after.slice(0, s))) best = s;
  return best;
}

function words(s: string): string[] {
  return s.trim().split(/\s+/).filter(Boolean);
}

function dropLeadingArticles(ws: string[]): string[] {
  let i = 0;
  while (i < ws.length - 1 && isArticle(ws[i]!)) i++;
  return ws.slice(i);
}

function same(a: string[], b: string[]): boolean {
  return a.length === b.length && a.length > 0 && normalizeAnswer(a.join(' ')) === normalizeAnswer(b.join(' '));
}
