/**
 * Answer extraction ('chain', our default). The stages run in this order and the FIRST stage that finds something
 * decides; nothing is ever guessed (no random letter, no most-similar option):
 *
 *  0. Reasoning traces are removed: `<think>…</think>`, an unterminated `<think>` (truncated while thinking), text
 *     before a lone `</think>`. A separate `reasoning` field of the response is never searched.
 *     Nothing left → unparsed ('empty').
 *  1. The LAST `\boxed{…}` (nested braces, `\text{}` unwrapped). A non-empty box is the model's final answer: if it
 *     names no option ("\boxed{42}") or several ("\boxed{A, C}") the item is unparsed — earlier text is not searched.
 *  2. `<answer>…</answer>` (the last one; an unterminated final tag counts). Unresolvable → stages 3–6 run on the
 *     tag's content.
 *  3. The text after the last explicit trigger ("the answer is", "Answer:", "final answer", "I'd go with",
 *     "the most likely diagnosis is", "答案是", …, up to the end of that line): leading (or quoted) letter, option
 *     text, yes/no, or a single unmistakable letter mention. Several different letters → unparsed. "The answer is not
 *     A, it is C" → C. Failing a trigger, a conclusion names the letter: "C is the correct answer", "…, so C.",
 *     "This suggests B.", "it is C.", "Not A, but D" (never "D is not correct").
 *  3c. A self-correction after the answer ("Wait, actually looking again, it's A.") → the last committed answer; a
 *     withdrawal ("Wait, let me reconsider…") with no new answer → unparsed.
 *  4. Refusal ("I'm sorry", "I cannot determine", "as an AI", "无法确定"…) with no explicit answer → unparsed.
 *  5. Letters: a first or last line that is just a letter ("B", "(B)", "B.", "b", "B. Liver" when Liver is B's text;
 *     in an option review only a letter alone); a first line "A because …"; otherwise letters written as references
 *     ("(C)", "option C", a line starting "C."). Exactly one distinct letter → it; several → unparsed.
 *  6. Option text: the normalised response equals an option, else exactly one option occurs in it (whole words),
 *     options whose every mention is negated ("not T2-weighted") left out; modalities by their standard names.
 *  7. Yes/no (options exactly yes/no): yes-no.ts — verdicts in answer position, then statements read against the
 *     item's question ("No abnormality is seen in the liver" answers "Is the liver normal?" with yes); Chinese in
 *     yes-no-zh.ts, never from the first character.
 *
 * Examples (options A. Lung, B. Liver, C. Heart): "<think>maybe A</think>\boxed{B}" → B; "The answer is (C)." → C;
 * "**Answer:** b" → B; "It is the liver." → B; "A or C, hard to say" → unparsed; "I cannot determine this." → unparsed.
 */
import { AMBIGUOUS, letterMentions, matchOptionText, matchYesNo, resolveExplicit, isNegatedAfter, type Match } from './choice-match.js';
import { normalizeAnswer } from './normalize.js';
import {
  answerTag, committedSegment, correctionIn, isRefusal, lastBoxedAt, lastConcluded, lastTrigger, stripMarkdown, stripThinking,
} from './response-text.js';

/** Changelog: /1 first chain; /2 yes/no leading word and negations; /3 careful reading (issue 10): yes/no from
 * verdicts and statements read against the question, Chinese never from the first character, self-corrections,
 * negated options, more conclusion phrasings. */
export const CHAIN_EXTRACTION_ID = 'medvlm-chain/3';

export type ExtractionStage =
  | 'empty' | 'boxed' | 'answer-tag' | 'trigger' | 'refusal' | 'letter' | 'option-text' | 'yes-no' | 'none';

export interface Extraction {
  /** option letter (choices) or answer text (open); null = unparsed */
  answer: string | null;
  /** the stage that decided (for an unparsed answer: where extraction stopped) */
  stage: ExtractionStage;
  /** true when several different answers were found and none was picked */
  ambiguous?: boolean;
}

/** What the scorer knows about the item besides its options: the question (yes/no statements are read against it). */
export interface ExtractionContext {
  question?: string;
}

/** Extracts the chosen option letter from a multiple-choice response (see the chain above). */
export function extractChoice(content: string, choices: Record<string, string>, context: ExtractionContext = {}): Extraction {
  const q = context.question;
  const text = stripThinking(content);
  if (!text) return { answer: null, stage: 'empty' };
  const boxed = lastBoxedAt(text);
  if (boxed?.content) return corrected(decided(resolveExplicit(boxed.content, choices, q), 'boxed'), boxed.tail, choices, q);
  const tag = answerTag(text);
  if (tag) {
    const m = resolveExplicit(tag, choices, q);
    if (m !== null) return decided(m, 'answer-tag');
    return extractImplicit(tag, choices, q);
  }
  return extractImplicit(text, choices, q);
}

/** Stages 3–7, on text without a box. */
function extractImplicit(text: string, choices: Record<string, string>, q: string | undefined): Extraction {
  const trigger = lastTrigger(text);
  if (trigger) {
    const m = resolveExplicit(trigger.segment, choices, q);
    if (m !== null) return corrected(decided(m, 'trigger'), trigger.tail, choices, q);
  }
  const concluded = lastConcluded(text);
  if (concluded && concluded.letter in choices) return corrected({ answer: concluded.letter, stage: 'trigger' }, concluded.tail, choices, q);
  if (isRefusal(text)) return { answer: null, stage: 'refusal' };
  const letter = bareLetter(text, choices);
  if (letter !== null) return corrected(decided(letter, 'letter'), afterLastMention(text, letter), choices, q);
  const byText = matchOptionText(text, choices);
  if (byText !== null) return decided(byText, 'option-text');
  const yn = matchYesNo(text, choices, q);
  if (yn !== null) return decided(yn, 'yes-no');
  return { answer: null, stage: 'none' };
}

/**
 * "The answer is B. Wait, actually looking again, it's A." → A: after a self-correction the last committed answer
 * wins. A withdrawal ("Wait, let me reconsider…") with no new answer leaves the item unparsed; a mere "Actually, …"
 * with no new answer keeps the earlier one.
 */
function corrected(found: Extraction, tail: string, choices: Record<string, string>, q: string | undefined): Extraction {
  if (found.answer === null) return found;
  const c = correctionIn(tail);
  if (!c) return found;
  const again = recommitted(c.after, choices, q);
  if (again === AMBIGUOUS) return { answer: null, stage: found.stage, ambiguous: true };
  if (again !== null) return { answer: again, stage: found.stage };
  return c.strong ? { answer: null, stage: found.stage, ambiguous: true } : found;
}

function recommitted(after: string, choices: Record<string, string>, q: string | undefined): Match {
  const box = lastBoxedAt(after);
  if (box?.content) return resolveExplicit(box.content, choices, q);
  const trigger = lastTrigger(after);
  if (trigger) {
    const m = resolveExplicit(trigger.segment, choices, q);
    if (m !== null) return m;
  }
  const concluded = lastConcluded(after);
  if (concluded && concluded.letter in choices) return concluded.letter;
  const seg = committedSegment(after);
  if (seg) {
    const m = resolveExplicit(seg, choices, q);
    if (m !== null) return m;
  }
  const finalLetter = /(?:^|[.!?,:;—–-]\s*)\(?([A-Z])\)?[.!]?\s*$/.exec(stripMarkdown(after).trim());
  if (finalLetter && finalLetter[1]! in choices) return finalLetter[1]!;
  const byText = matchOptionText(after, choices);
  return byText !== null ? byText : matchYesNo(after, choices, q);
}

/** The text after the last place the letter is written (where a correction of it would be). */
function afterLastMention(text: string, letter: string | typeof AMBIGUOUS): string {
  if (typeof letter !== 'string') return '';
  const hits = [...text.matchAll(new RegExp(`(?<![A-Za-z])${letter}(?![A-Za-z])`, 'g'))];
  const last = hits.at(-1);
  return last ? text.slice(last.index + 1) : '';
}

function bareLetter(text: string, choices: Record<string, string>): Match {
  const lines = stripMarkdown(text).split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
  // in an option review ("A. Lung - clear\nB. Liver - …") a line "D. Kidney" restates an option: only a letter alone counts
  const review = new Set(lines.map((l) => /^[([]?([A-Z])[.):\]]/.exec(l)?.[1]).filter((x) => x !== undefined)).size > 1;
  const bare = (l: string) => (review ? (/^[([]?[A-Za-z][.)\]]?$/.test(l) ? bareLine(l, choices) : null) : bareLine(l, choices));
  const first = bare(lines[0] ?? '');
  const last = bare(lines.at(-1) ?? '');
  if (first && last && first !== last) return AMBIGUOUS;
  if (first || last) return (first ?? last)!;
  const reasoned = leadingReasonLetter(lines, choices);
  if (reasoned) return reasoned;
  const mentions = letterMentions(text, choices);
  if (mentions.size === 1) return [...mentions][0]!;
  return mentions.size > 1 ? AMBIGUOUS : null;
}

/** A line that is only a letter ("B", "(b)", "B.") or a letter followed by exactly that option's text. */
function bareLine(line: string, choices: Record<string, string>): string | null {
  const m = /^[([]?([A-Za-z])(?:[.)。:：\]]|(?=\s|$))\s*(.*)$/.exec(line);
  if (!m) return null;
  const letter = m[1]!.toUpperCase();
  if (!(letter in choices)) return null;
  const rest = m[2]!.trim();
  if (rest === '') return letter;
  return normalizeAnswer(rest) === normalizeAnswer(choices[letter]!) ? letter : null;
}

/**
 * A first line that opens with a letter and then gives the reason: "A because of the sonographic Murphy sign.",
 * "C — the silhouette is enlarged", "B, since …". Not when other lines start with other letters (an option review).
 */
function leadingReasonLetter(lines: string[], choices: Record<string, string>): string | null {
  const m = /^[("'“]?([A-Z])[)"'”]?(?:\s*[,:.]?\s+(?:because|since|as|given|due to)\b|\s*(?:[—–]|\s-)\s|\s*,\s)/.exec(lines[0] ?? '');
  if (!m || !(m[1]! in choices) || isNegatedAfter(lines[0]!.slice(m[1]!.length + 1))) return null;
  const others = lines.slice(1).some((l) => { const o = /^[([]?([A-Z])[.):\]]/.exec(l); return o !== null && o[1] !== m[1]; });
  return others ? null : m[1]!;
}

function decided(m: Match, stage: ExtractionStage): Extraction {
  if (m === AMBIGUOUS) return { answer: null, stage, ambiguous: true };
  return { answer: m, stage };
}

/**
 * The answer text of an open-ended response: stage 0, then the last box, the <answer> tag, the text after the last
 * trigger, a refusal (→ null), else the whole remaining response. Trailing sentence punctuation is dropped.
 */
export function extractOpenAnswer(content: string): Extraction {
  const text = stripThinking(content);
  if (!text) return { answer: null, stage: 'empty' };
  const pick = (s: string | null, stage: ExtractionStage): Extraction | null => {
    const t = s?.trim().replace(/[.。!！\s]+$/u, '') ?? '';
    return t ? { answer: t, stage } : null;
  };
  const boxed = lastBoxedAt(text)?.content ?? null;
  if (boxed !== null) return pick(boxed, 'boxed') ?? { answer: null, stage: 'boxed' };
  const tag = answerTag(text);
  const within = tag ?? text;
  const fromTrigger = pick(lastTrigger(within)?.segment ?? null, 'trigger');
  if (fromTrigger) return fromTrigger;
  if (isRefusal(within)) return { answer: null, stage: 'refusal' };
  return pick(stripMarkdown(within), tag ? 'answer-tag' : 'none') ?? { answer: null, stage: 'empty' };
}
