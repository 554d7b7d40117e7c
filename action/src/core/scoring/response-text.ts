/**
 * Locating the answer inside a model response: the pieces of the extraction chain that are about *where* to look
 * (reasoning traces, \boxed{}, <answer> tags, trigger phrases, refusals), independent of what the answer is matched
 * against. extract.ts strings them together in the documented order.
 */

/**
 * Removes reasoning traces: every `<think>…</think>` block; an unterminated `<think>` (a response truncated while
 * thinking) removes everything after it; a lone `</think>` (chat templates that put the opening tag in the prompt)
 * keeps only what follows its last occurrence. A separate reasoning field is never passed here at all.
 */
export function stripThinking(content: string): string {
  let text = content.replace(/<think>[\s\S]*?<\/think>/gi, ' ');
  const lastClose = text.toLowerCase().lastIndexOf('</think>');
  if (lastClose >= 0) text = text.slice(lastClose + '</think>'.length);
  const open = text.toLowerCase().indexOf('<think>');
  if (open >= 0) text = text.slice(0, open);
  return text.trim();
}

/** Markdown emphasis, inline code and heading marks removed ("**Answer:** **B**" → "Answer: B"). */
export function stripMarkdown(text: string): string {
  return text.replace(/\*{1,3}|_{2,3}|`+/g, '').replace(/^#{1,6}\s*/gm, '');
}

/**
 * Content of the LAST `\boxed{…}` (also `\fbox{}`), with balanced nested braces; `\text{…}`-style wrappers inside are
 * unwrapped ("\boxed{\text{B. Lung}}" → "B. Lung"). Returns null when there is no complete box.
 */
export function lastBoxed(text: string): string | null {
  const re = /\\(?:boxed|fbox)\s*\{/g;
  let found: string | null = null;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const inner = balancedFrom(text, m.index + m[0].length);
    if (inner !== null) found = inner;
  }
  return found === null ? null : unwrapLatex(found).trim();
}

function balancedFrom(text: string, start: number): string | null {
  let depth = 1;
  for (let i = start; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return text.slice(start, i);
  }
  return null;
}

function unwrapLatex(s: string): string {
  let out = s;
  for (let prev = ''; prev !== out;) {
    prev = out;
    out = out.replace(/\\(?:text|textbf|textit|mathrm|mathbf|mbox|operatorname)\s*\{([^{}]*)\}/g, '$1');
  }
  return out.replace(/\\[,;! ]/g, ' ').replace(/^\$+|\$+$/g, '');
}

/** Content of the last `<answer>…</answer>`, or of a final unterminated `<answer>` (truncated response). */
export function answerTag(text: string): string | null {
  const closed = [...text.matchAll(/<answer>([\s\S]*?)<\/answer>/gi)];
  if (closed.length > 0) return closed.at(-1)![1]!.trim();
  const open = text.toLowerCase().lastIndexOf('<answer>');
  return open >= 0 ? text.slice(open + '<answer>'.length).trim() : null;
}

/**
 * Explicit answer triggers, longest first so "the final answer is" wins over "answer is". Matched case-insensitively
 * on markdown-stripped text; the LAST occurrence of any trigger counts.
 */
const TRIGGERS = [
  'the correct answer is', 'the correct option is', 'the correct choice is', 'the best answer is', 'the best option is',
  'the final answer is', 'final answer is', 'final answer:', 'the answer is', 'answer is', 'correct answer:',
  'final answer', 'answer:', 'answer：', 'i would choose', 'i choose', 'i will choose', 'i would select',
  'correct option:', 'the correct option would be', 'the answer would be', 'the answer should be',
  '正确答案是', '正确答案为', '答案是', '答案为', '答案：', '答案:', '故选', '应选',
];
const TRIGGER_RE = new RegExp(TRIGGERS.map(escapeRegExp).join('|'), 'gi');
const NEGATION_START = /^(?:not|never|n't)\b/i;

/**
 * The text after the last trigger up to the end of its line (at most 300 characters), or null without a trigger.
 * A negated trigger ("the answer is not A because …", "the answer is never yes") names what the answer is NOT, so
 * it is skipped and the previous trigger counts ("Answer: B\nWhy not A? The answer is not A." → "B").
 */
export function afterLastTrigger(text: string): string | null {
  const cleaned = stripMarkdown(text).replace(/\bamong\s+[A-Z]\s+(?:through|to)\s+[A-Z]\b,?/gi, ' ');
  const triggers = [...cleaned.matchAll(TRIGGER_RE)];
  for (let i = triggers.length - 1; i >= 0; i--) {
    const m = triggers[i]!;
    const rest = cleaned.slice(m.index + m[0].length).replace(/^[\s:：]+/, '');
    if (NEGATION_START.test(rest)) continue;
    const line = rest.split(/\n/)[0] ?? '';
    return line.slice(0, 300).trim();
  }
  return null;
}

/**
 * A concluding sentence that names a letter without a trigger phrase: "Therefore, C is the correct answer",
 * "(B) is the best option", "option D is correct". Negations ("D is not correct") do not match. Last one wins.
 */
export function lastConcludedLetter(text: string): string | null {
  const re = /(?:^|[^A-Za-z])(?:option\s+|choice\s+)?\(?([A-Z])\)?\s+(?:is|would be|seems)\s+(?:the\s+)?(?:correct|right|best|most (?:likely|appropriate|accurate))\b/gi;
  let last: string | null = null;
  for (const m of stripMarkdown(text).matchAll(re)) if (/[A-Z]/.test(m[1]!)) last = m[1]!;
  return last;
}

const REFUSAL_RE = new RegExp([
  String.raw`\bi(?:'m| am)? (?:sorry|unable|not able)\b`,
  String.raw`\bi (?:cannot|can't|can not|won't|will not) (?:determine|provide|answer|help|assist|view|see|diagnose|tell|interpret|analy[sz]e)`,
  String.raw`\bas an ai\b`,
  String.raw`\b(?:cannot|can't|unable to|impossible to|not possible to) (?:be )?(?:determine|determined|tell|answer|interpret)`,
  String.raw`\bi (?:do not|don't) have (?:access|the ability)`,
  String.raw`\bconsult (?:a|your) (?:doctor|physician|healthcare|medical)`,
  '无法(?:确定|判断|回答|提供|查看)', '抱歉', '不能(?:确定|判断|回答)',
].join('|'), 'i');

/** True when the response declines to answer (used only after no explicit answer was found). */
export function isRefusal(text: string): boolean {
  return REFUSAL_RE.test(text);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
