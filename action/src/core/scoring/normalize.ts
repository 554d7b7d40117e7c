/**
 * Text normalisation shared by protocol matching (gold ↔ alternatives), extraction (option text) and the open-ended
 * metrics. One definition so that "the same answer" means the same thing everywhere.
 *
 * normalizeAnswer: Unicode NFKC, lowercase, numbers kept whole (a period between digits stays: "5.2" — the
 * VQA/LLaVA-Med normaliser's rule; a comma before exactly three digits is a thousands separator and goes: "1,000" →
 * "1000"), every other punctuation/symbol character → space, the English articles a/an/the removed as whole words
 * (LLaVA-Med), whitespace collapsed and trimmed. "The Left Lung." → "left lung"; "X-Ray" → "x ray"; "T2" → "t2";
 * "5.2 cm." → "5.2 cm". CJK text is kept (only its punctuation goes), so "不包含。" → "不包含".
 *
 * openTokens (open-ended metrics only; docs/scoring.md "Open-ended metrics" names the source of each rule):
 * normalizeAnswer's words, then number words zero–ten and "none" → digits (LLaVA-Med's manual_map), "x ray" →
 * "xray" (lmms-eval's SLAKE alias), and CJK ideographs one token each (character-level, as Chinese reading-
 * comprehension F1 is computed), so "左肺" against "右肺" shares one of two tokens.
 */

const ARTICLES = new Set(['a', 'an', 'the']);
/** placeholder for a decimal point while punctuation is replaced (a control character: never \p{P} or \p{S}) */
const DOT = '\u0001';

export function normalizeAnswer(text: string): string {
  return tokenize(text).join(' ');
}

/** Normalised word tokens (see normalizeAnswer). */
export function tokenize(text: string): string[] {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/(\d),(?=\d{3}(?!\d))/gu, '$1')
    .replace(/(\d)\.(?=\d)/gu, `$1${DOT}`)
    .replace(/[\p{P}\p{S}]+/gu, ' ')
    .replaceAll(DOT, '.')
    .split(/\s+/)
    .filter((w) => w.length > 0 && !ARTICLES.has(w));
}

const NUMBER_WORDS: Record<string, string> = {
  none: '0', zero: '0', one: '1', two: '2', three: '3', four: '4', five: '5',
  six: '6', seven: '7', eight: '8', nine: '9', ten: '10',
};

/** Tokens for the open-ended metrics (see the module comment). */
export function openTokens(text: string): string[] {
  const words = tokenize(text).map((w) => NUMBER_WORDS[w] ?? w);
  const joined: string[] = [];
  for (let i = 0; i < words.length; i++) {
    if (words[i] === 'x' && words[i + 1] === 'ray') {
      joined.push('xray');
      i++;
    } else {
      joined.push(words[i]!);
    }
  }
  return joined.flatMap(splitCjk);
}

/** "左肺x" → ["左", "肺", "x"]: each ideograph alone, runs of other characters kept together. */
function splitCjk(word: string): string[] {
  return hasCjk(word) ? (word.match(/[\u3400-\u9fff]|[^\u3400-\u9fff]+/gu) ?? []) : [word];
}

/** The text without parenthesised parts: "free air (pneumoperitoneum)" → "free air " (lmms-eval's SLAKE rule). */
export function withoutParentheses(text: string): string {
  return text.replace(/\([^)]*\)|（[^）]*）/gu, ' ');
}

/** True when the text contains CJK ideographs (used to pick the Chinese templates when no language is given). */
export function hasCjk(text: string): boolean {
  return /[\u3400-\u9fff]/u.test(text);
}

export function isArticle(word: string): boolean {
  return ARTICLES.has(word.toLowerCase());
}
