/**
 * The server's context length, read before the run so the token budget fits from the first request:
 * vLLM and SGLang list `max_model_len` per model on GET /v1/models (vLLM serving_models.py ModelCard, SGLang
 * openai_api/protocol.py ModelCard); TGI reports `max_total_tokens` on GET /info (router/src/lib.rs Info).
 * Anything else (OpenAI, Ollama, a server that does not say) gives null and the budget is fitted from refusals.
 */
import { modelsUrl } from './http/client.js';

export interface ContextLimit {
  limit: number;
  source: string;
}

export interface LimitOptions {
  endpoint: string;
  model: string;
  apiKey: string | null;
  fetch: typeof fetch;
  signal?: AbortSignal;
}

export async function readContextLimit(o: LimitOptions): Promise<ContextLimit | null> {
  const models = await getJson(modelsUrl(o.endpoint), o);
  const cards = (models as { data?: unknown } | null)?.data;
  if (Array.isArray(cards)) {
    const card = (cards.find((c) => (c as { id?: unknown })?.id === o.model) ?? (cards.length === 1 ? cards[0] : null)) as
      { max_model_len?: unknown } | null;
    const limit = card?.max_model_len;
    if (typeof limit === 'number' && Number.isInteger(limit) && limit > 1) return { limit, source: `/v1/models (max_model_len)` };
  }
  const info = await getJson(`${new URL(modelsUrl(o.endpoint)).origin}/info`, o);
  const total = (info as { max_total_tokens?: unknown } | null)?.max_total_tokens;
  if (typeof total === 'number' && Number.isInteger(total) && total > 1) return { limit: total, source: '/info (max_total_tokens)' };
  return null;
}

/** A JSON body or null: this is a hint, never a reason to stop (the preflight already checked the endpoint). */
async function getJson(url: string, o: LimitOptions): Promise<unknown> {
  try {
    const timeout = AbortSignal.timeout(10_000);
    const res = await o.fetch(url, { headers: o.apiKey ? { authorization: `Bearer ${o.apiKey}` } : {}, signal: o.signal ? AbortSignal.any([timeout, o.signal]) : timeout });
    const text = await res.text();
    return res.ok ? (JSON.parse(text) as unknown) : null;
  } catch {
    return null;
  }
}
