/**
 * vLLM's OpenAI-compatible server (`vllm serve`) as the runner meets it. Read from vllm-project/vllm
 * vllm/entrypoints/openai/serving_engine.py at commit 7ded96b3c73f63400cdb048a73c34292ba862d99 (v0.9.x):
 * - `_validate_input`: a chat request whose prompt tokens + `max_completion_tokens or max_tokens` exceed
 *   `max_model_len` is refused with 400 "This model's maximum context length is N tokens. However, you requested T
 *   tokens (P in the messages, M in the completion). Please reduce the length of the messages or completion.";
 *   without a budget the default is max_model_len − P.
 * - `create_error_response`: the body is ErrorResponse `{"object":"error","message":…,"type":"BadRequestError",
 *   "param":null,"code":400}`. vLLM ≥ 0.10 words the refusal "'max_tokens' or 'max_completion_tokens' is too large:
 *   M. This model's maximum context length is N tokens and your request has P input tokens (M > N - P)." inside
 *   `{"error":{…}}` (style "0.10" here).
 * - `show_available_models` (serving_models.py in later versions): each ModelCard carries `max_model_len`.
 * - api_server.py: `--api-key` guards every `/v1` path (401 `{"error":"Unauthorized"}`); `/health` and `/metrics`
 *   stay open. Default port 8000.
 * - with `--reasoning-parser`, the thinking goes to `reasoning_content` (newer: `reasoning`); when the parser never
 *   sees the end-of-thinking token the whole text lands there and `content` is null.
 * Prompt tokens are estimated (base.ts promptTokens: ~4 characters per token, `tokensPerImage` per image).
 */
import { completion, promptText, promptTokens, startEmulator, type EmulatorServer, type Handler, type Reply, type SeenRequest } from './base.js';

export const VLLM_DEFAULT_PORT = 8000;

export interface VllmOptions {
  port?: number;
  model?: string;
  /** --max-model-len (default 4096, e.g. LLaVA-Med) */
  maxModelLen?: number;
  apiKey?: string | null;
  /** error wording and body shape: v0.9 (default) or v0.10+ */
  style?: '0.9' | '0.10';
  tokensPerImage?: number;
  answer?: (prompt: string, req: SeenRequest) => string;
  /** --reasoning-parser with a model whose answers never close the thinking block: all text in this field */
  reasoningOnly?: 'reasoning_content' | 'reasoning';
  /** replaces the answer of an accepted request (errors with HTTP 200, delays, …) */
  accepted?: Handler;
}

export function vllmError(message: string, style: '0.9' | '0.10' = '0.9', code = 400, type = 'BadRequestError'): Reply {
  const err = { object: 'error', message, type, param: null, code };
  return { status: code, body: style === '0.9' ? err : { error: { message, type, param: null, code } } };
}

export async function startVllm(o: VllmOptions = {}): Promise<EmulatorServer> {
  const maxModelLen = o.maxModelLen ?? 4096;
  const style = o.style ?? '0.9';
  const model = o.model ?? 'test-model';
  const chat: Handler = async (req) => {
    const j = req.json;
    if (!j) return vllmError('Invalid JSON body', style);
    if (j.model !== model) return vllmError(`The model \`${String(j.model)}\` does not exist.`, style, 404, 'NotFoundError');
    const prompt = promptTokens(j, o.tokensPerImage);
    const budget = (j.max_completion_tokens ?? j.max_tokens) as number | undefined;
    if (budget === undefined || budget === null) {
      if (prompt >= maxModelLen) return vllmError(`This model's maximum context length is ${maxModelLen} tokens. However, you requested ${prompt} tokens in the messages, Please reduce the length of the messages.`, style);
    } else if (prompt + budget > maxModelLen) {
      return vllmError(style === '0.9'
        ? `This model's maximum context length is ${maxModelLen} tokens. However, you requested ${budget + prompt} tokens (${prompt} in the messages, ${budget} in the completion). Please reduce the length of the messages or completion.`
        : `'max_tokens' or 'max_completion_tokens' is too large: ${budget}. This model's maximum context length is ${maxModelLen} tokens and your request has ${prompt} input tokens (${budget} > ${maxModelLen} - ${prompt}). None`, style);
    }
    if (o.accepted) return o.accepted(req);
    const text = (o.answer ?? (() => 'The answer is \\boxed{A}.'))(promptText(j), req);
    if (o.reasoningOnly) return { status: 200, body: completion(req, '', { nullContent: true, reasoning: { field: o.reasoningOnly, text: `Let me think. ${text}` } }) };
    return { status: 200, body: completion(req, text) };
  };
  return startEmulator({
    port: o.port,
    models: [model],
    modelCard: (id) => ({ owned_by: 'vllm', root: id, parent: null, max_model_len: maxModelLen }),
    apiKey: o.apiKey,
    authExempt: ['GET /health', 'GET /metrics', 'GET /version', 'GET /ping'],
    unauthorized: () => ({ status: 401, body: { error: 'Unauthorized' } }),
    routes: { 'GET /health': () => ({ status: 200, text: '' }), 'POST /v1/chat/completions': chat },
  });
}
