/**
 * The official MMMU answer parsing rules (MMMU-Benchmark/MMMU, mmmu/utils/eval_utils.py, as described in
 * BENCHMARKS.md §0.5), reimplemented, with ONE deliberate change: where the official code picks a random letter
 * (no candidate found), we return null and the item counts as unparsed.
 *
 * Before the official rules run, reasoning traces are stripped and, as MedEvalKit does for MMMU, the content of the
 * last \boxed{} (else of the <answer> tag) is parsed instead of the whole response when present — our prompt asks
 * for the box, and parsing a whole chain of thought would pick up letters from the reasoning.
 */
import { answerTag, lastBoxed, stripThinking } from './response-text.js';

export const MMMU_EXTRACTION_ID = 'mmmu-official/1';

/** The text the official rules are applied to (see the module comment). */
export function mmmuFocus(content: string): string {
  const text = stripThinking(content);
  return lastBoxed(text) ?? answerTag(text) ?? text;
}

/**
 * Official multiple-choice parse: candidates are "(X)" mentions; failing those, " X " tokens; failing those and when
 * the response has more than 5 words, options whose text occurs in it. Several candidates → the one occurring last.
 * None → null (the official code guesses randomly here).
 */
export function mmmuParseChoice(response: string, choices: Record<string, string>): string | null {
  let r = response;
  for (const ch of [',', '.', '!', '?', ';', ':', "'"]) r = stripChar(r, ch);
  r = ` ${r} `;
  const letters = Object.keys(choices);
  let candidates = letters.filter((l) => r.includes(`(${l})`));
  let position = (l: string) => r.lastIndexOf(`(${l})`);
  if (candidates.length === 0) {
    candidates = letters.filter((l) => r.includes(` ${l} `));
    position = (l) => r.lastIndexOf(` ${l} `);
  }
  if (candidates.length === 0 && r.split(/\s+/).filter(Boolean).length > 5) {
    const lower = r.toLowerCase();
    candidates = letters.filter((l) => lower.includes(choices[l]!.toLowerCase()));
    position = (l) => lower.lastIndexOf(choices[l]!.toLowerCase());
  }
  if (candidates.length === 0) return null;
  // the official code takes the argmax of the last positions; the first candidate wins a tie
  return candidates.reduce((best, c) => (position(c) > position(best) ? c : best));
}

const INDICATORS = ['could be ', 'so ', 'is ', 'thus ', 'therefore ', 'final ', 'answer ', 'result '];

/**
 * Official open-answer parse: per sentence (split at ". " + capital — after lowercasing, as the official code does,
 * so effectively at newlines), the shortest tail after an indicator word; plus every number found; normalised
 * (numbers → rounded floats, strings lowercased, single characters padded with a space).
 */
export function mmmuParseOpen(response: string): Array<string | number> {
  const r = stripChar(stripChar(response.trim(), '.'), ' ').toLowerCase();
  const sentences = r.split(/\.\s(?=[A-Z])|\n/);
  const keys: string[] = [];
  sentences.forEach((s, i) => {
    const indicators = i === sentences.length - 1 ? [...INDICATORS, '='] : INDICATORS;
    let shortest: string | null = null;
    for (const ind of indicators) {
      if (!s.includes(ind)) continue;
      const tail = s.split(ind).at(-1)!.trim();
      if (shortest === null || tail.length < shortest.length) shortest = tail;
    }
    if (shortest && ![':', ',', '.', '!', '?', ';', "'"].includes(shortest.trim())) keys.push(shortest);
  });
  const base = keys.length > 0 ? keys : [r];
  const all: Array<string | number> = [...base, ...base.flatMap(extractNumbers)];
  const out = new Map<string, string | number>();
  for (const p of all) for (const n of normalizeMmmu(p)) out.set(`${typeof n}:${n}`, n);
  return [...out.values()];
}

/** Official open match: a parsed string contains a normalised gold string, or a parsed number equals a gold number. */
export function mmmuOpenCorrect(gold: string | string[], parsed: Array<string | number>): boolean {
  const golds = (Array.isArray(gold) ? gold : [gold]).flatMap(normalizeMmmu);
  return parsed.some((p) => typeof p === 'string'
    ? golds.some((g) => typeof g === 'string' && p.includes(g))
    : golds.includes(p));
}

function normalizeMmmu(value: string | number): Array<string | number> {
  if (typeof value === 'number') return [round2(value)];
  const s = value.trim();
  const asNumber = Number(s.replace(/,/g, ''));
  if (s !== '' && Number.isFinite(asNumber) && /^[-+]?[\d,]*\.?\d+(?:e[-+]?\d+)?$/i.test(s)) return [round2(asNumber)];
  const lower = s.toLowerCase();
  return lower.length === 1 ? [` ${lower}`, `${lower} `] : [lower];
}

function extractNumbers(s: string): number[] {
  const commas = [...s.matchAll(/-?\b\d{1,3}(?:,\d{3})+\b/g)].map((m) => Number(m[0].replace(/,/g, '')));
  const scientific = [...s.matchAll(/-?\d+(?:\.\d+)?[eE][+-]?\d+/g)].map((m) => Number(m[0]));
  const simple = [...s.matchAll(/-?(?:\d+\.\d+|\.\d+|\d+)(?![eE][+-]?\d+)(?![,\d])/g)].map((m) => Number(m[0]));
  return [...commas, ...scientific, ...simple];
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** Python's str.strip(ch) for a single character. */
function stripChar(s: string, ch: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s[start] === ch) start++;
  while (end > start && s[end - 1] === ch) end--;
  return s.slice(start, end);
}
