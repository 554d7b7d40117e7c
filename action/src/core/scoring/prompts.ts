/**
 * Prompt templates: the user text sent after the item's images. Versioned per protocol; the version is part of every
 * dataset fingerprint, so a template change makes old and new results incomparable by construction.
 *
 * Changelog (bump PROMPT_VERSION[protocol] on ANY change to a template that protocol uses):
 *   paper v1, full v1 — initial templates (chain-of-thought, final answer inside \boxed{}).
 *   paper v2, full v2, closed v2 — benchmarks scored with the official MMMU rules (mmmu-med) get MMMU's own prompt;
 *     `closed` starts at 2 because its templates are those of paper v2.
 *
 * Layout of a multiple-choice prompt (English; `{options}` are lines "A. text"):
 *   {question}\n\nOptions:\n{options}\n\n{MCQ_INSTRUCTION}
 * When the question already lists its choices (MedXpertQA: "Answer Choices: (A) …") the Options block is left out,
 * so choices never appear twice. MMMU's `<image n>` placeholders are part of the question and stay as they are.
 * Open items (full protocol only): {question}\n\n{OPEN_INSTRUCTION}
 * Chinese items (SLAKE zh) use the Chinese wording of the same templates.
 *
 * Style 'mmmu' (benchmarks scored with the official MMMU parser): MMMU's own prompt, as built by construct_prompt in
 * MMMU-Benchmark/MMMU (mmmu/utils/data_utils.py) with the format strings of its configs/llava1.5.yaml, whose YAML
 * folding leaves single newlines: "{question}\n(A) text\n(B) text\n\nAnswer with the option's letter from the
 * given choices directly." and, open, "{question}\nAnswer the question using a single word or phrase.". Those rules
 * look for "(A)" and " A ", so the options are shown the way the parser expects them.
 */
import type { Protocol } from '../../../../schemas/results.js';

export const PROMPT_VERSION: Record<Protocol, number> = { paper: 2, closed: 2, full: 2 };

export type PromptLanguage = 'en' | 'zh';
export type PromptStyle = 'default' | 'mmmu';

interface PromptOptions { optionsInQuestion?: boolean; language: PromptLanguage; style?: PromptStyle }

export const MMMU_TEMPLATES = {
  mcqInstruction: "Answer with the option's letter from the given choices directly.",
  openInstruction: 'Answer the question using a single word or phrase.',
} as const;

interface Template {
  optionsHeader: string;
  mcqInstruction: string;
  openInstruction: string;
}

export const TEMPLATES: Record<PromptLanguage, Template> = {
  en: {
    optionsHeader: 'Options:',
    mcqInstruction:
      'Think through the question step by step. Then give your final answer as the letter of the correct option inside \\boxed{}.',
    openInstruction:
      'Think through the question step by step. Then give your final answer, a single word or short phrase, inside \\boxed{}.',
  },
  zh: {
    optionsHeader: '选项：',
    mcqInstruction: '请逐步思考，然后把正确选项的字母放在 \\boxed{} 中作为最终答案。',
    openInstruction: '请逐步思考，然后把最终答案（一个词或短语）放在 \\boxed{} 中。',
  },
};

export function buildMcqPrompt(question: string, choices: Record<string, string>, opts: PromptOptions): string {
  if (opts.style === 'mmmu') return buildMmmuMcqPrompt(question, choices);
  const t = TEMPLATES[opts.language];
  const parts = [question.trim()];
  if (!opts.optionsInQuestion) {
    parts.push([t.optionsHeader, ...Object.entries(choices).map(([letter, text]) => `${letter}. ${text}`)].join('\n'));
  }
  parts.push(t.mcqInstruction);
  return parts.join('\n\n');
}

export function buildOpenPrompt(question: string, opts: PromptOptions): string {
  if (opts.style === 'mmmu') return `${question.trim()}\n${MMMU_TEMPLATES.openInstruction}`;
  return `${question.trim()}\n\n${TEMPLATES[opts.language].openInstruction}`;
}

/** MMMU's construct_prompt: one "(X) text\n" line per option after the question, then its instruction. */
function buildMmmuMcqPrompt(question: string, choices: Record<string, string>): string {
  const example = Object.entries(choices).map(([letter, text]) => `(${letter}) ${text}\n`).join('');
  return `${question.trim()}\n${example}\n${MMMU_TEMPLATES.mcqInstruction}`;
}
