/**
 * Matching a piece of response text against an item's options: letters, option text, yes/no. Pure functions used by
 * the extraction chain (extract.ts). Each returns a letter, null (nothing found) or AMBIGUOUS (several different
 * answers found: the caller must report the item unparsed, never pick one).
 */
import { hasCjk, normalizeAnswer } from './normalize.js';
import { stripMarkdown } from './response-text.js';

export const AMBIGUOUS = Symbol('ambiguous');
export type Match = string | null | typeof AMBIGUOUS;

/** Words that may precede the letter after a trigger or inside a box: "the answer is option (B)". */
const LEAD_FILLER = /^(?:(?:the|option|choice|letter|answer|probably|likely|most|clearly|definitely|therefore|thus|so|be|to|is)\b[\s:]*|[:-]\s*)+/i;
/** After an uppercase "A" these words mark it as the letter, not the article ("A because …" vs "A large mass"). */
const LETTER_A_FOLLOWERS = new Set(['because', 'since', 'as', 'which', 'and', 'for', 'given', 'due', 'is', 'was', 'would', 'seems', 'option']);

/** A letter written as an answer at the start of `text`: "B", "(B)", "B.", "B)", "B: Lung", "b" (only alone). */
export function leadingLetter(text: string, choices: Record<string, string>): string | null {
  const t = stripMarkdown(text).trim().replace(LEAD_FILLER, '');
  const m = /^[([]?([A-Za-z])(?:[)\]]|(?=[.:,;!?。，：；！？、]|\s|$))/.exec(t);
  if (!m) return null;
  const raw = m[1]!;
  const letter = raw.toUpperCase();
  if (!(letter in choices)) return null;
  const after = t.slice(m[0].length);
  const parenthesised = m[0].length > 1 && /[)\]]$/.test(m[0]);
  if (raw !== letter) return parenthesised || /^[.)]?\s*$/.test(after) ? letter : null;
  const next = /^\s+([a-z]+)/.exec(after);
  if (next && (letter === 'A' || letter === 'I') && !parenthesised && !LETTER_A_FOLLOWERS.has(next[1]!)) return null;
  return letter;
}

/**
 * Letters written unmistakably as option references anywhere in `text`: "(B)", "option B" / "choice B", and a line
 * that starts "B." / "B)" / "B:" or is just "B". A capital letter mid-sentence ("hepatitis B", "vitamin D") is not one.
 */
export function letterMentions(text: string, choices: Record<string, string>): Set<string> {
  const found = new Set<string>();
  const t = stripMarkdown(text);
  const patterns = [
    /\(([A-Z])\)/g,
    /\b(?:option|choice|letter)\s+\(?([A-Z])\b\)?/gi,
    /^\s*[([]?([A-Z])(?:[.):\]]|\s*$)/gm,
  ];
  for (const re of patterns) for (const m of t.matchAll(re)) {
    const letter = m[1]!.toUpperCase();
    if (!(letter in choices)) continue;
    if (NEGATED_BEFORE.test(t.slice(Math.max(0, m.index - 12), m.index)) || isNegatedAfter(t.slice(m.index + m[0].length))) continue;
    found.add(letter);
  }
  return found;
}

/** "not (B)", "not option B": a letter named only to be rejected. */
const NEGATED_BEFORE = /\b(?:not|n't|never)\s+(?:option\s+|choice\s+)?$/i;
/** "… is incorrect", "is not correct", "is wrong", "can be excluded", "is ruled out": the letter is rejected. */
const NEGATED_AFTER = /^\s*\)?\s*(?:[-–—:]\s*)?(?:is|are|was|seems|would be|can be|should be)\s+(?:not\b|incorrect\b|wrong\b|false\b|unlikely\b|excluded\b|ruled out\b|eliminated\b)/i;

/** True when the text right after a letter rejects it ("D is incorrect", "B is not the answer"). */
export function isNegatedAfter(rest: string): boolean {
  return NEGATED_AFTER.test(rest);
}

/**
 * The option whose text the response gives: normalised exact match of the whole text first, then unique containment
 * (whole words; plain substring for Chinese options). Options contained in another contained option ("left" inside
 * "upper left") do not count separately. Several → AMBIGUOUS.
 */
export function matchOptionText(text: string, choices: Record<string, string>): Match {
  if (yesNoLetters(choices)) return null; // yes/no options are matched as whole words by matchYesNo
  const norm = normalizeAnswer(text);
  if (norm.length === 0) return null;
  const entries = Object.entries(choices).map(([k, v]) => [k, normalizeAnswer(v)] as const).filter(([, v]) => v.length > 0);
  const exact = entries.filter(([, v]) => v === norm);
  if (exact.length === 1) return exact[0]![0];
  const contained = entries.filter(([, v]) => containsPhrase(norm, v));
  const maximal = contained.filter(([k, v]) => !contained.some(([k2, v2]) => k2 !== k && v2 !== v && containsPhrase(v2, v)));
  const letters = new Set(maximal.map(([k]) => k));
  if (letters.size === 1) return [...letters][0]!;
  return letters.size > 1 ? AMBIGUOUS : null;
}

const ZH_NO = /^(?:不是|不包含|没有|不存在|不可以|不对|否|无|不)/u;
const ZH_YES = /^(?:是|有|包含|存在|可以|对)/u;
/** The first word of the text, when it is yes/no: "Yes, …", "**No.**", "no" (markdown and quotes skipped). */
const LEADING_YES_NO = /^[\s"'“(\[]*(yes|no)\b(.*)$/is;
/** "yes and no", "yes or no", "yes/no": a hedge, not an answer. */
const HEDGE = /^\s*(?:and|or|\/|,\s*(?:and|or))\s*(?:yes|no)\b/i;

/**
 * Yes/no for items whose options are exactly yes/no:
 *   1. the LEADING word decides: "Yes, the liver shows no lesions." → yes; "No." / "No, …" → no. A leading "no"
 *      followed directly by a word is a determiner ("No evidence of …") and falls through to rule 2, as does a
 *      hedge ("Yes and no: …" → AMBIGUOUS);
 *   2. otherwise "yes" and "no" as whole words anywhere (so "unknown", "node", "nobody", "not" are never a "no"),
 *      ignoring negated ones ("not yes" is not a yes, and not a no either); both present → AMBIGUOUS.
 * Chinese options (是/否): the answer's leading word decides (不是/没有/不包含/否… → no; 是/有/包含… → yes).
 */
export function matchYesNo(text: string, choices: Record<string, string>): Match {
  const letterOf = yesNoLetters(choices);
  if (!letterOf) return null;
  const norm = normalizeAnswer(text);
  if (hasCjk(choices.A ?? '') || hasCjk(norm)) {
    const lead = norm.replace(/^[\s]+/, '');
    if (ZH_NO.test(lead)) return letterOf.no;
    if (ZH_YES.test(lead)) return letterOf.yes;
  }
  const leading = leadingYesNo(stripMarkdown(text));
  if (leading !== null) return leading === AMBIGUOUS ? AMBIGUOUS : letterOf[leading];
  const words = norm.split(' ');
  const said = (w: string) => words.some((x, i) => x === w && words[i - 1] !== 'not');
  const yes = said('yes');
  const no = said('no');
  if (yes && no) return AMBIGUOUS;
  return yes ? letterOf.yes : no ? letterOf.no : null;
}

function leadingYesNo(text: string): 'yes' | 'no' | typeof AMBIGUOUS | null {
  const m = LEADING_YES_NO.exec(text);
  if (!m) return null;
  const word = m[1]!.toLowerCase() as 'yes' | 'no';
  const rest = m[2]!;
  if (HEDGE.test(rest)) return AMBIGUOUS;
  if (word === 'no' && /^\s+[\p{L}\d]/u.test(rest)) return null; // determiner: "No evidence of fracture"
  return word;
}

/** When the options are exactly {yes, no} (either language), the letters of each; else null. */
export function yesNoLetters(choices: Record<string, string>): { yes: string; no: string } | null {
  const entries = Object.entries(choices);
  if (entries.length !== 2) return null;
  const yes = entries.find(([, v]) => ['yes', '是'].includes(normalizeAnswer(v)));
  const no = entries.find(([, v]) => ['no', '否'].includes(normalizeAnswer(v)));
  return yes && no ? { yes: yes[0], no: no[0] } : null;
}

/**
 * Resolves an explicit answer (a box, an <answer> tag, the text after a trigger): a leading letter, then option text,
 * then yes/no, then a single unmistakable letter mention.
 */
export function resolveExplicit(segment: string, choices: Record<string, string>): Match {
  if (listsSeveralLetters(segment, choices)) return AMBIGUOUS;
  const letter = leadingLetter(segment, choices);
  if (letter) return negatedLeadingLetter(segment) ? null : letter;
  const byText = matchOptionText(segment, choices);
  if (byText !== null) return byText;
  const yn = matchYesNo(segment, choices);
  if (yn !== null) return yn;
  const mentions = letterMentions(segment, choices);
  if (mentions.size === 1) return [...mentions][0]!;
  return mentions.size > 1 ? AMBIGUOUS : null;
}

/** "D is incorrect …" right at the start of an explicit segment: the letter is named to be rejected. */
function negatedLeadingLetter(segment: string): boolean {
  const t = stripMarkdown(segment).trim().replace(LEAD_FILLER, '');
  const m = /^[([]?[A-Za-z][)\]]?/.exec(t);
  return m !== null && isNegatedAfter(t.slice(m[0].length));
}

/** "A, C", "A or C", "(A) and (C)", "B/D": two different option letters offered together. */
function listsSeveralLetters(text: string, choices: Record<string, string>): boolean {
  const re = /(?:^|[^A-Za-z])\(?([A-Z])\)?\s*(?:,|\/|&|\band\b|\bor\b)\s*\(?([A-Z])\)?(?![A-Za-z])/g;
  for (const m of stripMarkdown(text).matchAll(re)) {
    if (m[1] !== m[2] && m[1]! in choices && m[2]! in choices) return true;
  }
  return false;
}

function containsPhrase(haystack: string, needle: string): boolean {
  if (hasCjk(needle)) return haystack.includes(needle);
  return ` ${haystack} `.includes(` ${needle} `);
}
