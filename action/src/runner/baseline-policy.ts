/**
 * What the chance-level baseline answers, and which faults it injects. Everything is a pure function of
 * (seed, request content[, attempt]) so a retried request gets the same answer, a faulted request can succeed on a
 * later attempt, and two runs against the same server settings see identical answers and faults.
 */
import { createHash } from 'node:crypto';
import { UserError } from '../core/errors.js';

export type BaselinePolicy = { kind: 'random' } | { kind: 'constant'; value: string };

export function parsePolicy(spec: string): BaselinePolicy {
  if (spec === 'random') return { kind: 'random' };
  if (spec.startsWith('constant:') && spec.length > 'constant:'.length) return { kind: 'constant', value: spec.slice(9) };
  throw new UserError(`--policy '${spec}' is not valid: use 'random' or 'constant:VALUE' (e.g. constant:A)`);
}

export const FAULT_KINDS = ['500', '429', 'timeout', 'reset', 'malformed', 'empty'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];
export type FaultSpec = Array<{ kind: FaultKind; rate: number }>;

/** "500:0.05,429:0.05,timeout:0.01" → rates per kind; total must stay ≤ 1. */
export function parseFaults(spec: string | undefined): FaultSpec {
  if (!spec) return [];
  const out: FaultSpec = [];
  for (const part of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [kind, rateText] = part.split(':');
    const rate = Number(rateText);
    if (!FAULT_KINDS.includes(kind as FaultKind)) {
      throw new UserError(`--faults: unknown fault '${kind}' in '${part}'; known: ${FAULT_KINDS.join(', ')}`);
    }
    if (rateText === undefined || !Number.isFinite(rate) || rate < 0 || rate > 1) {
      throw new UserError(`--faults: rate in '${part}' must be a number between 0 and 1`);
    }
    out.push({ kind: kind as FaultKind, rate });
  }
  const total = out.reduce((s, f) => s + f.rate, 0);
  if (total > 1) throw new UserError(`--faults: rates add up to ${total.toFixed(3)}, more than 1`);
  return out;
}

/** A uniform number in [0, 1) from a hash of the parts. */
export function hashUniform(...parts: Array<string | number>): number {
  const h = createHash('sha256').update(parts.join('\u0000')).digest();
  return (h.readUInt32BE(0) * 2 ** 21 + (h.readUInt32BE(4) >>> 11)) / 2 ** 53;
}

/** attempt is 1-based: the n-th time the server has seen this exact request. */
export function pickFault(faults: FaultSpec, seed: number, requestHash: string, attempt: number): FaultKind | null {
  if (faults.length === 0) return null;
  let u = hashUniform('fault', seed, requestHash, attempt);
  for (const f of faults) {
    if (u < f.rate) return f.kind;
    u -= f.rate;
  }
  return null;
}

const OPEN_WORDS = ['yes', 'no', 'left', 'right', 'normal', 'lung', 'liver', 'brain', 'ct', 'mri', 'x-ray', 'kidney'];

/** Option letters listed in a prompt: lines such as "A. text", "(B) text", "C) text", "D: text". */
export function optionLetters(prompt: string): string[] {
  const letters: string[] = [];
  for (const m of prompt.matchAll(/^[ \t]*\(?([A-Z])[).:][ \t]+\S/gm)) {
    if (!letters.includes(m[1]!)) letters.push(m[1]!);
  }
  return letters.length >= 2 ? letters : [];
}

/** The baseline's answer text for a prompt. */
export function answerFor(policy: BaselinePolicy, prompt: string, seed: number, requestHash: string): string {
  if (policy.kind === 'constant') return policy.value;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(hashUniform('answer', seed, requestHash) * xs.length)]!;
  const letters = optionLetters(prompt);
  if (letters.length > 0) return `Choosing at random. The answer is \\boxed{${pick(letters)}}.`;
  if (/\byes\b/i.test(prompt) && /\bno\b/i.test(prompt)) return `\\boxed{${pick(['yes', 'no'])}}`;
  return pick(OPEN_WORDS);
}

/** The text of the last user message (string content, or the text parts of a multimodal content array). */
export function promptText(body: unknown): string {
  const messages = (body as { messages?: unknown })?.messages;
  if (!Array.isArray(messages)) return '';
  const last = [...messages].reverse().find((m) => (m as { role?: string })?.role === 'user') as { content?: unknown } | undefined;
  const c = last?.content;
  if (typeof c === 'string') return c;
  if (!Array.isArray(c)) return '';
  return c
    .filter((p) => (p as { type?: string })?.type === 'text')
    .map((p) => String((p as { text?: unknown }).text ?? ''))
    .join('\n');
}
