/**
 * Text normalisation shared by protocol matching (gold ↔ alternatives), extraction (option text) and the open-ended
 * metrics. One definition so that "the same answer" means the same thing everywhere.
 *
 * normalizeAnswer: Unicode NFKC, lowercase, every punctuation/symbol character → space, the English articles
 * a/an/the removed as whole words, whitespace collapsed and trimmed. "The Left Lung." → "left lung";
 * "X-Ray" → "x ray"; "T2" → "t2". CJK text is kept (only its punctuation goes), so "不包含。" → "不包含".
 */

const ARTICLES = new Set(['a', 'an', 'the']);

export function normalizeAnswer(text: string): string {
  return tokenize(text).join(' ');
}

/** Normalised word tokens (see normalizeAnswer). */
export function tokenize(text: string): string[] {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\p{P}\p{S}]+/gu, ' ')
    .split(/\s+/)
    .filter((w) => w.length > 0 && !ARTICLES.has(w));
}

/** True when the text contains CJK ideographs (used to pick the Chinese templates when no language is given). */
export function hasCjk(text: string): boolean {
  return /[\u3400-\u9fff]/u.test(text);
}

export function isArticle(word: string): boolean {
  return ARTICLES.has(word.toLowerCase());
}
