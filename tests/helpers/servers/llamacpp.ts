/**
 * llama.cpp `llama-server` as the runner meets it. Read from ggml-org/llama.cpp tools/server/server.cpp
 * (commit aa6192d38defc9a5d9fb2987413f71b18f214270; the middleware as of the b5xxx releases):
 * - the HTTP server listens BEFORE the model is loaded. While loading, `middleware_server_state` answers every path
 *   with 503 `{"error":{"code":503,"message":"Loading model","type":"unavailable_error"}}` — except `/models`,
 *   `/v1/models` and `/api/tags`, which are let through ("allow the models endpoint to be accessed during loading").
 *   So `GET /v1/models` is 200 while a chat request gets 503, and `GET /health` is 503 until ready, then
 *   `{"status":"ok"}`.
 * - `--api-key`: `middleware_validate_api_key` exempts `/health`, `/models`, `/v1/models`, `/api/tags` and `/`; any
 *   other path without the key gets 401 `{"error":{"code":401,"message":"Invalid API Key","type":"authentication_error"}}`.
 * - images are decoded by stb_image (through mtmd): JPEG, PNG, BMP, GIF, … but no WebP or TIFF; an undecodable image
 *   answers 400 "Failed to load image or audio file" (type invalid_request_error).
 * - `/v1/models` entries carry `owned_by: "llamacpp"`. Default port 8080.
 */
import { completion, promptText, startEmulator, type EmulatorServer, type Reply, type SeenRequest } from './base.js';

export const LLAMACPP_DEFAULT_PORT = 8080;

export interface LlamaCppOptions {
  port?: number;
  apiKey?: string | null;
  /** ms after start during which the model is "loading" (default 0: ready at once) */
  loadMs?: number;
  /** model id listed (llama-server lists the GGUF's alias/path; any name is accepted in requests) */
  model?: string;
  answer?: (prompt: string) => string;
}

export interface LlamaCppServer extends EmulatorServer {
  /** end the loading phase now */
  ready(): void;
  loading(): boolean;
}

const error = (code: number, message: string, type: string): Reply => ({ status: code, body: { error: { code, message, type } } });

/** MIME types stb_image decodes (stb_image.h: JPEG, PNG, BMP, GIF, PSD, TGA, HDR, PIC, PNM); not WebP, not TIFF. */
const DECODABLE = /^data:image\/(jpeg|jpg|png|bmp|gif);base64,/;

export async function startLlamaCpp(o: LlamaCppOptions = {}): Promise<LlamaCppServer> {
  let loadingUntil = Date.now() + (o.loadMs ?? 0);
  const loading = (): boolean => Date.now() < loadingUntil;
  const modelsDuringLoad = new Set(['GET /v1/models', 'GET /models', 'GET /api/tags']);
  const publicRoutes = ['GET /health', 'GET /v1/models', 'GET /models', 'GET /api/tags', 'GET /'];
  // the state middleware runs before the key check (pre-routing handler order in server.cpp)
  const gate = (route: string, then: (req: SeenRequest) => Reply) => (req: SeenRequest): Reply =>
    loading() && !modelsDuringLoad.has(route) ? error(503, 'Loading model', 'unavailable_error') : then(req);
  const model = o.model ?? 'test-model';
  const server = await startEmulator({
    port: o.port,
    models: [model],
    modelCard: () => ({ owned_by: 'llamacpp', meta: { n_ctx_train: 4096 } }),
    apiKey: o.apiKey ?? null,
    authExempt: publicRoutes,
    unauthorized: (req) => (loading() ? error(503, 'Loading model', 'unavailable_error') : error(401, 'Invalid API Key', 'authentication_error')),
    notFound: () => error(404, 'File Not Found', 'not_found_error'),
    routes: {
      'GET /health': gate('GET /health', () => ({ status: 200, body: { status: 'ok' } })),
      'GET /props': gate('GET /props', () => ({ status: 200, body: { default_generation_settings: { n_ctx: 4096 }, model_path: model } })),
      'POST /v1/chat/completions': gate('POST /v1/chat/completions', (req) => chat(req, o)),
    },
  });
  return Object.assign(server, { ready: () => void (loadingUntil = 0), loading });
}

function chat(req: SeenRequest, o: LlamaCppOptions): Reply {
  const content = (req.json?.messages as Array<{ content?: unknown }> | undefined)?.at(-1)?.content;
  const parts = Array.isArray(content) ? (content as Array<{ type?: string; image_url?: { url?: string } }>) : [];
  for (const p of parts) {
    if (p.type === 'image_url' && !DECODABLE.test(p.image_url?.url ?? '')) {
      return error(400, 'Failed to load image or audio file', 'invalid_request_error');
    }
  }
  return { status: 200, body: completion(req, (o.answer ?? defaultAnswer)(promptText(req.json))) };
}

const defaultAnswer = (): string => 'The answer is \\boxed{A}.';
