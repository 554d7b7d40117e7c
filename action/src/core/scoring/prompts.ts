/**
 * Prompt templates: the user text sent after the item's images. Versioned per protocol; the version is part of every
 * dataset fingerprint, so a template change makes old and new results incomparable by construction.
 *
 * Changelog (bump PROMPT_VERSION[protocol] on ANY change to a template that protocol uses):
 *   paper v1, full v1 — initial templates (chain-of-thought, final answer inside \boxed{}).
 *
 * Layout of a multiple-choice prompt (English; `{options}` are lines "A. text"):
 *   {question}\n\nOptions:\n{options}\n\n{MCQ_INSTRUCTION}
 * When the question already lists its choices (MedXpertQA: "Answer Choices: (A) …") the Options block is left out,
 * so choices never appear twice. MMMU's `<image n>` placeholders are part of the question and stay as they are.
 * Open items (full protocol only): {question}\n\n{OPEN_INSTRUCTION}
 * Chinese items (SLAKE zh) use the Chinese wording of the same templates.
 */
import type { Protocol } from '../../../../schemas/results.js';

export const PROMPT_VERSION: Record<Protocol, number> = { paper: 1, full: 1 };

export type PromptLanguage = 'en' | 'zh';

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

export function buildMcqPrompt(
  question: string, choices: Record<string, string>, opts: { optionsInQuestion: boolean; language: PromptLanguage },
): string {
  const t = TEMPLATES[opts.language];
  const parts = [question.trim()];
  if (!opts.optionsInQuestion) {
    parts.push([t.optionsHeader, ...Object.entries(choices).map(([letter, text]) => `${letter}. ${text}`)].join('\n'));
  }
  parts.push(t.mcqInstruction);
  return parts.join('\n\n');
}

export function buildOpenPrompt(question: string, language: PromptLanguage): string {
  return `${question.trim()}\n\n${TEMPLATES[language].openInstruction}`;
}
