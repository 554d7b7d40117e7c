/**
 * Ollama's OpenAI-compatible API as the runner meets it. Read from ollama/ollama openai/openai.go (commit
 * 634c416645790c84dfc80849b05f84b3853b127f) and server/routes.go:
 * - image parts: only `data:image/{jpeg,jpg,png,webp};base64,` (or a bare `data:;base64,`) are taken; anything else
 *   is `errors.New("invalid image input")`, which the OpenAI middleware sends as 400
 *   `{"error":{"message":"invalid image input","type":"invalid_request_error","param":null}}`.
 * - a model that is not pulled: 404 `model "NAME" not found, try pulling it first` (type api_error).
 * - no API key (Ollama has no auth); readiness is `GET /api/version` → `{"version": "…"}`; `GET /` answers
 *   "Ollama is running"; gin's 404 for unknown routes is the text "404 page not found".
 * - `/v1/models` lists pulled models with `owned_by: "library"`. `max_tokens` maps to `num_predict`;
 *   `max_completion_tokens` is not read. Default port 11434.
 */
import { completion, promptText, startEmulator, type EmulatorServer, type Reply, type SeenRequest } from './base.js';

export const OLLAMA_DEFAULT_PORT = 11434;
export const OLLAMA_VERSION = '0.12.6';

export interface OllamaOptions {
  port?: number;
  /** pulled models (default ['test-model']) */
  models?: string[];
  answer?: (prompt: string) => string;
}

const openaiError = (status: number, message: string, type: string): Reply =>
  ({ status, body: { error: { message, type, param: null, code: null } } });

const ACCEPTED = /^data:(image\/(jpeg|jpg|png|webp))?;base64,/;

export async function startOllama(o: OllamaOptions = {}): Promise<EmulatorServer> {
  const models = o.models ?? ['test-model'];
  return startEmulator({
    port: o.port,
    models,
    modelCard: () => ({ owned_by: 'library' }),
    notFound: () => ({ status: 404, text: '404 page not found' }),
    routes: {
      'GET /': () => ({ status: 200, text: 'Ollama is running' }),
      'GET /api/version': () => ({ status: 200, body: { version: OLLAMA_VERSION } }),
      'GET /api/tags': () => ({ status: 200, body: { models: models.map((name) => ({ name, model: name })) } }),
      'POST /v1/chat/completions': (req) => chat(req, models, o),
    },
  });
}

function chat(req: SeenRequest, models: string[], o: OllamaOptions): Reply {
  const model = String(req.json?.model ?? '');
  const content = (req.json?.messages as Array<{ content?: unknown }> | undefined)?.at(-1)?.content;
  const parts = Array.isArray(content) ? (content as Array<{ type?: string; image_url?: { url?: string } }>) : [];
  // the request is converted (images checked) before the model is looked up (ChatMiddleware, then ChatHandler)
  for (const p of parts) {
    if (p.type === 'image_url' && !ACCEPTED.test(p.image_url?.url ?? '')) return openaiError(400, 'invalid image input', 'invalid_request_error');
  }
  if (!models.includes(model)) return openaiError(404, `model "${model}" not found, try pulling it first`, 'api_error');
  return { status: 200, body: completion(req, (o.answer ?? (() => 'The answer is \\boxed{A}.'))(promptText(req.json))) };
}
