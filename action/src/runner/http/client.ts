/**
 * OpenAI chat-completions client: builds the request body for one item, sends one attempt and classifies what came
 * back. Retrying lives in retry.ts; this file never sleeps or loops, so every attempt is observable by the caller.
 */
import type { Body, HttpReply, Transport } from './transport.js';

// the client is the runner's one door to http/: what the runner needs from the lower files is passed through
export { sha256Hex } from './bytes.js';
export { buildChatBody, buildTextBody, type DecodingSettings } from './request-body.js';

export interface ChatReply {
  /** the answer text with any <think>…</think> block removed */
  content: string;
  /** reasoning_content / reasoning field, or the text of a <think> block; kept out of extraction */
  reasoning: string | null;
  /** finish_reason "length": the token limit cut the answer */
  truncated: boolean;
  usage: { prompt: number; completion: number };
}

export type AttemptOutcome =
  | { ok: true; reply: ChatReply; status: number }
  | {
      ok: false;
      /** network: no HTTP answer (refused, reset, timeout); http: a status; reply: 200 with an unusable body */
      kind: 'network' | 'http' | 'reply';
      retryable: boolean;
      /** the endpoint can never serve this run (bad key, wrong URL): stop instead of erroring every item */
      fatal: boolean;
      message: string;
      retryAfterMs: number | null;
      status: number | null;
      /** the server's own words from an error body (vLLM/SGLang `message`, OpenAI `error.message`, TGI `error`) */
      serverMessage?: string;
      /** OpenAI-style `error.param` / `error.code` (e.g. "max_tokens" / "unsupported_parameter") */
      param?: string | null;
      code?: string | null;
      /** the attempt hit the request timeout (retried once only: a deterministic hang costs 2 timeouts, not 6) */
      timedOut?: boolean;
      /** a rate limit or a 503 pause the admission gate (gate.ts) waits out: not counted against the item's attempts */
      uncounted?: boolean;
    };

export interface PostOptions {
  transport: Transport;
  apiKey: string | null;
  timeoutMs: number;
  /** aborts the attempt when the whole run stops */
  signal?: AbortSignal;
  now?: () => number;
}

/** `http://h:8000`, `http://h:8000/v1` and `…/v1/chat/completions` all name the same endpoint. */
export function chatCompletionsUrl(endpoint: string): string {
  const base = endpoint.replace(/\/+$/, '');
  if (base.endsWith('/chat/completions')) return base;
  return base.endsWith('/v1') ? `${base}/chat/completions` : `${base}/v1/chat/completions`;
}

export function modelsUrl(endpoint: string): string {
  return chatCompletionsUrl(endpoint).replace(/\/chat\/completions$/, '/models');
}


const FATAL_STATUSES = new Set([401, 403, 404]);

export async function postChat(url: string, body: Body, o: PostOptions): Promise<AttemptOutcome> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (o.apiKey) headers.authorization = `Bearer ${o.apiKey}`;
  let res: HttpReply;
  try {
    res = await o.transport.post(url, body, headers, { timeoutMs: o.timeoutMs, signal: o.signal });
  } catch (e) {
    if (o.signal?.aborted) throw o.signal.reason ?? e;
    return networkFailure(e, o.timeoutMs, (e as { name?: string } | null)?.name === 'TimeoutError');
  }
  if (res.status !== 200) return httpFailure(res, o.now ?? Date.now);
  const reply = parseChatReply(res.text);
  if (typeof reply === 'string') {
    const err = errorBody(res.text);
    if (err) {
      // HTTP 200 carrying an error object ({"object":"error","message":"…CUDA out of memory"}): the server's words
      return { ok: false, kind: 'reply', retryable: true, fatal: false, message: `HTTP 200 with an error: ${err.message}`,
        retryAfterMs: null, status: 200, serverMessage: err.message, param: err.param, code: err.code };
    }
    return { ok: false, kind: 'reply', retryable: true, fatal: false, message: reply, retryAfterMs: null, status: 200 };
  }
  return { ok: true, reply, status: 200 };
}

function networkFailure(e: unknown, timeoutMs: number, timedOut: boolean): AttemptOutcome {
  const err = e as { name?: string; code?: string; message?: string; cause?: { code?: string; message?: string } };
  const seconds = timeoutMs >= 10_000 ? Math.round(timeoutMs / 1000) : Math.round(timeoutMs / 100) / 10;
  const message = timedOut
    ? `no answer within ${seconds} s (request timeout)`
    : `${err.cause?.code ?? err.code ?? err.name ?? 'Error'}: ${err.cause?.message ?? err.message ?? String(e)}`;
  return { ok: false, kind: 'network', retryable: true, fatal: false, message, retryAfterMs: null, status: null, timedOut };
}

function httpFailure(res: HttpReply, now: () => number): AttemptOutcome {
  const { status, text } = res;
  const retryable = status === 408 || status === 409 || status === 425 || status === 429 || status >= 500;
  const err = errorBody(text);
  const detail = (err?.message ?? text).replace(/\s+/g, ' ').slice(0, 500);
  return {
    ok: false,
    kind: 'http',
    retryable,
    fatal: FATAL_STATUSES.has(status),
    message: `HTTP ${status}${detail ? `: ${detail}` : ''}`,
    retryAfterMs: parseRetryAfter(res.retryAfter, now()),
    status,
    serverMessage: err?.message,
    param: err?.param ?? null,
    code: err?.code ?? null,
  };
}

export interface ServerError {
  message: string;
  param: string | null;
  code: string | null;
}

/**
 * The message of an error body in the shapes servers use: vLLM/SGLang/LMDeploy `{"object":"error","message":…}`,
 * OpenAI (and vLLM ≥ 0.10) `{"error":{"message":…,"param":…,"code":…}}`, TGI `{"error":"…","error_type":…}`,
 * FastAPI `{"detail":…}`, Ollama/llama.cpp `{"error":…}`. Null when the text is none of these.
 */
export function errorBody(text: string): ServerError | null {
  let j: unknown;
  try {
    j = JSON.parse(text);
  } catch {
    return null;
  }
  if (!j || typeof j !== 'object' || Array.isArray(j)) return null;
  const o = j as Record<string, unknown>;
  if ('choices' in o && Array.isArray(o.choices) && o.choices.length > 0) return null;
  const str = (x: unknown): string | null => (typeof x === 'string' && x.trim() ? x.trim() : null);
  const inner = o.error && typeof o.error === 'object' ? (o.error as Record<string, unknown>) : null;
  const detail = Array.isArray(o.detail) ? JSON.stringify(o.detail) : o.detail;
  const message = str(inner?.message) ?? str(o.error) ?? (o.object === 'error' ? str(o.message) : null) ?? str(detail) ?? str(o.message);
  if (!message) return null;
  const param = inner ? inner.param : o.param;
  const code = inner ? inner.code : o.code;
  return { message: message.slice(0, 1000), param: str(param), code: typeof code === 'number' ? String(code) : str(code) };
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, nowMs: number): number | null {
  if (value === null || value.trim() === '') return null;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

const THINK_RE = /<think>([\s\S]*?)(?:<\/think>|$)/i;

/** Returns the reply or a message saying why the body is unusable (malformed JSON, no choices, no message). */
export function parseChatReply(text: string): ChatReply | string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return `malformed JSON in the reply (${text.length} bytes): ${text.slice(0, 80)}`;
  }
  const j = json as {
    choices?: Array<{ message?: { content?: unknown; reasoning_content?: unknown; reasoning?: unknown }; finish_reason?: unknown }>;
    usage?: { prompt_tokens?: unknown; completion_tokens?: unknown };
  };
  const choice = Array.isArray(j?.choices) ? j.choices[0] : undefined;
  if (!choice) return 'the reply has no choices';
  const msg = choice.message;
  if (!msg || typeof msg !== 'object') return 'the reply choice has no message';
  let content = typeof msg.content === 'string' ? msg.content : '';
  let reasoning = firstString(msg.reasoning_content, msg.reasoning);
  const think = THINK_RE.exec(content);
  if (think) {
    reasoning = [reasoning, think[1]!.trim()].filter(Boolean).join('\n\n') || null;
    content = (content.slice(0, think.index) + content.slice(think.index + think[0].length)).trim();
  }
  return {
    content,
    reasoning,
    truncated: choice.finish_reason === 'length',
    usage: { prompt: toCount(j.usage?.prompt_tokens), completion: toCount(j.usage?.completion_tokens) },
  };
}

function firstString(...xs: unknown[]): string | null {
  for (const x of xs) if (typeof x === 'string' && x.length > 0) return x;
  return null;
}

function toCount(x: unknown): number {
  return typeof x === 'number' && Number.isFinite(x) && x >= 0 ? Math.round(x) : 0;
}
