/**
 * Before any item is sent: ask GET /v1/models until the endpoint answers (bounded by the same reachability bound as
 * the run), so a wrong port or a server that is not up fails in seconds with one clear message. A model name the
 * server does not list is only a warning: some servers route any name, or list aliases.
 */
import { modelsUrl } from './http/client.js';
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
  signal?: AbortSignal;
}

export async function checkEndpoint(o: PreflightOptions): Promise<void> {
  const url = modelsUrl(o.endpoint);
  const started = o.now();
  const headers: Record<string, string> = o.apiKey ? { authorization: `Bearer ${o.apiKey}` } : {};
  let lastError = '';
  for (let attempt = 0; ; attempt++) {
    try {
      const res = await o.fetch(url, { headers, signal: AbortSignal.timeout(Math.max(1000, Math.min(10_000, o.unreachableMs))) });
      const text = await res.text();
      if (res.status === 401 || res.status === 403) throw new FatalEndpointError(url, `HTTP ${res.status}: ${text.slice(0, 200)}`);
      if (res.ok) return warnUnlisted(text, o);
      if (res.status === 404) return o.log(`note: ${url} answered 404; continuing (the server may not implement /v1/models)`);
      return o.log(`note: ${url} answered HTTP ${res.status}; continuing`);
    } catch (e) {
      if (e instanceof FatalEndpointError) throw e;
      if (o.signal?.aborted) throw o.signal.reason;
      const err = e as { name?: string; message?: string; cause?: { code?: string } };
      lastError = err.cause?.code ?? (err.name === 'TimeoutError' ? 'request timeout' : (err.message ?? String(e)));
    }
    if (o.now() - started >= o.unreachableMs) throw new EndpointUnreachableError(o.endpoint, o.unreachableMs, lastError);
    await o.sleep(Math.min(250 * 2 ** Math.min(attempt, 4), Math.max(0, o.unreachableMs - (o.now() - started))), o.signal);
  }
}

function warnUnlisted(text: string, o: PreflightOptions): void {
  try {
    const ids = ((JSON.parse(text) as { data?: Array<{ id?: unknown }> }).data ?? []).map((m) => String(m.id));
    if (ids.length > 0 && !ids.includes(o.model)) {
      o.log(`note: the endpoint lists ${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ', …' : ''} but not '${o.model}'; sending '${o.model}' anyway`);
    }
  } catch {
    // a non-JSON model list is not our concern; the chat requests will tell
  }
}
