/**
 * Chinese closed questions that offer their alternatives in the text (SLAKE zh). Every rule is anchored on the
 * gold answer: the alternatives are returned only when the gold is exactly one of them, otherwise null (the item
 * stays 'closed-not-binary' under paper). Checked against every Chinese closed item of SLAKE test (tests).
 *
 *   1. "…，X还是Y?" / "…，X、Y还是Z?": the clause after the last comma, split at 、 and 还是.
 *   2. 还是 without a comma ("这是T1加权还是T2加权的核磁共振图像?", "脑肿瘤是白色的还是灰色的?"): the gold is
 *      the start of the right side or the end of the left side, and the other alternative has the same length,
 *      aligned around a shared suffix ("加权", "的"). The other alternative must be preceded by a clause boundary
 *      (是/为/呈, a comma or the start), so "这是肺还是心脏" with gold 心脏 (unequal lengths) gives null, never "是肺".
 *   3. "X或者Y哪个…", "X和Y哪个/谁…", "X、Y和Z哪个…": the alternatives before 哪个/谁, split at 或者/或/和/、,
 *      after a leading "图中" / "在这个图像中" / "这张图片中".
 */
import { normalizeAnswer } from './normalize.js';

const MAX_CHARS = 6;
const MAX_SHARED = 3;
const BOUNDARY = /[是为呈,，]$/u;
const LOCATION_PREFIX = /^(?:在)?(?:这个|这张|该)?(?:图像|图片|影像|图)(?:中|里|上)/u;

export function chineseAlternatives(question: string, gold: string): string[] | null {
  const q = question.trim().replace(/[\s?？.。!！]+$/u, '');
  const g = normalizeAnswer(gold);
  if (!g) return null;
  const found = q.includes('还是') ? haishi(q, g) : whichOf(q);
  return found && valid(found, g) ? found : null;
}

function haishi(q: string, g: string): string[] | null {
  const at = q.lastIndexOf('还是');
  const comma = Math.max(q.lastIndexOf(',', at), q.lastIndexOf('，', at));
  const clause = comma >= 0 ? q.slice(comma + 1) : null;
  if (clause) {
    const listed = clause.split(/还是|、/u).map((a) => a.trim()).filter(Boolean);
    if (listed.length >= 2 && valid(listed, g)) return listed;
  }
  return aligned(q.slice(comma + 1, at), q.slice(at + 2), g);
}

/** Rule 2: equal-length alternatives on both sides of 还是, around an optional shared suffix. */
function aligned(left: string, right: string, g: string): string[] | null {
  const k = g.length;
  for (let s = 0; s <= MAX_SHARED; s++) {
    const suffix = right.slice(k, k + s);
    if (suffix.length !== s || !left.endsWith(suffix)) continue;
    if (normalizeAnswer(right.slice(0, k)) === g) {
      const end = left.length - s;
      const other = left.slice(end - k, end);
      if (other.length === k && atBoundary(left.slice(0, end - k))) return [other, right.slice(0, k)];
    }
  }
  for (let s = 0; s <= MAX_SHARED; s++) {
    const end = left.length - s;
    const suffix = left.slice(end);
    if (normalizeAnswer(left.slice(end - k, end)) !== g || !atBoundary(left.slice(0, end - k))) continue;
    if (right.slice(k, k + s) === suffix) return [left.slice(end - k, end), right.slice(0, k)];
  }
  return null;
}

function atBoundary(before: string): boolean {
  return before === '' || BOUNDARY.test(before);
}

/** Rule 3: "X或者Y哪个…", "X和Y谁…", "X、Y和Z哪个…". */
function whichOf(q: string): string[] | null {
  const m = /^(.*?)(?:哪个|哪一个|谁)/u.exec(q);
  if (!m) return null;
  const span = m[1]!.replace(LOCATION_PREFIX, '');
  const parts = span.split(/或者|或|和|、/u).map((a) => a.trim());
  return parts.length >= 2 ? parts : null;
}

function valid(alternatives: string[], g: string): boolean {
  const norm = alternatives.map(normalizeAnswer);
  if (norm.some((a) => a.length === 0 || a.length > MAX_CHARS)) return false;
  if (new Set(norm).size !== norm.length) return false;
  return norm.filter((a) => a === g).length === 1;
}
