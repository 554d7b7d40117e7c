/**
 * Hugging Face text-generation-inference (TGI) as the runner meets it. Read from huggingface/text-generation-inference
 * router/src/validation.rs (commit 01067f8ba8bc1d378bb0fb3cd7ef6fe43fba86c0, v3.x), router/src/lib.rs and
 * router/src/server.rs:
 * - chat `max_tokens` becomes `max_new_tokens`; validation refuses input + max_new_tokens > `--max-total-tokens`
 *   with ValidationError::MaxTotalTokens "`inputs` tokens + `max_new_tokens` must be <= N. Given: P `inputs` tokens
 *   and M `max_new_tokens`", and an input over `--max-input-tokens` with "`inputs` must have less than N tokens.
 *   Given: P". Without max_tokens the budget defaults to what is left of max_total_tokens.
 * - `top_p` must be > 0.0 and < 1.0 (ValidationError::TopP): 1.0 is refused although it is the default.
 * - chat temperature 0 means greedy (lib.rs: `Some(t) if t == 0.0 => (false, None)`), so 0 is accepted.
 * - every validation error is 422 `{"error":"…","error_type":"validation"}`; a body over `--payload-limit`
 *   (2,000,000 bytes by default) is 413.
 * - GET /info reports `max_input_tokens` and `max_total_tokens`; GET /v1/models lists the model id without limits;
 *   /health is 200 once warm. No API key. Launcher default port 3000 (80 in the container).
 */
import { completion, promptText, promptTokens, startEmulator, type EmulatorServer, type Handler, type Reply, type SeenRequest } from './base.js';

export const TGI_DEFAULT_PORT = 3000;

export interface TgiOptions {
  port?: number;
  model?: string;
  /** --max-total-tokens (default 4096) and --max-input-tokens (default max total − 1) */
  maxTotalTokens?: number;
  maxInputTokens?: number;
  payloadLimit?: number;
  tokensPerImage?: number;
  answer?: (prompt: string, req: SeenRequest) => string;
  /** report limits on /info (TGI does; false: an /info-less proxy in front of it) */
  info?: boolean;
}

export function tgiError(message: string, status = 422, type = 'validation'): Reply {
  return { status, body: { error: message, error_type: type } };
}

export async function startTgi(o: TgiOptions = {}): Promise<EmulatorServer> {
  const total = o.maxTotalTokens ?? 4096;
  const input = o.maxInputTokens ?? total - 1;
  const model = o.model ?? 'tgi';
  const payloadLimit = o.payloadLimit ?? 2_000_000;
  const chat: Handler = async (req) => {
    if (req.raw.length > payloadLimit) return { status: 413, text: 'Failed to buffer the request body: length limit exceeded' };
    const j = req.json;
    if (!j) return tgiError('Failed to deserialize the JSON body into the target type', 422, 'validation');
    const topP = j.top_p as number | undefined;
    if (topP !== undefined && topP !== null && (topP <= 0 || topP >= 1)) return tgiError('`top_p` must be > 0.0 and < 1.0');
    const temperature = j.temperature as number | undefined;
    if (typeof temperature === 'number' && temperature < 0) return tgiError('`temperature` must be strictly positive');
    const prompt = promptTokens(j, o.tokensPerImage);
    const budget = (j.max_tokens as number | undefined) ?? Math.max(0, total - prompt);
    if (budget === 0) return tgiError('`max_new_tokens` must be strictly positive');
    if (prompt + budget > total) return tgiError(`\`inputs\` tokens + \`max_new_tokens\` must be <= ${total}. Given: ${prompt} \`inputs\` tokens and ${budget} \`max_new_tokens\``);
    if (prompt > input) return tgiError(`\`inputs\` must have less than ${input} tokens. Given: ${prompt}`);
    return { status: 200, body: completion(req, (o.answer ?? (() => 'The answer is \\boxed{A}.'))(promptText(j), req)) };
  };
  const info = () => ({ status: 200, body: { model_id: model, max_input_tokens: input, max_total_tokens: total, max_concurrent_requests: 128, version: '3.3.0' } });
  return startEmulator({
    port: o.port,
    models: [model],
    modelCard: (id) => ({ owned_by: id }),
    routes: {
      'GET /health': () => ({ status: 200, text: '' }),
      ...(o.info === false ? {} : { 'GET /info': info }),
      'POST /v1/chat/completions': chat,
    },
    notFound: () => ({ status: 404, text: '' }),
  });
}
