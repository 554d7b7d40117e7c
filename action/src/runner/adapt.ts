/**
 * Fitting the requests to what the server can take, during the run. Real servers refuse the runner's defaults in
 * a few well-known ways, each with a message that says what to change:
 * - the token budget: vLLM and SGLang answer 400 when max_tokens + prompt tokens exceed the context
 *   (`--max-model-len`, reported as `max_model_len` on /v1/models); TGI answers 422 when `max_new_tokens` exceeds
 *   `max_total_tokens`. The numbers are in the message, so the budget is lowered to what fits.
 * - OpenAI reasoning models (o-series, GPT-5) refuse `max_tokens` ("use max_completion_tokens") and any temperature
 *   but their default; TGI refuses `top_p` = 1.
 * A refused request is re-sent with the new settings without spending one of the item's attempts (retry.ts
 * `adapt`), and every later request uses them. What was sent in the end is recorded in results.json
 * (`effectiveDecoding`); the requested settings stay in `decoding` and in the resume key.
 */
import type { AttemptOutcome, DecodingSettings } from './http/client.js';

type Failure = Extract<AttemptOutcome, { ok: false }>;

export interface ContextRefusal {
  /** the server's context length (vLLM max_model_len, SGLang context_len, TGI max_total_tokens) */
  limit: number;
  /** prompt tokens of the refused request */
  prompt: number;
  /** SGLang refuses prompt + max_tokens >= limit (the others: > limit) */
  strict: boolean;
}

/** Context-length refusals, by the wording of each server's source (versions in tests/helpers/servers/*.ts). */
const CONTEXT_PATTERNS: Array<{ re: RegExp; strict: boolean; limit: number; prompt: number | null }> = [
  // vLLM ≤ 0.9 serving_engine.py _validate_input: "… is N tokens. However, you requested T tokens (P in the messages, M in the completion)"
  { re: /maximum context length is (\d+) tokens\. However, you requested \d+ tokens \((\d+) in the messages, \d+ in the completion\)/, strict: false, limit: 1, prompt: 2 },
  // vLLM ≥ 0.10: "'max_tokens' or 'max_completion_tokens' is too large: M. This model's maximum context length is N tokens and your request has P input tokens"
  { re: /maximum context length is (\d+) tokens and your request has (\d+) input tokens/, strict: false, limit: 1, prompt: 2 },
  // SGLang tokenizer_manager.py _validate_one_request: "… maximum context length of N tokens. You requested a total of T tokens: P tokens from the input messages …"
  { re: /maximum context length of (\d+) tokens\. You requested a total of \d+ tokens: (\d+) tokens from the input/, strict: true, limit: 1, prompt: 2 },
  // TGI router/src/validation.rs MaxTotalTokens: "`inputs` tokens + `max_new_tokens` must be <= N. Given: P `inputs` tokens and M `max_new_tokens`"
  { re: /`inputs` tokens \+ `max_new_tokens` must be <= (\d+)\. Given: (\d+) `inputs` tokens/, strict: false, limit: 1, prompt: 2 },
  // TGI MaxNewTokens: "`max_new_tokens` must be <= N. Given: M"
  { re: /`max_new_tokens` must be <= (\d+)\. Given/, strict: false, limit: 1, prompt: null },
  // OpenAI, older models: "max_tokens is too large: M. This model supports at most N completion tokens, whereas you provided M."
  { re: /supports at most (\d+) completion tokens/, strict: false, limit: 1, prompt: null },
];

export function parseContextRefusal(message: string): ContextRefusal | null {
  for (const p of CONTEXT_PATTERNS) {
    const m = p.re.exec(message);
    if (m) return { limit: Number(m[p.limit]), prompt: p.prompt === null ? 0 : Number(m[p.prompt]), strict: p.strict };
  }
  return null;
}

/** Decoding as sent in the end and why it differs from the request (results.json `effectiveDecoding`). */
export interface EffectiveDecoding {
  maxTokens: number;
  /** smallest and largest budget an answered item of this invocation was sent with (null: none answered) */
  maxTokensMin: number | null;
  maxTokensMax: number | null;
  maxTokensField: 'max_tokens' | 'max_completion_tokens';
  /** null: not sent (the server's default) */
  temperature: number | null;
  topP: number | null;
  seed: number | null;
  /** the server's context length, when it said */
  contextLimit: number | null;
  changes: string[];
}

const MAX_NOTES = 10;

export class DecodingAdapter {
  private current: DecodingSettings;
  private contextLimit: number | null = null;
  private readonly notes: string[] = [];
  private answeredMin = Infinity;
  private answeredMax = -Infinity;
  private itemBudgets = 0;

  constructor(readonly requested: DecodingSettings, private readonly log: (msg: string) => void = () => {}) {
    // top_p 1 is every server's default and TGI refuses it (validation.rs TopP: must be < 1.0): not sent
    this.current = requested.topP === 1 ? { ...requested, topP: null } : { ...requested };
  }

  /** The settings the next request is sent with. */
  get settings(): DecodingSettings {
    return this.current;
  }

  /**
   * Before the run, from the server's own report (vLLM/SGLang `max_model_len` on /v1/models, TGI `/info`
   * max_total_tokens): the budget leaves room for a prompt (a quarter of the context, at most 1,024 tokens: one
   * image plus the question for most models); a longer prompt's refusal lowers it further.
   */
  fitContext(limit: number, source: string): void {
    if (!Number.isInteger(limit) || limit < 2) return;
    this.contextLimit = limit;
    const budget = limit - Math.min(1024, Math.floor(limit / 4));
    if (budget < this.current.maxTokens) {
      this.change({ ...this.current, maxTokens: budget },
        `max_tokens ${this.current.maxTokens} → ${budget}: ${source} reports a context of ${limit} tokens`);
    }
  }

  /** An item was answered when sent with `sent` (for the recorded budget range). */
  answered(sent: DecodingSettings): void {
    this.answeredMin = Math.min(this.answeredMin, sent.maxTokens);
    this.answeredMax = Math.max(this.answeredMax, sent.maxTokens);
  }

  /**
   * A request sent with `sent` was refused. Returns the settings to re-send it with (the refusal then costs no
   * attempt), or null when nothing would change: the refusal is the item's own (or the server's) problem.
   */
  onRefusal(out: Failure, sent: DecodingSettings): DecodingSettings | null {
    if (out.status !== 400 && out.status !== 422) return null;
    const message = out.serverMessage ?? out.message;
    const ctx = parseContextRefusal(message);
    if (ctx) return this.fitRefusal(ctx, message, sent);
    this.fitParameter(out, message);
    return this.resendWith(sent);
  }

  private fitRefusal(ctx: ContextRefusal, message: string, sent: DecodingSettings): DecodingSettings | null {
    const allowed = ctx.limit - ctx.prompt - (ctx.strict ? 1 : 0);
    if (allowed < 1) return null; // the prompt alone fills the context: no budget helps
    this.contextLimit = ctx.prompt > 0 ? ctx.limit : this.contextLimit;
    // One long prompt (many images) must not cut every other item's budget: below half the context it gets its own.
    if (allowed < this.current.maxTokens && allowed >= Math.floor(ctx.limit / 2)) {
      this.change({ ...this.current, maxTokens: allowed }, `max_tokens ${this.current.maxTokens} → ${allowed}: the server refused it (${clip(message)})`);
    }
    const budget = Math.min(this.current.maxTokens, allowed, sent.maxTokens);
    if (budget >= sent.maxTokens) return this.resendWith(sent);
    if (budget < this.current.maxTokens) this.itemBudgets++;
    return { ...this.current, maxTokens: budget };
  }

  private fitParameter(out: Failure, message: string): void {
    const c = this.current;
    // a param alone is not enough: OpenAI also names `max_tokens` when its value is too large (code null)
    const unsupported = (name: string) => (out.param === name && /unsupported/i.test(out.code ?? '')) ||
      new RegExp(`'${name}'.*(not supported|unsupported|does not support)|Unsupported (parameter|value): '${name}'`, 'i').test(message);
    const wire = c.wire ?? { maxTokensField: 'max_tokens' as const, temperature: true };
    if (wire.maxTokensField === 'max_tokens' && (unsupported('max_tokens') || /use 'max_completion_tokens'/i.test(message))) {
      this.change({ ...c, wire: { ...wire, maxTokensField: 'max_completion_tokens' } }, `max_tokens → max_completion_tokens: the server refused max_tokens (${clip(message)})`);
    } else if (wire.temperature && unsupported('temperature')) {
      this.change({ ...c, wire: { ...wire, temperature: false } },
        `temperature ${c.temperature} not sent (the server's default applies): the server refused it (${clip(message)}); to choose, pass --temperature with a value it takes`);
    } else if (c.topP !== null && (unsupported('top_p') || /`top_p` must be > 0\.0 and < 1\.0/.test(message))) {
      this.change({ ...c, topP: null }, `top_p ${c.topP} not sent: the server refused it (${clip(message)})`);
    } else if (c.seed !== null && unsupported('seed')) {
      this.change({ ...c, seed: null }, `seed ${c.seed} not sent: the server refused it (${clip(message)})`);
    }
  }

  /** The current settings when they differ from what the refused request carried (each change only goes one way). */
  private resendWith(sent: DecodingSettings): DecodingSettings | null {
    const next = { ...this.current, maxTokens: Math.min(this.current.maxTokens, sent.maxTokens) };
    return wireKey(next) === wireKey(sent) ? null : next;
  }

  private change(next: DecodingSettings, note: string): void {
    this.current = next;
    if (this.notes.length < MAX_NOTES) this.notes.push(note);
    this.log(`note: ${note}; from now on every request is sent this way (recorded in results.json effectiveDecoding)`);
  }

  effective(): EffectiveDecoding {
    const c = this.current;
    const notes = [...this.notes];
    if (this.requested.topP === 1) notes.unshift('top_p 1 not sent: it is the default, and TGI refuses 1');
    if (this.itemBudgets > 0) notes.push(`${this.itemBudgets} request(s) with a long prompt were sent with a smaller budget that fits the context`);
    return {
      maxTokens: c.maxTokens,
      maxTokensMin: Number.isFinite(this.answeredMin) ? this.answeredMin : null,
      maxTokensMax: Number.isFinite(this.answeredMax) ? this.answeredMax : null,
      maxTokensField: c.wire?.maxTokensField ?? 'max_tokens',
      temperature: c.wire?.temperature === false ? null : c.temperature,
      topP: c.topP,
      seed: c.seed,
      contextLimit: this.contextLimit,
      changes: notes.slice(0, MAX_NOTES),
    };
  }
}

function wireKey(d: DecodingSettings): string {
  return JSON.stringify([d.maxTokens, d.wire?.maxTokensField ?? 'max_tokens', d.wire?.temperature !== false, d.temperature, d.topP, d.seed]);
}

function clip(s: string): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > 200 ? `${one.slice(0, 199)}…` : one;
}
