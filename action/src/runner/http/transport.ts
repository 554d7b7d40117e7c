/**
 * How a chat request reaches the endpoint. The default is undici's dispatcher with a keep-alive pool sized to the
 * run's concurrency: against a local model server the global fetch (also undici, plus WHATWG streams and objects per
 * request) sends about half as many requests per second and allocates far more per request, which matters for a
 * 100,000-item run's memory budget. An injected fetch (a proxy, a test double) is used as given through fetchTransport.
 */
import { Pool, type Dispatcher } from 'undici';
import { concatParts, type BodyChunks } from './bytes.js';

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
 * undici's dispatcher, one keep-alive pool per origin sized to the run's concurrency. Its handler API skips the
 * streams and per-request objects of node:http (and of fetch): ≈ 13% more items per second for the whole runner
 * against a local server (bench/README.md ## Runner). No AbortController per request: a plain timer aborts a
 * request that overruns, and one listener per run signal aborts every request still in flight when the run stops.
 */
export function undiciTransport(connections: number): Transport {
  const pools = new Map<string, Pool>();
  const targets = new Map<string, URL>();
  const inFlight = new InFlight();
  return {
    post(url, body, headers, o) {
      if (o.signal?.aborted) return Promise.reject(o.signal.reason);
      const bad = unsendableHeader(headers);
      if (bad) return Promise.reject(new TypeError(`the ${bad} header contains a character HTTP cannot carry (a line break?)`));
      let u = targets.get(url);
      if (!u) targets.set(url, (u = new URL(url)));
      let pool = pools.get(u.origin);
      // undici's own header/body timeouts (300 s) are off: the request timeout below covers the whole exchange
      if (!pool) pools.set(u.origin, (pool = new Pool(u.origin, { connections, headersTimeout: 0, bodyTimeout: 0 })));
      const chunks = typeof body === 'string' || body instanceof Uint8Array ? null : chunkBuffers(body);
      // chunks are written one after another (paired runs: ≈ +9% items/s over concatenating ~70 kB per request);
      // with the length given, undici sends Content-Length instead of chunked encoding
      if (chunks) headers = { ...headers, 'content-length': String(chunks.reduce((n, c) => n + c.byteLength, 0)) };
      return new Promise<HttpReply>((resolve, reject) => {
        const exchange = new Exchange(resolve, reject);
        exchange.timer = setTimeout(() => exchange.abort(timeoutError()), o.timeoutMs);
        exchange.untrack = inFlight.track(o.signal, exchange);
        // an Iterable body is documented for dispatch() but missing from undici's typings
        const payload = (chunks ?? body) as Dispatcher.DispatchOptions['body'];
        try {
          pool.dispatch({ origin: u.origin, path: u.pathname + u.search, method: 'POST', headers, body: payload }, exchange);
        } catch (e) {
          exchange.abort(e instanceof Error ? e : new Error(String(e))); // settles and clears the timer at once
        }
      });
    },
    close() {
      for (const pool of pools.values()) void pool.destroy();
      pools.clear();
    },
  };
}

/** One request's handler: collects the reply, settles once, and can be aborted before or after it starts. */
class Exchange implements Dispatcher.DispatchHandler {
  timer: NodeJS.Timeout | undefined;
  untrack: () => void = () => {};
  private controller: Dispatcher.DispatchController | null = null;
  private abortedWith: Error | null = null;
  private settled = false;
  private status = 0;
  private retryAfter: string | null = null;
  private readonly chunks: Buffer[] = [];

  constructor(private readonly resolve: (r: HttpReply) => void, private readonly reject: (e: unknown) => void) {}

  abort(reason: Error): void {
    if (this.settled) return;
    this.abortedWith = reason;
    this.controller?.abort(reason);
    this.fail(reason);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.abortedWith) controller.abort(this.abortedWith);
  }

  onResponseStart(_c: Dispatcher.DispatchController, status: number, headers: Record<string, string | string[] | undefined>): void {
    this.status = status;
    const v = headers['retry-after'];
    this.retryAfter = (Array.isArray(v) ? v[0] : v) ?? null;
  }

  onResponseData(_c: Dispatcher.DispatchController, chunk: Buffer): void {
    this.chunks.push(chunk);
  }

  onResponseEnd(): void {
    if (this.settled) return;
    this.finish();
    const c = this.chunks;
    this.resolve({ status: this.status, retryAfter: this.retryAfter, text: (c.length === 1 ? c[0]! : Buffer.concat(c)).toString('utf8') });
  }

  onResponseError(_c: Dispatcher.DispatchController, error: Error): void {
    this.fail(this.abortedWith ?? connectionError(error));
  }

  private fail(e: unknown): void {
    if (this.settled) return;
    this.finish();
    this.reject(e);
  }

  private finish(): void {
    this.settled = true;
    clearTimeout(this.timer);
    this.untrack();
  }
}

/** undici names a connection the server closed UND_ERR_SOCKET; the runner reports it as the reset it is. */
function connectionError(e: Error & { code?: string }): Error {
  if (e.code !== 'UND_ERR_SOCKET') return e;
  return Object.assign(new Error(`connection reset by the server (${e.message})`), { code: 'ECONNRESET' });
}

/** Requests in flight per run signal, with one abort listener per signal for its whole life. */
class InFlight {
  // weak: a finished run's signal and its (empty) set go away with it
  private readonly bySignal = new WeakMap<AbortSignal, Set<Exchange>>();

  track(signal: AbortSignal | undefined, ex: Exchange): () => void {
    if (!signal) return () => {};
    let live = this.bySignal.get(signal);
    if (!live) {
      const set = (live = new Set());
      this.bySignal.set(signal, set);
      signal.addEventListener('abort', () => {
        for (const x of [...set]) x.abort(signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason)));
      }, { once: true });
    }
    const set = live;
    set.add(ex);
    return () => set.delete(ex);
  }
}

/** The global fetch → undici's dispatcher (faster, leaner); anything else was injected on purpose and is used as is. */
export function defaultTransport(f: typeof fetch, concurrency: number): Transport {
  return f === globalThis.fetch ? undiciTransport(concurrency) : fetchTransport(f);
}

/** Chunks as Buffers, written one after the other (no concatenated copy of the ~70 kB body per request). */
function chunkBuffers(body: BodyChunks): Buffer[] {
  return body.map((c) => (typeof c === 'string' ? Buffer.from(c, 'utf8') : Buffer.from(c.buffer, c.byteOffset, c.byteLength)));
}

/**
 * undici 7.24 rejects such a header too, but the pool slot that request took stays busy: after as many of them as
 * the pool has connections, no request starts any more (measured with 1 and 4 connections). So the transport
 * refuses it before dispatch.
 */
function unsendableHeader(headers: Record<string, string>): string | null {
  for (const name in headers) if (/[\r\n\0]/.test(headers[name]!)) return name;
  return null;
}
