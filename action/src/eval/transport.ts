/**
 * How a chat request reaches the endpoint. The default is node:http(s) with a keep-alive agent sized to the run's
 * concurrency: against a local model server it sends about twice the requests per second of the global fetch
 * (undici) and allocates far less per request, which is what keeps a 100,000-item run under its memory budget.
 * An injected fetch (a proxy, a test double) is used as given through fetchTransport.
 */
import http from 'node:http';
import https from 'node:https';
import { concatParts, type BodyChunks } from './request-body.js';

export interface HttpReply {
  status: number;
  retryAfter: string | null;
  text: string;
}

/** One string or buffer, or chunks sent back to back (request-body.ts). */
export type Body = string | Uint8Array | BodyChunks;

export interface SendOptions {
  /** the whole request must finish within this; otherwise it rejects with an error named TimeoutError */
  timeoutMs: number;
  /** aborts the request when the run stops (rejects with the signal's reason) */
  signal?: AbortSignal;
}

export interface Transport {
  post(url: string, body: Body, headers: Record<string, string>, o: SendOptions): Promise<HttpReply>;
  /** frees pooled connections so the process can exit */
  close(): void;
}

export function timeoutError(): Error {
  return new DOMException('request timeout', 'TimeoutError');
}

export function fetchTransport(f: typeof fetch): Transport {
  return {
    async post(url, body, headers, o) {
      if (o.signal?.aborted) throw o.signal.reason;
      const bytes = typeof body === 'string' ? body : concatParts(Array.isArray(body) ? body : [body as Uint8Array]);
      // a timer cleared on completion, not AbortSignal.timeout: that one keeps the request reachable for minutes
      const ctrl = new AbortController();
      const timer = setTimeout(() => ctrl.abort(timeoutError()), o.timeoutMs);
      const onAbort = (): void => ctrl.abort(o.signal!.reason);
      o.signal?.addEventListener('abort', onAbort, { once: true });
      try {
        // a Buffer is a valid BodyInit at runtime; the DOM typings only name views of a plain ArrayBuffer
        const res = await f(url, { method: 'POST', headers, body: bytes as string, signal: ctrl.signal });
        return { status: res.status, retryAfter: res.headers.get('retry-after'), text: await res.text() };
      } finally {
        clearTimeout(timer);
        o.signal?.removeEventListener('abort', onAbort);
      }
    },
    close() {},
  };
}

/**
 * node:http(s). No AbortController or signal listener per request (they were ~6% of the runner's CPU per item):
 * a plain timer destroys a request that overruns, and one listener per run signal destroys every request still in
 * flight when the run stops.
 */
export function nodeHttpTransport(maxSockets: number): Transport {
  const agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets }),
    'https:': new https.Agent({ keepAlive: true, maxSockets }),
  };
  const targets = new Map<string, URL>();
  const inFlight = new InFlight();
  return {
    post(url, body, headers, o) {
      if (o.signal?.aborted) return Promise.reject(o.signal.reason);
      let u = targets.get(url);
      if (!u) targets.set(url, (u = new URL(url)));
      const mod = u.protocol === 'https:' ? https : http;
      return new Promise<HttpReply>((resolve, reject) => {
        const req = mod.request(u, {
          method: 'POST',
          agent: agents[u.protocol as 'http:' | 'https:'],
          headers: { ...headers, 'content-length': byteLength(body) },
        }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', fail);
          res.on('end', () => done(() => resolve({
            status: res.statusCode ?? 0,
            retryAfter: headerValue(res.headers['retry-after']),
            text: (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString('utf8'),
          })));
          res.on('aborted', () => fail(Object.assign(new Error('response aborted'), { code: 'ECONNRESET' })));
        });
        const timer = setTimeout(() => req.destroy(timeoutError()), o.timeoutMs);
        const untrack = inFlight.track(o.signal, req);
        function done(settle: () => void): void {
          clearTimeout(timer);
          untrack();
          settle();
        }
        function fail(e: unknown): void {
          done(() => reject(e));
        }
        req.on('error', fail);
        if (Array.isArray(body)) {
          for (const chunk of body) req.write(chunk);
          req.end();
        } else req.end(body);
      });
    },
    close() {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  };
}

/** Requests in flight per run signal, with one abort listener per signal for its whole life. */
class InFlight {
  // weak: a finished run's signal and its (empty) set go away with it
  private readonly bySignal = new WeakMap<AbortSignal, Set<http.ClientRequest>>();

  track(signal: AbortSignal | undefined, req: http.ClientRequest): () => void {
    if (!signal) return () => {};
    let live = this.bySignal.get(signal);
    if (!live) {
      const set = (live = new Set());
      this.bySignal.set(signal, set);
      signal.addEventListener('abort', () => {
        for (const r of set) r.destroy(signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason)));
      }, { once: true });
    }
    const set = live;
    set.add(req);
    return () => set.delete(req);
  }
}

/** The global fetch → node:http (faster, leaner); anything else was injected on purpose and is used as is. */
export function defaultTransport(f: typeof fetch, concurrency: number): Transport {
  return f === globalThis.fetch ? nodeHttpTransport(concurrency) : fetchTransport(f);
}

function byteLength(body: Body): number {
  if (Array.isArray(body)) return (body as BodyChunks).reduce((n: number, c) => n + byteLength(c), 0);
  return typeof body === 'string' ? Buffer.byteLength(body) : (body as Uint8Array).byteLength;
}

function headerValue(v: string | string[] | undefined): string | null {
  if (v === undefined) return null;
  return Array.isArray(v) ? (v[0] ?? null) : v;
}
