/**
 * Reading a yes/no answer the way a careful reader does. A word "no" somewhere in the text decides nothing
 * ("No abnormality is seen in the liver" answers "Is the liver normal?" with yes). In order:
 *
 *  1. Verdicts (a verdict whose own statements, read against the question, say the opposite → ambiguous): "yes"/"no" standing as an answer — at the start of the text or of a sentence or clause, after a
 *     conclusion word ("so yes", "therefore, no", "I think yes") — and followed by punctuation or the end ("No."
 *     "No, …"; "No abnormality" and "no idea" are not verdicts). "not yes" and hedges ("yes and no", "maybe yes")
 *     are not verdicts. All verdicts agree → that; they differ → the last one if a correction ("wait", "actually",
 *     "on second thought") or a conclusion word precedes it, else ambiguous.
 *  2. Uncertainty without a verdict ("no idea", "not sure", "cannot be determined") → nothing.
 *  3. Statements read against the question (yes-no-question.ts): the clauses that mention the asked subject
 *     (sentences cut at ". ; :" and at "but / however / although / whereas"); each is read as yes, no, unsure or
 *     nothing (see clausePolarity). Any unsure → nothing; all agree → that; they differ → the last conclusion
 *     sentence's reading if it has one, else ambiguous. Bare clauses "Normal." / "Abnormal." / "Present." /
 *     "Absent." / "None." count without naming the subject. Without a question only existence statements count
 *     ("There is no evidence of fracture." → no).
 * Chinese text goes to yes-no-zh.ts.
 */
import { hasCjk } from './normalize.js';
import { stripMarkdown } from './response-text.js';
import { ORGAN, parseYesNoQuestion, sameWord, type YesNo, type YesNoQuestion } from './yes-no-question.js';
import { readYesNoZh } from './yes-no-zh.js';


export function readYesNo(text: string, question?: string): YesNo {
  const t = stripMarkdown(text).replace(/\s+/g, ' ').trim();
  if (!t) return null;
  const q = parseYesNoQuestion(question);
  if (hasCjk(t)) {
    const zh = readYesNoZh(t, q);
    if (zh !== null || !/[a-z]{2}/i.test(t)) return zh;
  }
  const v = verdict(t);
  if (v !== null) {
    // "Yes, the liver is abnormal." for "Is the liver normal?": the verdict contradicts its own statement
    const said = v === 'ambiguous' || !q ? null : statements(t, q);
    return said === 'yes' || said === 'no' ? (said === v ? v : 'ambiguous') : v;
  }
  if (UNSURE.test(t)) return null;
  return statements(t, q);
}

const UNSURE = /\b(?:no idea|not sure|unsure|uncertain|unclear|unknown whether|indeterminate|can(?:not|'t| not) (?:be )?(?:determine|determined|tell|say|confirm|assess|evaluate|be sure)|(?:hard|difficult|impossible) to (?:say|tell|determine|assess)|insufficient|not enough information|unable to|may or may not)\b/i;
const CORRECTION = /\b(?:wait|actually|on second thought|on reflection|on closer (?:look|inspection)|looking (?:again|more closely)|re-?(?:examining|checking|considering)|correction|scratch that|i was wrong|mistake)\b/i;
const CONCLUSION = /\b(?:so|therefore|thus|hence|overall|in conclusion|in summary|in short|to conclude|to summari[sz]e|final(?:ly)?|conclusion)\b/i;
/** What may stand right before a verdict word. */
const VERDICT_BEFORE = /(?:^|[.!?;:(\[—–]|\s-|\b(?:so|therefore|thus|hence|then|overall|conclusion|summary|short|answer|answer is|say|think|believe|guess|would be)|\b(?:probably|likely|most likely|definitely|clearly|certainly)|,)\s*["'“]?$/i;
const HEDGED_BEFORE = /\b(?:possibly|maybe|perhaps|might be|could be|not)\s*["'“]?$/i;

interface Verdict { word: 'yes' | 'no'; index: number }

function verdict(t: string): YesNo {
  const found: Verdict[] = [];
  for (const m of t.matchAll(/\b(yes|no)\b/gi)) {
    const before = t.slice(Math.max(0, m.index - 40), m.index);
    const after = t.slice(m.index + m[0].length);
    const word = m[1]!.toLowerCase() as 'yes' | 'no';
    if (/^\s*(?:\/|or\b|and\b|,\s*(?:and|or)\b)\s*(?:yes|no)\b/i.test(after) || /\b(?:yes|no)\s*(?:\/|or|and)\s*$/i.test(before)) continue;
    if (HEDGED_BEFORE.test(before) || !VERDICT_BEFORE.test(before)) continue;
    const punctAfter = /^\s*["'”]?\s*(?:[.,!;:)\]—–]|$)/.test(after);
    if (!punctAfter && !(word === 'yes' && /^\s+(?:there|it|the|this|that|they|i|we|an?)\b/i.test(after))) continue;
    found.push({ word, index: m.index });
  }
  if (found.length === 0) return null;
  const last = found.at(-1)!;
  if (found.every((f) => f.word === last.word)) return last.word;
  const previous = [...found].reverse().find((f) => f.word !== last.word)!;
  const between = t.slice(previous.index + 2, last.index + 3);
  return CORRECTION.test(between) || CONCLUSION.test(t.slice(Math.max(previous.index + 2, last.index - 30), last.index)) ? last.word : 'ambiguous';
}

type Polarity = 'yes' | 'no' | 'unsure' | null;
interface Clause { text: string; conclusion: boolean }

function clauses(t: string): Clause[] {
  const out: Clause[] = [];
  for (const sentence of t.split(/(?<=[.!?;])\s+|\n+/)) {
    const conclusion = /^\W*(?:so|therefore|thus|hence|overall|in conclusion|in summary|in short|to conclude|final)/i.test(sentence);
    for (const c of sentence.split(/[;:—–]|,?\s+\b(?:but|however|although|though|whereas|while|yet)\b/i)) {
      if (c.trim()) out.push({ text: c.trim().toLowerCase(), conclusion });
    }
  }
  return out;
}

function statements(t: string, q: YesNoQuestion | null): YesNo {
  const read = clauses(t).map((c) => ({ ...c, p: clausePolarity(c.text, q) })).filter((c) => c.p !== null);
  if (read.length === 0) return null;
  if (read.some((c) => c.p === 'unsure')) return null;
  const first = read[0]!.p;
  if (read.every((c) => c.p === first)) return first as 'yes' | 'no';
  const concluded = read.filter((c) => c.conclusion);
  if (concluded.length > 0 && concluded.every((c) => c.p === concluded[0]!.p)) return concluded[0]!.p as 'yes' | 'no';
  return 'ambiguous';
}

const HEDGE = /\b(?:may|might|could|possibl[ey]|perhaps|maybe|suspicious|suspected|suspect|questionable|equivocal|uncertain|unclear|likely|probabl[ey]|suggest\w*|cannot (?:be )?(?:excluded|ruled out)|can't be (?:excluded|ruled out)|not (?:sure|certain)|difficult|hard to|seems?|subtle|borderline)\b|\?/;
const NEGATION = /\b(?:no|not|without|absent|absence|negative|free of|none|neither|nor|lack|lacks|lacking|ruled out|excluded|cannot see|can't see|do not see|don't see|n't)\b|n't\b/;
const AFTER_NEGATED = /^[\w\s-]{0,40}?\b(?:is|are|was|were)\s+(?:not\b|absent\b|ruled out\b|excluded\b)|^\s*(?:absent|not (?:seen|present|visible|identified|noted|evident))\b/;
const EXISTS = /\bthere (?:is|are|was|were)\b|\b(?:is|are|was|were)\s+(?:seen|present|visible|noted|identified|evident|demonstrated|observed|shown|depicted|found|detected)\b|\bpresent\b|\b(?:shows?|showing|demonstrat\w*|reveal\w*|contains?|containing|depicts?|has|have|with)\b|\bpositive for\b|\b(?:consistent|compatible) with\b|\bin keeping with\b|\bevidence of\b|\bindicat(?:es?|ing)\b|\brepresent(?:s|ing)\b/;
const BARE_PRESENCE: Record<string, 'yes' | 'no'> = {
  present: 'yes', positive: 'yes', seen: 'yes', visible: 'yes', 'it is present': 'yes', 'yes it is present': 'yes',
  absent: 'no', none: 'no', negative: 'no', 'not seen': 'no', 'not present': 'no', 'not visible': 'no', 'it is absent': 'no',
};

/** The reading of one clause (lowercase) against the question. */
function clausePolarity(c: string, q: YesNoQuestion | null): Polarity {
  const bare = c.replace(/[^\p{L}\s]/gu, ' ').replace(/\s+/g, ' ').trim();
  if (!q) return existence(c);
  if (q.kind === 'normal' || q.kind === 'abnormal') {
    const p = normality(c, bare, q);
    return p === null || p === 'unsure' || q.kind === 'normal' ? p : p === 'yes' ? 'no' : 'yes';
  }
  if (q.kind === 'presence') {
    if (bare in BARE_PRESENCE) return BARE_PRESENCE[bare]!;
    const at = keyIndex(c, q);
    if (at < 0) return null;
    if (HEDGE.test(c) || /\b(?:appears?|seems?) to (?:be|have)\b/.test(c)) return 'unsure';
    if (NEGATION.test(c.slice(0, at)) || AFTER_NEGATED.test(c.slice(at))) return 'no';
    return EXISTS.test(c) ? 'yes' : null;
  }
  return predicate(c, bare, q);
}

/** Index of the subject in the clause: every key must be mentioned (as a word); -1 when not, or the wrong side. */
function keyIndex(c: string, q: YesNoQuestion): number {
  const words = [...c.matchAll(/[\p{L}\p{N}]+/gu)];
  if (q.side && !words.some((w) => w[0] === q.side) && words.some((w) => w[0] === (q.side === 'left' ? 'right' : 'left'))) return -1;
  let first = -1;
  for (const key of q.keys) {
    const hit = words.find((w) => sameWord(w[0], key) || ORGAN_ADJECTIVE[w[0]] === key.replace(/s$/, ''));
    if (!hit) return -1;
    if (first < 0 || hit.index < first) first = hit.index;
  }
  return q.keys.length ? first : 0;
}

/** "hepatic" names the liver, "renal" the kidney… so "a mass in the right hepatic lobe" is about the liver. */
const ORGAN_ADJECTIVE: Record<string, string> = {
  hepatic: 'liver', renal: 'kidney', splenic: 'spleen', pulmonary: 'lung', cardiac: 'heart', cerebral: 'brain',
  pancreatic: 'pancreas', gastric: 'stomach', osseous: 'bone', vertebral: 'spine', colonic: 'colon', pleural: 'pleura',
};
const NORMAL_WORDS = /^(?:it |this |the image |the study |the scan |everything |overall |findings )?(?:is |are |appears |looks |seems )?(?:completely |entirely |essentially )?(normal|unremarkable|healthy|abnormal|not normal|not healthy|unhealthy)(?: study| image| scan| findings)?$/;
const NO_FINDING = /\b(?:no|without|free of|negative for|not any)\s+(?:\w+\s+){0,3}?(?:abnormal\w*|lesions?|mass(?:es)?|patholog\w*|findings?|disease|tumou?rs?|fractures?|nodules?|effusions?)\b/;
const FINDING = /\b(?:there (?:is|are)|shows?|demonstrates?|reveals?|contains?|has|with)\s+(?:\w+\s+){0,4}?(?:lesions?|mass(?:es)?|tumou?rs?|fractures?|effusions?|nodules?|cysts?|ha?emorrhage|infarcts?|metasta\w*|enlarge\w*|opacit\w*|consolidation|pneumothorax|abnormal\w*)\b/;

/** Normal → 'yes', abnormal → 'no' (the caller inverts for "abnormal" questions). */
function normality(c: string, bare: string, q: YesNoQuestion): Polarity {
  const bareMatch = NORMAL_WORDS.exec(bare);
  const mentions = q.keys.length === 0 || keyIndex(c, q) >= 0 || !ORGAN.test(c);
  if (!mentions && !bareMatch) return null;
  if (HEDGE.test(c)) return 'unsure';
  if (/\bnot\s+(?:\w+\s+)?(?:normal|healthy)\b|\bunhealthy\b/.test(c)) return 'no';
  if (NO_FINDING.test(c)) return 'yes';
  if (/\babnormal\w*\b/.test(c) || FINDING.test(c)) return 'no';
  if (/\b(?:normal|unremarkable|healthy|within normal limits|clear)\b/.test(c)) return 'yes';
  return null;
}

/** Other questions: a clause naming every key word is a yes, unless negated. */
function predicate(c: string, bare: string, q: YesNoQuestion): Polarity {
  const last = q.keys.at(-1);
  const bareOnly = last !== undefined && bare.split(' ').every((w) => w === 'not' || q.keys.some((k) => sameWord(w, k)))
    && bare.split(' ').some((w) => sameWord(w, last));
  const at = keyIndex(c, q);
  if (!bareOnly && (at < 0 || q.keys.length === 0)) return null;
  if (HEDGE.test(c)) return 'unsure';
  return NEGATION.test(c) ? 'no' : 'yes';
}

/** Without a question: only existence statements ("There is no evidence of fracture", "A nodule is present"). */
function existence(c: string): Polarity {
  if (HEDGE.test(c)) return /\bthere (?:is|are)\b|\b(?:seen|present|visible)\b/.test(c) ? 'unsure' : null;
  if (/^(?:there (?:is|are|was|were) no|no)\b|\bnegative for\b|\b(?:is|are) (?:absent|not (?:seen|present|visible|identified))\b/.test(c)) return 'no';
  if (/\bthere (?:is|are|was|were)\b(?! no\b)|\b(?:is|are) (?:seen|present|visible|identified)\b|\bpositive for\b/.test(c)) return 'yes';
  return null;
}
