/**
 * LLM judge for open-ended items (full protocol, optional). The judge sees the question, the reference answer and
 * the model's answer — never the image — and gives a yes/no equivalence verdict. Its accuracy is reported as its own
 * metric, `open_judge_accuracy`, and never mixed into the rule-based open metrics.
 *
 * JUDGE_PROMPT_VERSION changelog (bump on any change to the text below or to parseVerdict):
 *   1: initial yes/no equivalence prompt.
 */
export const JUDGE_PROMPT_VERSION = 1;

/** Longest answer tail sent to the judge: enough for any concise answer, bounded for runaway outputs. */
const MAX_ANSWER_CHARS = 4000;

export function buildJudgePrompt(question: string, reference: string, answer: string): string {
  const tail = answer.length > MAX_ANSWER_CHARS ? `…${answer.slice(-MAX_ANSWER_CHARS)}` : answer;
  return [
    'You are grading a model\'s answer to a medical visual question by comparing it with the reference answer.',
    'You cannot see the image; judge only whether the two answers mean the same thing.',
    '',
    `Question: ${question}`,
    `Reference answer: ${reference}`,
    `Model answer: ${tail}`,
    '',
    'Does the model answer state the same finding as the reference answer? Synonyms, abbreviations, different',
    'wording and extra detail that is consistent with the reference count as the same. An answer that is different,',
    'contradicts the reference, hedges between several findings, or gives no answer does not.',
    'Reply with exactly one word: yes or no.',
  ].join('\n');
}

/** true/false for a clear verdict; null when the reply says neither (or both) — the item then stays unjudged. */
export function parseVerdict(reply: string): boolean | null {
  const text = reply.replace(/<think>[\s\S]*?(<\/think>|$)/gi, ' ').toLowerCase();
  const first = /^[\s*_`"'(\[]*(yes|no)\b/.exec(text);
  if (first) return first[1] === 'yes';
  const yes = /\byes\b/.test(text);
  const no = /\bno\b/.test(text);
  return yes !== no ? yes : null;
}
