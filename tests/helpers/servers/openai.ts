/**
 * The hosted OpenAI Chat Completions API as the runner meets it (no source to read: the behaviour is taken from the
 * API's error bodies as users report them, e.g. github.com/OpenHands/OpenHands/issues/4131 (o1-mini) and
 * github.com/QwenLM/qwen-code/issues/921 (gpt-5-mini), both 2024–2025, and the API reference for
 * `max_completion_tokens`, which replaced the deprecated `max_tokens`):
 * - reasoning models (o1, o3, o4-mini, gpt-5…) refuse `max_tokens` with 400 `{"error":{"message":"Unsupported
 *   parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.","type":
 *   "invalid_request_error","param":"max_tokens","code":"unsupported_parameter"}}`, and any temperature but 1 with
 *   "Unsupported value: 'temperature' does not support 0 with this model. Only the default (1) value is supported."
 *   (param "temperature", code "unsupported_value"); `top_p` likewise. One refusal per request, in that order.
 * - other models (gpt-4o…) take both fields; one whose completion limit is below the request (gpt-4-turbo: 4,096)
 *   answers 400 "max_tokens is too large: M. This model supports at most N completion tokens, whereas you provided
 *   M." with param "max_tokens" and code null.
 * - every route needs `Authorization: Bearer KEY` (401 code "invalid_api_key"); an unknown model is 404
 *   "model_not_found".
 */
import { completion, promptText, startEmulator, type EmulatorServer, type Reply, type SeenRequest } from './base.js';

export interface OpenAiOptions {
  port?: number;
  apiKey?: string;
  /** models served; reasoning ones are recognised by name */
  models?: string[];
  answer?: (prompt: string, req: SeenRequest) => string;
}

export const REASONING_MODEL = /^(o\d|gpt-5)/;

export function openAiError(status: number, message: string, param: string | null, code: string | null, type = 'invalid_request_error'): Reply {
  return { status, body: { error: { message, type, param, code } } };
}

/** completion-token ceilings of older chat models (gpt-4-turbo: 4,096) */
const COMPLETION_LIMIT: Record<string, number> = { 'gpt-4-turbo': 4096 };

function refuseParameters(model: string, j: Record<string, unknown>): Reply | null {
  const ceiling = COMPLETION_LIMIT[model];
  const asked = (j.max_completion_tokens ?? j.max_tokens) as number | undefined;
  if (ceiling && typeof asked === 'number' && asked > ceiling) {
    // the param is named although it is supported: only its value is too large (code null)
    return openAiError(400, `max_tokens is too large: ${asked}. This model supports at most ${ceiling} completion tokens, whereas you provided ${asked}.`, 'max_tokens', null);
  }
  if (!REASONING_MODEL.test(model)) return null;
  if (j.max_tokens !== undefined) {
    return openAiError(400, "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.", 'max_tokens', 'unsupported_parameter');
  }
  if (j.temperature !== undefined && j.temperature !== 1) {
    return openAiError(400, `Unsupported value: 'temperature' does not support ${String(j.temperature)} with this model. Only the default (1) value is supported.`, 'temperature', 'unsupported_value');
  }
  if (j.top_p !== undefined && j.top_p !== 1) {
    return openAiError(400, "Unsupported parameter: 'top_p' is not supported with this model.", 'top_p', 'unsupported_parameter');
  }
  return null;
}

export async function startOpenAi(o: OpenAiOptions = {}): Promise<EmulatorServer> {
  const models = o.models ?? ['gpt-4o', 'gpt-4-turbo', 'o4-mini', 'gpt-5-mini'];
  const apiKey = o.apiKey ?? 'sk-test';
  return startEmulator({
    port: o.port,
    models,
    modelCard: () => ({ owned_by: 'system' }),
    apiKey,
    unauthorized: () => openAiError(401, 'Incorrect API key provided: sk-****. You can find your API key at https://platform.openai.com/account/api-keys.', null, 'invalid_api_key'),
    routes: {
      'POST /v1/chat/completions': (req) => {
        const j = req.json ?? {};
        const model = String(j.model ?? '');
        if (!models.includes(model)) return openAiError(404, `The model \`${model}\` does not exist or you do not have access to it.`, null, 'model_not_found');
        return refuseParameters(model, j) ?? { status: 200, body: completion(req, (o.answer ?? (() => 'The answer is \\boxed{A}.'))(promptText(j), req)) };
      },
    },
    notFound: (req) => openAiError(404, `Invalid URL (${req.method} ${req.path})`, null, null),
  });
}
