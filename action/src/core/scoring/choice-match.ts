/**
 * Matching a piece of response text against an item's options: letters, option text, yes/no. Pure functions used by
 * the extraction chain (extract.ts). Each returns a letter, null (nothing found) or AMBIGUOUS (several different
 * answers found: the caller must report the item unparsed, never pick one).
 */
import { hasCjk, normalizeAnswer } from './normalize.js';
import { stripMarkdown } from './response-text.js';
import { readYesNo } from './yes-no.js';

export const AMBIGUOUS = Symbol('ambiguous');
export type Match = string | null | typeof AMBIGUOUS;

/** Words that may precede the letter after a trigger or inside a box: "the answer is option (B)". */
const LEAD_FILLER = /^(?:(?:the|option|choice|letter|answer|probably|likely|most|clearly|definitely|therefore|thus|so|be|to|is)\b[\s:]*|[:-]\s*)+/i;
/** After an uppercase "A" these words mark it as the letter, not the article ("A because …" vs "A large mass"). */
const LETTER_A_FOLLOWERS = new Set(['because', 'since', 'as', 'which', 'and', 'for', 'given', 'due', 'is', 'was', 'would', 'seems', 'option']);

/** A letter written as an answer at the start of `text`: "B", "(B)", "B.", "B)", "B: Lung", "b" (only alone). */
export function leadingLetter(text: string, choices: Record<string, string>): string | null {
  const t = stripMarkdown(text).trim().replace(LEAD_FILLER, '');
  // a quoted letter ('The answer is "E".') is as explicit as a parenthesised one
  const quoted = /^["'“‘]([A-Za-z])["'”’](?![A-Za-z])/.exec(t);
  if (quoted) return quoted[1]!.toUpperCase() in choices ? quoted[1]!.toUpperCase() : null;
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
  const contained = entries.filter(([, v]) => namesOf(v).some((n) => containsPhrase(norm, n) && !alwaysNegated(text, n)));
  const maximal = contained.filter(([k, v]) => !contained.some(([k2, v2]) => k2 !== k && v2 !== v && containsPhrase(v2, v)));
  const letters = new Set(maximal.map(([k]) => k));
  if (letters.size === 1) return [...letters][0]!;
  return letters.size > 1 ? AMBIGUOUS : null;
}

/**
 * Yes/no for items whose options are exactly yes/no (either language), read as a careful reader would
 * (yes-no.ts): verdict words in answer position, then statements read against the question. A "no" inside a side
 * finding ("No abnormality is seen in the liver" for "Is the liver normal?") does not decide.
 */
export function matchYesNo(text: string, choices: Record<string, string>, question?: string): Match {
  const letterOf = yesNoLetters(choices);
  if (!letterOf) return null;
  const r = readYesNo(text, question);
  if (r === 'ambiguous') return AMBIGUOUS;
  return r === null ? null : letterOf[r];
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
export function resolveExplicit(segment: string, choices: Record<string, string>, question?: string): Match {
  if (listsSeveralLetters(segment, choices)) return AMBIGUOUS;
  const letter = leadingLetter(segment, choices);
  if (letter) return negatedLeadingLetter(segment) ? null : letter;
  const byText = matchOptionText(segment, choices);
  if (byText !== null) return byText;
  const yn = matchYesNo(segment, choices, question);
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

/**
 * True when every mention of the option text is negated: "not T2-weighted", "rather than an MRI", "instead of the
 * left", "不是T2", or followed by "is not / is unlikely / is ruled out". "It is T1-weighted, not T2-weighted" → T1.
 */
function alwaysNegated(text: string, option: string): boolean {
  const words = option.split(' ').map(escapeRegExp).join('[^\\p{L}\\p{N}]+');
  const re = hasCjk(option) ? new RegExp(words, 'gu') : new RegExp(`(?<![\\p{L}\\p{N}])${words}(?![\\p{L}\\p{N}])`, 'giu');
  const flat = text.normalize('NFKC');
  let mentions = 0;
  for (const m of flat.matchAll(re)) {
    mentions++;
    const before = flat.slice(Math.max(0, m.index - 40), m.index);
    const clause = before.split(/[,;.!?，。；！？\n]|\bbut\b/).at(-1) ?? '';
    if (OPTION_NEGATED_BEFORE.test(clause) || isNegatedAfter(flat.slice(m.index + m[0].length))) continue;
    return false;
  }
  return mentions > 0;
}

const OPTION_NEGATED_BEFORE = new RegExp([
  String.raw`\b(?:not|no|never|rather than|instead of|as opposed to|unlike|excluding|except|nor|neither)\s+(?:[\p{L}\d-]+\s+){0,3}$`,
  String.raw`n't\s+(?:[\p{L}\d-]+\s+){0,3}$`,
  '(?:不是|并非|而非|而不是|非|不|没有|并没有|排除)(?:一[个张种])?$',
].join('|'), 'iu');

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function containsPhrase(haystack: string, needle: string): boolean {
  if (hasCjk(needle)) return haystack.includes(needle);
  // Latin words inside Chinese text have no spaces around them: "这是t1加权像" contains "t1"
  return ` ${haystack} `.replace(/([\u3400-\u9fff])/gu, ' $1 ').includes(` ${needle} `);
}

/**
 * Standard names of imaging modalities, so that an option "CT" is also given by "computed tomography" and "MRI" by
 * "an MR image". Other options match only their own text.
 */
const MODALITY_NAMES: Record<string, string[]> = {
  ct: ['computed tomography', 'cat scan'],
  mri: ['magnetic resonance', 'mr'],
  'x ray': ['radiograph', 'radiography', 'plain film', 'xray'],
  ultrasound: ['sonography', 'sonographic', 'ultrasonography', 'sonogram'],
};

function namesOf(option: string): string[] {
  return [option, ...(MODALITY_NAMES[option] ?? [])];
}
