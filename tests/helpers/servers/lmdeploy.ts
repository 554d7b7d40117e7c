/**
 * LMDeploy `lmdeploy serve api_server` as the runner meets it. Read from InternLM/lmdeploy
 * lmdeploy/serve/openai/api_server.py (commit 002e7cff951d5b34286937a5516f72e6bef059c8):
 * - `--api-keys`: `check_api_key` guards `/v1/models` and `/v1/chat/completions`; a missing or wrong key raises
 *   HTTPException(401, detail={"error": {"message": "Please request with valid api key!", …, "code":
 *   "invalid_api_key"}}), which FastAPI sends as `{"detail": {...}}`. `/health` has no guard and answers 200 with
 *   an empty body.
 * - `check_request`: a model name not in `get_model_list()` → 404 `The model \`NAME\` does not exist.`;
 *   top_p outside (0, 1] or temperature outside [0, 2] → 400 (ErrorResponse: object "error", message, type, code).
 * - a prompt at or over `--session-len` cannot be served (finish_reason "length", empty text); `max_tokens` that
 *   overruns the session is cut to fit (the engine logs a warning and truncates max_new_tokens).
 * - `/v1/models` cards carry `owned_by: "lmdeploy"`. Default port 23333.
 */
import { completion, promptText, promptTokens, startEmulator, type EmulatorServer, type Reply, type SeenRequest } from './base.js';

export const LMDEPLOY_DEFAULT_PORT = 23333;

export interface LmDeployOptions {
  port?: number;
  apiKey?: string | null;
  model?: string;
  /** --session-len (default 8192 tokens) */
  sessionLen?: number;
  answer?: (prompt: string) => string;
}

const errorResponse = (status: number, message: string): Reply =>
  ({ status, body: { object: 'error', message, type: 'invalid_request_error', param: null, code: status } });

export async function startLmDeploy(o: LmDeployOptions = {}): Promise<EmulatorServer> {
  const model = o.model ?? 'test-model';
  return startEmulator({
    port: o.port,
    models: [model],
    modelCard: (id) => ({ owned_by: 'lmdeploy', root: id, parent: null, permission: [] }),
    apiKey: o.apiKey ?? null,
    authExempt: ['GET /health'],
    unauthorized: () => ({ status: 401, body: { detail: { error: { message: 'Please request with valid api key!', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } } } }),
    routes: {
      'GET /health': () => ({ status: 200, text: '' }),
      'POST /v1/chat/completions': (req) => chat(req, model, o),
    },
  });
}

function chat(req: SeenRequest, model: string, o: LmDeployOptions): Reply {
  const j = req.json ?? {};
  if (j.model !== model) return errorResponse(404, `The model \`${String(j.model)}\` does not exist.`);
  const topP = j.top_p === undefined ? 1 : Number(j.top_p);
  if (!(topP > 0 && topP <= 1)) return errorResponse(400, `The top_p \`${topP}\` must be in (0, 1].`);
  const temperature = j.temperature === undefined ? 0.7 : Number(j.temperature);
  if (!(temperature >= 0 && temperature <= 2)) return errorResponse(400, `The temperature \`${temperature}\` must be in [0, 2]`);
  const sessionLen = o.sessionLen ?? 8192;
  if (promptTokens(j) >= sessionLen) return { status: 200, body: completion(req, '', { finishReason: 'length' }) };
  return { status: 200, body: completion(req, (o.answer ?? (() => 'The answer is \\boxed{A}.'))(promptText(j))) };
}
