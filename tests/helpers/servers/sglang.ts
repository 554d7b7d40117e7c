/**
 * SGLang's OpenAI-compatible server (`python -m sglang.launch_server`) as the runner meets it. Read from
 * sgl-project/sglang python/sglang/srt/managers/tokenizer_manager.py (`_validate_one_request`) and
 * python/sglang/srt/entrypoints/openai/{serving_base.py,serving_chat.py,protocol.py} at commit
 * 012bcb5f987e8b1469b9dd4e471874ff0ab0444a (v0.5.x):
 * - prompt tokens + `max_new_tokens` (from max_completion_tokens or max_tokens) >= context length is a ValueError
 *   "Requested token count exceeds the model's maximum context length of N tokens. You requested a total of T
 *   tokens: P tokens from the input messages and M tokens for the completion. Please reduce the number of tokens in
 *   the input messages or the completion to fit within the limit." — note `>=`, not `>`; a prompt alone longer than
 *   the context: "The input (P tokens) is longer than the model's context length (N tokens)."
 * - serving_chat turns a ValueError into 400 ErrorResponse `{"object":"error","message":…,"type":"BadRequestError",
 *   "param":null,"code":400}`; any other exception is 500 "Internal server error: …" (type InternalServerError).
 * - protocol.py ModelCard lists `max_model_len` (the context length) on GET /v1/models, owned_by "sglang".
 * - `--api-key` guards every route but `/health` and `/metrics` (401 `{"error":"Unauthorized"}`). Default port 30000.
 */
import { completion, promptText, promptTokens, startEmulator, type EmulatorServer, type Handler, type Reply, type SeenRequest } from './base.js';

export const SGLANG_DEFAULT_PORT = 30000;

export interface SglangOptions {
  port?: number;
  model?: string;
  /** --context-length (default 4096) */
  contextLength?: number;
  apiKey?: string | null;
  tokensPerImage?: number;
  answer?: (prompt: string, req: SeenRequest) => string;
  /** replaces the answer of an accepted request */
  accepted?: Handler;
}

export function sglangError(message: string, code = 400, type = 'BadRequestError'): Reply {
  return { status: code, body: { object: 'error', message, type, param: null, code } };
}

export async function startSglang(o: SglangOptions = {}): Promise<EmulatorServer> {
  const context = o.contextLength ?? 4096;
  const model = o.model ?? 'test-model';
  const chat: Handler = async (req) => {
    const j = req.json;
    if (!j) return sglangError('Internal server error: invalid JSON body', 500, 'InternalServerError');
    const prompt = promptTokens(j, o.tokensPerImage);
    if (prompt >= context) return sglangError(`The input (${prompt} tokens) is longer than the model's context length (${context} tokens).`);
    const budget = (j.max_completion_tokens ?? j.max_tokens) as number | undefined;
    if (typeof budget === 'number' && budget + prompt >= context) {
      return sglangError(`Requested token count exceeds the model's maximum context length of ${context} tokens. You requested a total of ${budget + prompt} tokens: ${prompt} tokens from the input messages and ${budget} tokens for the completion. Please reduce the number of tokens in the input messages or the completion to fit within the limit.`);
    }
    if (o.accepted) return o.accepted(req);
    return { status: 200, body: completion(req, (o.answer ?? (() => 'The answer is \\boxed{A}.'))(promptText(j), req)) };
  };
  return startEmulator({
    port: o.port,
    models: [model],
    modelCard: (id) => ({ owned_by: 'sglang', root: id, max_model_len: context }),
    apiKey: o.apiKey,
    authExempt: ['GET /health', 'GET /metrics'],
    unauthorized: () => ({ status: 401, body: { error: 'Unauthorized' } }),
    routes: { 'GET /health': () => ({ status: 200, text: '' }), 'POST /v1/chat/completions': chat },
  });
}
