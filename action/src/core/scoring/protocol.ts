/**
 * Protocols: how a loaded Sample becomes a scored item (choices, gold, prompt) or an exclusion with a reason.
 *
 * paper (default, the seed paper's protocol): every scored item is multiple choice.
 *   - native multiple-choice items keep their options; the gold must be one of the letters (or, tolerated, the exact
 *     text of exactly one option) → else excluded 'gold-not-in-options';
 *   - closed yes/no items get A. yes / B. no (A. 是 / B. 否 in Chinese), always in that order;
 *   - closed "… X or Y?" items whose gold is X or Y get those alternatives as options (closed-choices.ts);
 *   - other closed items → excluded 'closed-not-binary'; open items → excluded 'open-ended'.
 * full: everything is scored.
 *   - multiple-choice and derivable closed items exactly as in paper (same prompt, same gold);
 *   - closed items without derivable options ("Which is bigger, kidney or spleen?" answered "Liver") are scored as
 *     short-answer open items: the gold is the reference text, metrics are the open ones. We chose this over
 *     excluding them because 'full' promises every item is scored, and over inventing distractors because any
 *     invented option set would be ours, not the dataset's;
 *   - open items → open prompt, open metrics.
 */
import type { Protocol } from '../../../../schemas/results.js';
import type { BenchmarkDef, Sample } from '../benchmarks/types.js';
import { deriveAlternatives, yesNoPolarity } from './closed-choices.js';
import { hasCjk, normalizeAnswer } from './normalize.js';
import { buildMcqPrompt, buildOpenPrompt, type PromptLanguage } from './prompts.js';

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

export type ExclusionReason = 'open-ended' | 'closed-not-binary' | 'gold-not-in-options' | 'too-few-options';

export interface Exclusion {
  sample: Sample;
  reason: ExclusionReason | string;
}

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const YES_NO: Record<PromptLanguage, Record<string, string>> = { en: { A: 'yes', B: 'no' }, zh: { A: '是', B: '否' } };

export function prepareItem(sample: Sample, protocol: Protocol, _def: BenchmarkDef, index: number): PreparedItem | Exclusion {
  const language = sampleLanguage(sample);
  if (sample.options && Object.keys(sample.options).length > 0) return nativeMcq(sample, index, language);
  if (sample.answerType === 'closed') {
    const derived = deriveClosedChoices(sample, language);
    if (derived) return mcqItem(sample, index, derived.choices, derived.gold, language);
    if (protocol === 'paper') return { sample, reason: 'closed-not-binary' };
    return openItem(sample, index, language);
  }
  if (protocol === 'paper') return { sample, reason: 'open-ended' };
  return openItem(sample, index, language);
}

export function isExclusion(x: PreparedItem | Exclusion): x is Exclusion {
  return 'reason' in x;
}

/** Options for a closed item without options: yes/no first, then "X or Y" alternatives; null when neither applies. */
export function deriveClosedChoices(
  sample: Sample, language: PromptLanguage = sampleLanguage(sample),
): { choices: Record<string, string>; gold: string } | null {
  const polarity = yesNoPolarity(sample.answer);
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

function nativeMcq(sample: Sample, index: number, language: PromptLanguage): PreparedItem | Exclusion {
  const options = sample.options!;
  if (Object.keys(options).length < 2) return { sample, reason: 'too-few-options' };
  const gold = resolveGoldLetter(options, sample.answer);
  if (!gold) return { sample, reason: 'gold-not-in-options' };
  return mcqItem(sample, index, options, gold, language);
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
  constructor(
    readonly index: number, readonly sample: Sample, readonly kind: 'mcq' | 'open',
    readonly choices: Record<string, string> | null, readonly gold: string, language: PromptLanguage,
  ) {
    this.#language = language;
  }

  get prompt(): string {
    const s = this.sample;
    if (this.kind === 'open' || !this.choices) return buildOpenPrompt(s.question, this.#language);
    return buildMcqPrompt(s.question, this.choices, { optionsInQuestion: s.optionsInQuestion === true, language: this.#language });
  }
}

function mcqItem(
  sample: Sample, index: number, choices: Record<string, string>, gold: string, language: PromptLanguage,
): PreparedItem {
  return new Item(index, sample, 'mcq', choices, gold, language);
}

function openItem(sample: Sample, index: number, language: PromptLanguage): PreparedItem {
  return new Item(index, sample, 'open', null, sample.answer.trim(), language);
}
