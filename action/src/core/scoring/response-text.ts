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
  return lastBoxedAt(text)?.content ?? null;
}

/** lastBoxed with the text that follows the box (where a later self-correction would be). */
export function lastBoxedAt(text: string): { content: string; tail: string } | null {
  const re = /\\(?:boxed|fbox)\s*\{/g;
  let found: { content: string; tail: string } | null = null;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const start = m.index + m[0].length;
    const inner = balancedFrom(text, start);
    if (inner !== null) found = { content: unwrapLatex(inner).trim(), tail: text.slice(start + inner.length + 1) };
  }
  return found;
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
  "i'd go with", 'i would go with', "i'll go with", 'i will go with', "i'd choose", "i'd pick", 'i would pick',
  "i'll pick", "i'll choose", 'my answer is', 'my answer:', 'my choice is', 'the correct response is',
  'the answer might be', 'the answer may be', 'the answer could be',
  '正确答案是', '正确答案为', '答案是', '答案为', '答案：', '答案:', '故选', '应选',
];
/** "the best next step here is C", "the most likely diagnosis is glioblastoma", "选A" (not 选项, "option"). */
const PHRASE_TRIGGERS = [
  String.raw`\b(?:the\s+)?(?:best|most\s+(?:likely|appropriate|probable|accurate)|correct|right|likeliest)\s+(?:next\s+)?(?:[a-z]+\s+){0,2}?(?:step|answer|option|choice|diagnosis|finding|management|treatment|explanation|modality|plane|organ)\s+(?:here\s+|in this case\s+)?(?:is|would be|will be)\b`,
  '选择|选(?!项)',
];
const TRIGGER_RE = new RegExp([...TRIGGERS.map(escapeRegExp), ...PHRASE_TRIGGERS].join('|'), 'gi');
const NEGATION_START = /^(?:not|never|n't)\b/i;

/**
 * The text after the last trigger up to the end of its line (at most 300 characters) as `segment`, and the text after
 * the trigger's first sentence (where a later self-correction would be) as `tail`; null without a trigger.
 * A negated trigger ("the answer is not A because …", "the answer is never yes") names what the answer is NOT, so
 * it is skipped and the previous trigger counts ("Answer: B\nWhy not A? The answer is not A." → "B") — unless it
 * goes on to assert another one: "The answer is not A, it is C" → "C".
 */
export function lastTrigger(text: string): { segment: string; tail: string } | null {
  const cleaned = stripMarkdown(text).replace(/\bamong\s+[A-Z]\s+(?:through|to)\s+[A-Z]\b,?/gi, ' ');
  const triggers = [...cleaned.matchAll(TRIGGER_RE)];
  for (let i = triggers.length - 1; i >= 0; i--) {
    const m = triggers[i]!;
    let rest = cleaned.slice(m.index + m[0].length).replace(/^[\s:：]+/, '');
    if (NEGATION_START.test(rest)) {
      const instead = NOT_X_BUT_Y.exec(rest);
      if (!instead) continue;
      rest = rest.slice(instead[0].length);
    }
    const line = rest.split(/\n/)[0] ?? '';
    const firstSentence = /^.*?[.!?。！？](?=\s|$)/s.exec(line)?.[0] ?? line;
    return { segment: line.slice(0, 300).trim(), tail: rest.slice(firstSentence.length) };
  }
  return null;
}

/** "not A, it is C" / "not (A) but (C)" / "not A; rather C": the part before the asserted option. */
const NOT_X_BUT_Y = /^not\s+(?:option\s+)?\(?[A-Z]\)?\s*(?:[,;]\s*|\s+(?=but\b))(?:but\s+(?:rather\s+)?|rather\s+|instead\s+)?(?:it(?:'s|\s+is)\s+|the answer is\s+)?(?=\S)/i;

/** "Wait", "on second thought", "let me reconsider": the answer given before is withdrawn. */
const STRONG_CORRECTION = /(?:^\s*|[.!?,;\n]\s*|\bhmm+,?\s*)(?:wait|on second thought|on reflection|let me reconsider|re-?(?:examining|considering)|correction|scratch that|i was wrong|i made a mistake|no,? wait)\b/gi;
/** "Actually, …", "looking again": a new answer after it replaces the earlier one; without one nothing changes. */
const WEAK_CORRECTION = /(?:^\s*|[.!?,;\n]\s*)(?:actually|looking (?:again|more closely)|on closer (?:look|inspection|review)|upon (?:closer|further) (?:look|inspection|review)|re-?checking)\b/gi;

/**
 * A self-correction in `tail` (the text after an answer): the text after the LAST correction marker, and whether the
 * marker withdraws the earlier answer even when no new one follows. Null when there is none.
 */
export function correctionIn(tail: string): { after: string; strong: boolean } | null {
  const t = stripMarkdown(tail);
  const last = (re: RegExp) => [...t.matchAll(re)].at(-1);
  const strong = last(STRONG_CORRECTION);
  const weak = last(WEAK_CORRECTION);
  const pick = !strong ? weak : !weak ? strong : weak.index > strong.index ? weak : strong;
  if (!pick) return null;
  return { after: t.slice(pick.index + pick[0].length), strong: strong !== undefined };
}

/** The option a correction commits to: "…, it's A.", "…, it should be the liver", "…, so C", "I'll go with D". */
export function committedSegment(text: string): string | null {
  const re = /\b(?:it(?:'s| is| must be| should be| has to be| would be)|(?:the )?answer (?:is|should be|would be)|go(?:ing)? with|choose|pick|select|so|then|hence|therefore|i mean)\b\s*:?\s*/gi;
  const m = [...text.matchAll(re)].at(-1);
  if (!m) return null;
  const seg = text.slice(m.index + m[0].length).split(/[\n]|(?<=[.!?])\s/)[0]!.trim();
  return seg || null;
}

/**
 * A concluding sentence that names a letter without a trigger phrase: "Therefore, C is the correct answer",
 * "(B) is the best option", "option D is correct", "D is the answer", "…, so C.", "This suggests B.",
 * "Not A, but C". Negations ("D is not correct") do not match. The last one wins (lastConcluded: its letter and the
 * text after it).
 */
const CONCLUDED = [
  /(?:^|[^A-Za-z])(?:option\s+|choice\s+)?\(?([A-Z])\)?\s+(?:is|would be|seems)\s+(?:the\s+)?(?:correct|right|best|most (?:likely|appropriate|accurate)|answer)\b/gi,
  /\b(?:so|therefore|thus|hence|suggests?|suggesting|indicates?|indicating|points? to|pointing to|favou?rs?|supports?)\s*[,:]?\s+(?:it(?:'s|\s+is|\s+must be|\s+should be)\s+|the answer is\s+)?(?:option\s+|choice\s+|answer\s+)?\(?([A-Z])\)?(?=\s*(?:[.!;]|$))/gim,
  /\b[Ii]t(?:'s|\s+is)\s+(?:option\s+)?\(?([A-Z])\)?(?=\s*(?:[.!;,]|$))/gm,
  /\bnot\s+(?:option\s+)?\(?[A-Z]\)?\s*,?\s*but\s+(?:rather\s+)?(?:option\s+)?\(?([A-Z])\)?(?![A-Za-z])/gi,
];

export function lastConcluded(text: string): { letter: string; tail: string } | null {
  const t = stripMarkdown(text);
  let best: { letter: string; end: number } | null = null;
  for (const re of CONCLUDED) for (const m of t.matchAll(re)) {
    const end = m.index + m[0].length;
    if (/^\s*(?:,|\/|\bor\b|\band\b)\s*\(?[A-Z]\)?(?![A-Za-z])/.test(t.slice(end))) continue; // "it is A, B or C"
    if (/[A-Z]/.test(m[1]!) && (!best || end > best.end)) best = { letter: m[1]!, end };
  }
  return best && { letter: best.letter, tail: t.slice(best.end) };
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
