/**
 * Shared base for the inference-server emulators (vllm.ts, sglang.ts, tgi.ts, openai.ts, llamacpp.ts, ollama.ts,
 * lmdeploy.ts): a real node:http server on loopback that speaks the OpenAI chat-completions wire format, with hooks
 * for what differs between servers — extra routes (/health, /metrics, /api/version…), which routes need the API key
 * and how a refusal looks, and a per-request chat handler that can refuse, delay, hang or reset.
 * Emulators describe a server's behaviour (cited from its source); this file only carries bytes.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** One request as the emulator saw it. `json` is the parsed body (null when not JSON or a GET). */
export interface SeenRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  raw: Buffer;
  json: Record<string, unknown> | null;
  /** 1-based arrival number among chat requests (0 for other routes) */
  n: number;
  /** chat requests in flight when this one arrived, itself included */
  inFlight: number;
}

/** What to answer. `hang` never answers (close() frees the socket); `reset` destroys the connection. */
export type Reply =
  | { status: number; body?: unknown; text?: string; headers?: Record<string, string>; delayMs?: number }
  | 'hang'
  | 'reset';

export type Handler = (req: SeenRequest) => Reply | Promise<Reply>;

export interface EmulatorOptions {
  /** model ids on GET /v1/models (default ['test-model']); `modelCard` adds server-specific fields per model */
  models?: string[];
  modelCard?: (id: string) => Record<string, unknown>;
  /** the bearer key the server was started with; null/undefined: no auth */
  apiKey?: string | null;
  /** routes that need no key even when apiKey is set, as "GET /health" (default: none) */
  authExempt?: string[];
  /** the server's own body for a missing/wrong key (default: OpenAI-style 401) */
  unauthorized?: (req: SeenRequest) => Reply;
  /** extra routes as "METHOD /path" → handler (checked before the defaults, so they may also replace them) */
  routes?: Record<string, Handler>;
  /** POST /v1/chat/completions: the server's behaviour. Default: `answer(prompt)` as a normal completion. */
  chat?: Handler;
  /** default chat answer text (default: `The answer is \boxed{A}.`) */
  answer?: (prompt: string, req: SeenRequest) => string;
  /** the server's body for an unknown route (default: 404 {"detail":"Not Found"}, FastAPI's) */
  notFound?: (req: SeenRequest) => Reply;
  port?: number;
}

export interface EmulatorServer {
  url: string;
  port: number;
  /** every request received, in arrival order (chat and others) */
  requests: SeenRequest[];
  /** chat requests only */
  chats(): SeenRequest[];
  stats: { chat: number; inFlight: number; maxInFlight: number };
  close(): Promise<void>;
}

export async function startEmulator(o: EmulatorOptions = {}): Promise<EmulatorServer> {
  const requests: SeenRequest[] = [];
  const stats = { chat: 0, inFlight: 0, maxInFlight: 0 };
  const sockets = new Set<Socket>();
  const models = o.models ?? ['test-model'];
  const defaults: Record<string, Handler> = {
    'GET /v1/models': () => ({ status: 200, body: modelList(models, o.modelCard) }),
    'POST /v1/chat/completions': o.chat ?? ((req) => ({ status: 200, body: completion(req, (o.answer ?? defaultAnswer)(promptText(req.json), req)) })),
  };
  const handlers = { ...defaults, ...(o.routes ?? {}) };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) send(res, { status: 500, body: { error: String(e) } });
    });
  });
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]!;
    const raw = await readBody(req);
    const isChat = req.method === 'POST' && path === '/v1/chat/completions';
    const seen: SeenRequest = { method: req.method ?? 'GET', path, headers: req.headers, raw, json: parseJson(raw), n: 0, inFlight: 0 };
    if (isChat) {
      seen.n = ++stats.chat;
      seen.inFlight = ++stats.inFlight;
      stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
      res.on('close', () => stats.inFlight--);
    }
    requests.push(seen);
    const route = `${seen.method} ${path}`;
    if (o.apiKey && !(o.authExempt ?? []).includes(route) && req.headers.authorization !== `Bearer ${o.apiKey}`) {
      return send(res, (o.unauthorized ?? defaultUnauthorized)(seen));
    }
    const h = handlers[route];
    send(res, h ? await h(seen) : (o.notFound ?? (() => ({ status: 404, body: { detail: 'Not Found' } })))(seen));
  }

  server.keepAliveTimeout = 60_000;
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    chats: () => requests.filter((r) => r.n > 0),
    stats,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

function send(res: ServerResponse, reply: Reply): void {
  if (reply === 'hang') return;
  if (reply === 'reset') {
    res.socket?.destroy();
    return;
  }
  const write = () => {
    const text = reply.text ?? (reply.body === undefined ? '' : JSON.stringify(reply.body));
    const type = reply.text !== undefined ? 'text/plain' : 'application/json';
    res.writeHead(reply.status, { 'content-type': type, 'content-length': Buffer.byteLength(text), ...(reply.headers ?? {}) }).end(text);
  };
  if (reply.delayMs) setTimeout(write, reply.delayMs);
  else write();
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function parseJson(raw: Buffer): Record<string, unknown> | null {
  if (raw.length === 0) return null;
  try {
    const v = JSON.parse(raw.toString('utf8')) as unknown;
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function defaultUnauthorized(): Reply {
  return { status: 401, body: { error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', code: 'invalid_api_key' } } };
}

const defaultAnswer = (): string => 'The answer is \\boxed{A}.';

export function modelList(ids: string[], card?: (id: string) => Record<string, unknown>): unknown {
  return { object: 'list', data: ids.map((id) => ({ id, object: 'model', created: 0, owned_by: 'emulator', ...(card?.(id) ?? {}) })) };
}

/** Text of the user turn's text parts (the prompt; image parts skipped). */
export function promptText(json: Record<string, unknown> | null): string {
  const messages = json?.messages;
  if (!Array.isArray(messages)) return '';
  const c = (messages.at(-1) as { content?: unknown } | undefined)?.content;
  if (typeof c === 'string') return c;
  if (!Array.isArray(c)) return '';
  return c.filter((p) => (p as { type?: string }).type === 'text').map((p) => String((p as { text?: unknown }).text ?? '')).join('\n');
}

/** Number of image parts in the user turn. */
export function imageCount(json: Record<string, unknown> | null): number {
  const c = (json?.messages as Array<{ content?: unknown }> | undefined)?.at(-1)?.content;
  return Array.isArray(c) ? c.filter((p) => (p as { type?: string }).type === 'image_url').length : 0;
}

/** A rough prompt-token count an emulator can compare with its context limit: ~4 characters per token of text
 * plus a fixed cost per image (real servers count an image as hundreds of tokens; tests pick numbers around this). */
export function promptTokens(json: Record<string, unknown> | null, tokensPerImage = 100): number {
  return Math.ceil(promptText(json).length / 4) + imageCount(json) * tokensPerImage;
}

export interface CompletionExtras {
  finishReason?: string;
  reasoning?: { field: 'reasoning' | 'reasoning_content'; text: string };
  /** content null instead of a string (what vLLM sends when a reasoning parser took everything) */
  nullContent?: boolean;
}

/** A well-formed chat.completion object for `req`. */
export function completion(req: SeenRequest, content: string, x: CompletionExtras = {}): Record<string, unknown> {
  const prompt = promptTokens(req.json);
  const completionTokens = Math.max(1, Math.ceil(content.length / 4));
  const message: Record<string, unknown> = { role: 'assistant', content: x.nullContent ? null : content };
  if (x.reasoning) message[x.reasoning.field] = x.reasoning.text;
  return {
    id: `chatcmpl-${req.n}`,
    object: 'chat.completion',
    created: 0,
    model: typeof req.json?.model === 'string' ? req.json.model : 'test-model',
    choices: [{ index: 0, message, finish_reason: x.finishReason ?? 'stop' }],
    usage: { prompt_tokens: prompt, completion_tokens: completionTokens, total_tokens: prompt + completionTokens },
  };
}
