/**
 * Protocols: how a loaded Sample becomes a scored item (choices, gold, prompt) or an exclusion with a reason.
 *
 * paper (default, the seed paper's protocol): every scored item is multiple choice, on the paper's subsets.
 *   - native multiple-choice items keep their options; the gold must be one of the letters (or, tolerated, the exact
 *     text of exactly one option) → else excluded 'gold-not-in-options';
 *   - closed items without options: the benchmark's paper subset (paper-subsets.ts). VQA-RAD and PathVQA score the
 *     yes/no items only (other closed items → 'closed-not-yes-no'); SLAKE scores every closed item; others as closed;
 *   - open items → excluded 'open-ended'.
 * closed: every closed item whose options can be derived, on every benchmark (the rule `paper` had before it
 *   followed the paper's subsets): yes/no → A. yes / B. no (A. 是 / B. 否), "… X or Y?" → the alternatives
 *   (closed-choices.ts); other closed items → 'closed-not-binary'; open items → 'open-ended'.
 * full: everything is scored.
 *   - multiple-choice and derivable closed items exactly as in closed (same prompt, same gold);
 *   - closed items without derivable options ("Which is bigger, kidney or spleen?" answered "Liver") are scored as
 *     short-answer open items: the gold is the reference text, metrics are the open ones. We chose this over
 *     excluding them because 'full' promises every item is scored, and over inventing distractors because any
 *     invented option set would be ours, not the dataset's;
 *   - open items → open prompt, open metrics.
 * Benchmarks scored with the official MMMU rules get MMMU's own prompt ("(A) text" options; prompts.ts).
 */
import type { Protocol } from '../../../../schemas/results.js';
import type { Sample } from '../benchmarks/types.js';
import { deriveAlternatives, yesNoPolarity } from './closed-choices.js';
import { hasCjk, normalizeAnswer } from './normalize.js';
import { alternativesPlusGold, paperClosedRule } from './paper-subsets.js';
import { buildMcqPrompt, buildOpenPrompt, type PromptLanguage, type PromptStyle } from './prompts.js';

export { PROMPT_VERSION } from './prompts.js';

export interface PreparedItem {
  /** position among the benchmark's scored items (canonical order) */
  index: number;
  sample: Sample;
  kind: 'mcq' | 'open';
  /** letter → text (mcq), null (open) */
  choices: Record<string, string> | null;
  /** letter (mcq) or reference text (open) */
  gold: string;
  /** the user text sent after the images (built on each read, never stored: 100k prompts would cost ~30 MB) */
  readonly prompt: string;
}

export type ExclusionReason =
  'open-ended' | 'closed-not-binary' | 'closed-not-yes-no' | 'gold-not-in-options' | 'too-few-options';

export interface Exclusion {
  sample: Sample;
  reason: ExclusionReason | string;
}

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const YES_NO: Record<PromptLanguage, Record<string, string>> = { en: { A: 'yes', B: 'no' }, zh: { A: '是', B: '否' } };

/** What preparing an item needs from its benchmark's definition (structural, so scoring does not import define.ts). */
export interface ItemRules { id: string; scorer: { promptStyle: PromptStyle } }

export function prepareItem(sample: Sample, protocol: Protocol, def: ItemRules, index: number): PreparedItem | Exclusion {
  const ctx: Ctx = { index, language: sampleLanguage(sample), style: promptStyle(def) };
  if (sample.options && Object.keys(sample.options).length > 0) return nativeMcq(sample, ctx);
  if (sample.answerType !== 'closed') return protocol === 'full' ? openItem(sample, ctx) : { sample, reason: 'open-ended' };
  const derived = deriveClosedChoices(sample, ctx.language);
  if (protocol === 'paper') return paperClosed(sample, ctx, derived, paperClosedRule(def.id));
  if (derived) return mcqItem(sample, ctx, derived.choices, derived.gold);
  return protocol === 'full' ? openItem(sample, ctx) : { sample, reason: 'closed-not-binary' };
}

interface Ctx { index: number; language: PromptLanguage; style: PromptStyle }

/** MMMU's own prompt for the benchmarks scored with its official rules, ours elsewhere: the scorer says which. */
function promptStyle(def: ItemRules): PromptStyle {
  return def.scorer.promptStyle;
}

function paperClosed(
  sample: Sample, ctx: Ctx, derived: ReturnType<typeof deriveClosedChoices>, rule: ReturnType<typeof paperClosedRule>,
): PreparedItem | Exclusion {
  if (rule === 'yes-no') {
    return derived && isYesNo(derived.choices) ? mcqItem(sample, ctx, derived.choices, derived.gold) : { sample, reason: 'closed-not-yes-no' };
  }
  if (derived) return mcqItem(sample, ctx, derived.choices, derived.gold);
  const withGold = rule === 'all-closed' ? alternativesPlusGold(sample) : null;
  if (!withGold) return { sample, reason: 'closed-not-binary' };
  const choices = Object.fromEntries(withGold.map((a, i) => [LETTERS[i]!, a]));
  return mcqItem(sample, ctx, choices, LETTERS[withGold.length - 1]!);
}

function isYesNo(choices: Record<string, string>): boolean {
  return Object.keys(choices).length === 2 && (choices.A === YES_NO.en.A || choices.A === YES_NO.zh.A);
}

export function isExclusion(x: PreparedItem | Exclusion): x is Exclusion {
  return 'reason' in x;
}

/** Options for a closed item without options: yes/no first, then "X or Y" alternatives; null when neither applies. */
export function deriveClosedChoices(
  sample: Sample, language: PromptLanguage = sampleLanguage(sample),
): { choices: Record<string, string>; gold: string } | null {
  const polarity = yesNoPolarity(sample.answer, sample.question);
  if (polarity) return { choices: YES_NO[language], gold: polarity === 'yes' ? 'A' : 'B' };
  const alternatives = deriveAlternatives(sample.question, sample.answer);
  if (!alternatives) return null;
  const choices = Object.fromEntries(alternatives.map((a, i) => [LETTERS[i]!, a]));
  const goldNorm = normalizeAnswer(sample.answer);
  const gold = LETTERS[alternatives.findIndex((a) => normalizeAnswer(a) === goldNorm)]!;
  return { choices, gold };
}

/** 'zh' when metadata.language (or metadata.lang) says so, or, absent that, when the question contains CJK text. */
export function sampleLanguage(sample: Sample): PromptLanguage {
  const declared = sample.metadata.language ?? sample.metadata.lang;
  if (typeof declared === 'string' && declared.length > 0) return declared.toLowerCase().startsWith('zh') ? 'zh' : 'en';
  return hasCjk(sample.question) ? 'zh' : 'en';
}

function nativeMcq(sample: Sample, ctx: Ctx): PreparedItem | Exclusion {
  const options = sample.options!;
  if (Object.keys(options).length < 2) return { sample, reason: 'too-few-options' };
  const gold = resolveGoldLetter(options, sample.answer);
  if (!gold) return { sample, reason: 'gold-not-in-options' };
  return mcqItem(sample, ctx, options, gold);
}

/** The gold letter: the answer itself when it is an option letter, else the letter of the one option it spells out. */
function resolveGoldLetter(options: Record<string, string>, answer: string): string | null {
  const letter = answer.trim().replace(/^\(?([A-Za-z])[).:]?$/, '$1').toUpperCase();
  if (letter.length === 1 && letter in options) return letter;
  const norm = normalizeAnswer(answer);
  const hits = Object.entries(options).filter(([, text]) => normalizeAnswer(text) === norm);
  return hits.length === 1 ? hits[0]![0] : null;
}

/**
 * A scored item whose prompt is a getter on the prototype: the text is rebuilt from the sample on every read
 * (a few hundred ns), so a prepared 100,000-item benchmark holds no prompt strings and no per-item closures.
 */
class Item implements PreparedItem {
  readonly #language: PromptLanguage;
  readonly #style: PromptStyle;
  constructor(
    readonly index: number, readonly sample: Sample, readonly kind: 'mcq' | 'open',
    readonly choices: Record<string, string> | null, readonly gold: string, language: PromptLanguage, style: PromptStyle,
  ) {
    this.#language = language;
    this.#style = style;
  }

  get prompt(): string {
    const s = this.sample;
    const opts = { optionsInQuestion: s.optionsInQuestion === true, language: this.#language, style: this.#style };
    if (this.kind === 'open' || !this.choices) return buildOpenPrompt(s.question, opts);
    return buildMcqPrompt(s.question, this.choices, opts);
  }
}

function mcqItem(sample: Sample, ctx: Ctx, choices: Record<string, string>, gold: string): PreparedItem {
  return new Item(ctx.index, sample, 'mcq', choices, gold, ctx.language, ctx.style);
}

function openItem(sample: Sample, ctx: Ctx): PreparedItem {
  return new Item(ctx.index, sample, 'open', null, sample.answer.trim(), ctx.language, ctx.style);
}
