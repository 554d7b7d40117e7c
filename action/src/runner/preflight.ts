/**
 * Before any item is sent, the endpoint must be READY, not just listening. llama.cpp answers GET /v1/models with
 * 200 while its model is still loading and every chat request meanwhile gets 503 "Loading model" (issue 11 case 4),
 * so readiness here means the server's own health endpoint says ready or, where it has none, a real minimal chat
 * completion gets an answer that is not a 503:
 *
 * 1. GET /v1/models (with the API key) until the endpoint gives any HTTP answer, bounded like the run's
 *    reachability (--unreachable-timeout), so a wrong port fails in seconds.
 * 2. GET /health (vLLM, SGLang, TGI, LMDeploy, llama.cpp): 200 → ready; 503 → the model is loading.
 * 3. No health route (404: Ollama, hosted APIs): POST a one-token chat completion instead.
 * A 503 means loading: wait (one probe per `pollMs`) for up to `readyMs` (--serve-timeout). 401/403 → stop at once,
 * saying the key was refused or missing. A 404 to the chat probe → stop with the server's message (a model Ollama has
 * not pulled, a wrong URL). Any other answer (200, or a 400 about the settings, which the run itself adapts to) means
 * the server is up.
 *
 * A model name the server does not list is only a warning: some servers route any name, or list aliases.
 */
import { UserError } from '../core/errors.js';
import { chatCompletionsUrl, errorBody, modelsUrl } from './http/client.js';
import { EndpointUnreachableError, FatalEndpointError } from './retry.js';

export interface PreflightOptions {
  endpoint: string;
  model: string;
  apiKey: string | null;
  unreachableMs: number;
  fetch: typeof fetch;
  now: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  log: (msg: string) => void;
  /** warnings worth keeping in results.json diagnostics (default: log) */
  warn?: (msg: string) => void;
  signal?: AbortSignal;
  /** how long a server answering 503 (still loading) is waited for; default 900 s, the --serve-timeout default */
  readyMs?: number;
  /** interval between readiness probes while the server loads (default 1 s) */
  pollMs?: number;
}

export const DEFAULT_READY_MS = 900_000;

interface Answer {
  status: number;
  text: string;
}

export async function checkEndpoint(o: PreflightOptions): Promise<void> {
  const models = await untilAnswered(o, () => get(o, modelsUrl(o.endpoint)));
  refuseAuth(modelsUrl(o.endpoint), models, o.apiKey);
  if (models.status === 200) warnUnlisted(models.text, o);
  await untilReady(o);
}

/** The one-token chat request used as the readiness probe (no images, greedy). */
export function readinessBody(model: string): string {
  const messages = [{ role: 'user', content: [{ type: 'text', text: 'Reply with OK.' }] }];
  return JSON.stringify({ model, messages, max_tokens: 1, temperature: 0, stream: false });
}

/** 401/403 from any probe: the key is missing or refused — stop at once, never wait for a timeout. */
export function refuseAuth(url: string, a: Answer, apiKey: string | null): void {
  if (a.status !== 401 && a.status !== 403) return;
  const said = errorBody(a.text)?.message ?? a.text.replace(/\s+/g, ' ').slice(0, 200);
  const hint = apiKey
    ? 'the server refused the API key given with --api-key-env; check that it is the key the server was started with (vLLM/SGLang --api-key, LMDeploy --api-keys)'
    : 'the server requires an API key; pass it with --api-key-env VAR (the name of an environment variable holding it)';
  throw new UserError(`the endpoint ${url} answered HTTP ${a.status}${said ? ` (${said})` : ''}: ${hint}`, 3);
}

/** `http://h:8000/v1` → `http://h:8000/health` (a path prefix before /v1 is kept) */
export function healthUrl(endpoint: string): string {
  return chatCompletionsUrl(endpoint).replace(/\/chat\/completions$/, '').replace(/\/v1$/, '') + '/health';
}

async function untilReady(o: PreflightOptions): Promise<void> {
  const url = chatCompletionsUrl(o.endpoint);
  const health = healthUrl(o.endpoint);
  const readyMs = o.readyMs ?? DEFAULT_READY_MS;
  let loadingSince: number | null = null;
  let useHealth = true;
  for (;;) {
    let a = useHealth ? await untilAnswered(o, () => get(o, health)) : null;
    if (a && a.status !== 200 && a.status !== 503 && a.status !== 401 && a.status !== 403) useHealth = false; // no such route
    if (!useHealth) {
      a = await untilAnswered(o, () => post(o, url, readinessBody(o.model)));
      if (a.status === 404) throw new FatalEndpointError(url, `HTTP 404: ${errorBody(a.text)?.message ?? a.text.slice(0, 200)}`);
    }
    a = a!;
    refuseAuth(useHealth ? health : url, a, o.apiKey);
    if (a.status !== 503) {
      if (loadingSince !== null) o.log(`${url} is ready after ${Math.round((o.now() - loadingSince) / 1000)} s of loading`);
      return;
    }
    const said = errorBody(a.text)?.message ?? a.text.slice(0, 200);
    if (loadingSince === null) {
      loadingSince = o.now();
      o.log(`${url} answered HTTP 503 (${said}): the model is still loading; waiting up to ${Math.round(readyMs / 1000)} s (--serve-timeout)`);
    }
    if (o.now() - loadingSince >= readyMs) {
      throw new UserError(`the endpoint ${url} still answered HTTP 503 (${said}) after ${Math.round(readyMs / 1000)} s; ` +
        'the model did not finish loading (raise --serve-timeout if it loads slowly, or check the server log)', 3);
    }
    await o.sleep(o.pollMs ?? 1000, o.signal);
  }
}

/** Repeats `ask` until it gets an HTTP answer; network failures for longer than the unreachable bound stop the run. */
async function untilAnswered(o: PreflightOptions, ask: () => Promise<Answer>): Promise<Answer> {
  const started = o.now();
  let lastError = '';
  for (let attempt = 0; ; attempt++) {
    try {
      return await ask();
    } catch (e) {
      if (o.signal?.aborted) throw o.signal.reason;
      const err = e as { name?: string; message?: string; cause?: { code?: string } };
      lastError = err.cause?.code ?? (err.name === 'TimeoutError' ? 'request timeout' : (err.message ?? String(e)));
    }
    if (o.now() - started >= o.unreachableMs) throw new EndpointUnreachableError(o.endpoint, o.unreachableMs, lastError);
    await o.sleep(Math.min(250 * 2 ** Math.min(attempt, 4), Math.max(0, o.unreachableMs - (o.now() - started))), o.signal);
  }
}

function headers(o: PreflightOptions, json: boolean): Record<string, string> {
  const h: Record<string, string> = o.apiKey ? { authorization: `Bearer ${o.apiKey}` } : {};
  if (json) h['content-type'] = 'application/json';
  return h;
}

function timeout(o: PreflightOptions, ms: number): AbortSignal {
  const t = AbortSignal.timeout(ms);
  return o.signal ? AbortSignal.any([t, o.signal]) : t;
}

async function get(o: PreflightOptions, url: string): Promise<Answer> {
  const res = await o.fetch(url, { headers: headers(o, false), signal: timeout(o, Math.max(1000, Math.min(10_000, o.unreachableMs))) });
  return { status: res.status, text: await res.text() };
}

async function post(o: PreflightOptions, url: string, body: string): Promise<Answer> {
  // a one-token answer from a loaded model takes well under a minute even on a busy server
  const res = await o.fetch(url, { method: 'POST', headers: headers(o, true), body, signal: timeout(o, 60_000) });
  return { status: res.status, text: await res.text() };
}

function warnUnlisted(text: string, o: PreflightOptions): void {
  try {
    const ids = ((JSON.parse(text) as { data?: Array<{ id?: unknown }> }).data ?? []).map((m) => String(m.id));
    if (ids.length > 0 && !ids.includes(o.model)) {
      (o.warn ?? o.log)(`note: the endpoint lists ${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ', …' : ''} but not '${o.model}'; sending '${o.model}' anyway`);
    }
  } catch {
    // a non-JSON model list is not our concern; the chat requests will tell
  }
}
