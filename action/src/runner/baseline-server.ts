/**
 * A small OpenAI-compatible server answering like a chance-level baseline (see baseline-policy.ts), with optional
 * injected faults. Used as the embedded default model, as the chance row, and by the runner's tests and benchmarks.
 * Built on node:http only: it must start in milliseconds and never be the bottleneck of a benchmark.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { sha256Hex } from './http/client.js';
import { answerFor, parseFaults, parsePolicy, pickFault, promptText, type FaultKind } from './baseline-policy.js';

export interface BaselineServerOptions {
  port?: number;
  host?: string;
  /** 'random' (default) or 'constant:VALUE' */
  policy?: string;
  seed?: number;
  /** e.g. "500:0.05,429:0.05,timeout:0.01,reset:0.01,malformed:0.02,empty:0.01" */
  faults?: string;
  /** model id listed by GET /v1/models */
  modelId?: string;
  /** Retry-After sent with injected 429s, in seconds */
  retryAfterSeconds?: number;
  /** added latency per answered request (simulates generation time; tests use it to interrupt runs mid-way) */
  delayMs?: number;
  /** never answer a request whose prompt contains this text (one item that hangs while the others are served) */
  hangOn?: string;
  /** prefix every answer with about this many bytes of filler "reasoning" (long chain-of-thought answers) */
  padBytes?: number;
  /** called with every chat-completion request body as received (tests check what the server saw) */
  onChat?: (body: Buffer) => void;
}

export interface BaselineStats {
  /** chat-completion requests received, faulted or not */
  requests: number;
  /** requests per request hash (SHA-256 hex of the request body) */
  byKey: Map<string, number>;
  /** injected faults per kind */
  faults: Map<FaultKind, number>;
}

export interface BaselineServer {
  url: string;
  stats: BaselineStats;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 256 * 1024 * 1024;

export async function startBaselineServer(opts: BaselineServerOptions = {}): Promise<BaselineServer> {
  const policy = parsePolicy(opts.policy ?? 'random');
  const faults = parseFaults(opts.faults);
  const seed = opts.seed ?? 0;
  const modelId = opts.modelId ?? (policy.kind === 'random' ? 'baseline-random' : `baseline-constant`);
  const stats: BaselineStats = { requests: 0, byKey: new Map(), faults: new Map() };
  const sockets = new Set<Socket>();

  const chat = (body: Buffer, res: ServerResponse): void => {
    opts.onChat?.(body);
    const hash = sha256Hex(body);
    const attempt = (stats.byKey.get(hash) ?? 0) + 1;
    stats.byKey.set(hash, attempt);
    stats.requests++;
    const fault = pickFault(faults, seed, hash, attempt);
    if (fault) stats.faults.set(fault, (stats.faults.get(fault) ?? 0) + 1);
    if (fault && injectFault(fault, res, opts.retryAfterSeconds ?? 0)) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return sendJson(res, 400, { error: { message: 'request body is not JSON', type: 'invalid_request_error' } });
    }
    const prompt = promptText(parsed);
    if (opts.hangOn && prompt.includes(opts.hangOn)) return; // close() destroys the socket
    const content = padAnswer(answerFor(policy, prompt, seed, hash), opts.padBytes ?? 0);
    const reply = completion(hash, modelId, (parsed as { model?: unknown }).model, content, prompt, fault === 'empty');
    if (opts.delayMs) setTimeout(() => sendJson(res, 200, reply), opts.delayMs);
    else sendJson(res, 200, reply);
  };

  const server = createServer((req, res) => {
    route(req, res, modelId, chat).catch(() => {
      if (!res.headersSent) sendJson(res, 500, { error: { message: 'internal error' } });
    });
  });
  server.keepAliveTimeout = 60_000;
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : opts.port;
  const host = (opts.host ?? '127.0.0.1').includes(':') ? `[${opts.host}]` : (opts.host ?? '127.0.0.1');
  return {
    url: `http://${host}:${port}`,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

async function route(
  req: IncomingMessage,
  res: ServerResponse,
  modelId: string,
  chat: (body: Buffer, res: ServerResponse) => void,
): Promise<void> {
  const path = (req.url ?? '/').split('?')[0]!.replace(/\/+$/, '');
  if (req.method === 'GET' && path === '/v1/models') {
    return sendJson(res, 200, { object: 'list', data: [{ id: modelId, object: 'model', owned_by: 'medvlm-bench' }] });
  }
  // like vLLM: ready once listening (the runner's preflight asks /health before the first item)
  if (req.method === 'GET' && path === '/health') return sendJson(res, 200, {});
  if (req.method === 'POST' && path === '/v1/chat/completions') {
    const body = await readBody(req);
    if (body === null) return sendJson(res, 413, { error: { message: 'request body too large' } });
    return chat(body, res);
  }
  sendJson(res, 404, { error: { message: `no route ${req.method} ${path}`, type: 'not_found' } });
}

async function readBody(req: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Returns true when the fault replaced the answer ('empty' still answers, with no choices). */
function injectFault(fault: FaultKind, res: ServerResponse, retryAfter: number): boolean {
  switch (fault) {
    case '500':
      sendJson(res, 500, { error: { message: 'injected fault: internal server error' } });
      return true;
    case '429':
      res.setHeader('retry-after', String(retryAfter));
      sendJson(res, 429, { error: { message: 'injected fault: rate limited' } });
      return true;
    case 'timeout':
      return true; // never answer: the client's request timeout fires; close() destroys the socket
    case 'reset':
      res.socket?.destroy();
      return true;
    case 'malformed':
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"x","choices":[{"message":');
      return true;
    case 'empty':
      return false;
  }
}

function completion(hash: string, modelId: string, model: unknown, content: string, prompt: string, empty: boolean): unknown {
  const promptTokens = Math.ceil(prompt.length / 4);
  return {
    id: `chatcmpl-${hash.slice(0, 24)}`,
    object: 'chat.completion',
    created: 0,
    model: typeof model === 'string' ? model : modelId,
    choices: empty ? [] : [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage: { prompt_tokens: promptTokens, completion_tokens: Math.ceil(content.length / 4), total_tokens: promptTokens + Math.ceil(content.length / 4) },
  };
}

const FILLER = 'considering the findings in this scan carefully before answering ';

function padAnswer(answer: string, bytes: number): string {
  return bytes > 0 ? `${FILLER.repeat(Math.ceil(bytes / FILLER.length)).slice(0, bytes)}\n${answer}` : answer;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
}
