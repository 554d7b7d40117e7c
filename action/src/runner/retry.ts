/**
 * Retries with exponential backoff and full jitter, honouring Retry-After, plus a reachability circuit: when no
 * HTTP answer at all has come back for longer than a bound, the whole run stops with a clear message instead of
 * spinning through every item's retries against a dead endpoint.
 */
import { UserError } from '../core/errors.js';
import type { AttemptOutcome, ChatReply } from './http/client.js';

export interface RetryPolicy {
  /** total attempts per request, including the first */
  maxAttempts: number;
  /** malformed or empty 200 replies get fewer attempts: a model that answers garbage rarely recovers */
  maxBadReplies: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** cap on a server's Retry-After, so one header cannot stall the run for hours */
  maxRetryAfterMs: number;
  /** attempts that hit the request timeout: a request that hangs once usually hangs again (2 = retried once) */
  maxTimeouts: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 6,
  maxBadReplies: 3,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
  maxTimeouts: 2,
};

/** Full jitter (AWS architecture blog): uniform in [0, min(cap, base·2^retry)]. retry is 0-based. */
export function backoffDelayMs(retry: number, p: RetryPolicy, random: () => number): number {
  return Math.round(random() * Math.min(p.maxDelayMs, p.baseDelayMs * 2 ** retry));
}

export class EndpointUnreachableError extends UserError {
  constructor(endpoint: string, boundMs: number, lastError: string) {
    const seconds = boundMs >= 10_000 ? Math.round(boundMs / 1000) : Math.round(boundMs / 100) / 10;
    super(
      `the endpoint ${endpoint} gave no HTTP answer for ${seconds} s (last error: ${lastError}). ` +
        'Check that the model server is running and the URL/port are right; finished items are kept in ' +
        'predictions.jsonl and a rerun with the same --out resumes.',
      3,
    );
    this.name = 'EndpointUnreachableError';
  }
}

export class FatalEndpointError extends UserError {
  constructor(url: string, message: string) {
    const hint = message.startsWith('HTTP 404')
      ? 'Check the endpoint URL (it should serve /v1/chat/completions) and the --model name.'
      : 'Check the API key (--api-key-env VAR names the environment variable holding it).';
    super(`the endpoint ${url} refused the request: ${message.replace(/\.$/, '')}. ${hint}`, 3);
    this.name = 'FatalEndpointError';
  }
}

/**
 * Shared by all in-flight requests of a run. A network failure (refused, reset, timeout) means "endpoint down" only
 * when nothing answered since that attempt started: not another request, not a liveness probe (GET /v1/models).
 * So one item that hangs while the server is up is that item's failure (it uses up its attempts and ends as an
 * error), and the circuit only trips when the endpoint gives no HTTP answer to any request for the whole bound.
 */
export class ReachabilityCircuit {
  private failingSince: number | null = null;
  private lastAnswerAt = -Infinity;
  private lastError = '';
  private probing: Promise<boolean> | null = null;

  constructor(
    private readonly endpoint: string,
    private readonly boundMs: number,
    private readonly now: () => number,
    /** resolves true when the endpoint gave any HTTP answer (even 404); without it only real requests count */
    private readonly probe?: () => Promise<boolean>,
  ) {}

  time(): number {
    return this.now();
  }

  recordAnswer(): void {
    this.lastAnswerAt = this.now();
    this.failingSince = null;
  }

  /**
   * After a network failure of an attempt started at `startedAt`: true when the endpoint answered something since
   * then (the failure is the item's); false when it looks down, which starts the unreachable clock.
   */
  async answeredSince(startedAt: number, message: string): Promise<boolean> {
    if (this.lastAnswerAt >= startedAt) return true;
    if (this.probe) {
      // one probe at a time, shared by every request that failed meanwhile
      this.probing ??= this.probe().catch(() => false).finally(() => (this.probing = null));
      if (await this.probing) {
        this.recordAnswer();
        return true;
      }
    }
    this.failingSince ??= this.now();
    this.lastError = message;
    return false;
  }

  /** Throws when the endpoint has been unreachable for longer than the bound. */
  check(): void {
    if (this.failingSince !== null && this.now() - this.failingSince >= this.boundMs) {
      throw new EndpointUnreachableError(this.endpoint, this.boundMs, this.lastError);
    }
  }

  /** ms until the bound expires (so a backoff sleep never overshoots it) */
  remainingMs(): number {
    return this.failingSince === null ? Infinity : Math.max(0, this.boundMs - (this.now() - this.failingSince));
  }
}

export interface RetryDeps {
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  random: () => number;
  signal?: AbortSignal;
  /**
   * Called with a refused attempt (4xx/5xx/error body). True: the request's settings were changed to what the server
   * can take (a smaller token budget, max_completion_tokens, no temperature), so the next attempt is a different
   * request and this refusal does not use up one of the item's attempts. Must only say true when it changed something.
   */
  adapt?: (out: Extract<AttemptOutcome, { ok: false }>) => boolean;
}

export type RetryResult =
  | { ok: true; reply: ChatReply; attempts: number }
  | { ok: false; error: string; attempts: number; failure: Extract<AttemptOutcome, { ok: false }> };

/** Free re-sends after adaptations, per request: each adaptation changes a setting for good, so a few suffice. */
const MAX_ADAPTATIONS = 8;

/**
 * Calls `attempt(n)` until it succeeds, fails permanently, or runs out of attempts. Fatal answers (401/403/404) and
 * an open circuit throw, stopping the run; everything else ends as `{ ok: false }` and the item is scored as an error.
 */
export async function sendWithRetries(
  url: string,
  attempt: (n: number) => Promise<AttemptOutcome>,
  policy: RetryPolicy,
  circuit: ReachabilityCircuit,
  deps: RetryDeps,
): Promise<RetryResult> {
  let badReplies = 0;
  let counted = 0;
  let timeouts = 0;
  let adapted = 0;
  for (let n = 1; ; n++) {
    circuit.check();
    const startedAt = circuit.time();
    const out = await attempt(n);
    if (out.ok) {
      circuit.recordAnswer();
      return { ok: true, reply: out.reply, attempts: n };
    }
    if (out.kind !== 'network') circuit.recordAnswer();
    if (out.fatal) throw new FatalEndpointError(url, out.message);
    if (out.kind !== 'network' && adapted < MAX_ADAPTATIONS && deps.adapt?.(out)) {
      adapted++;
      continue;
    }
    if (out.kind === 'reply') badReplies++;
    // While the endpoint answers nothing at all, network failures do not use up the item's attempts: the circuit
    // decides when to stop the run, so a dead endpoint ends in one clear error rather than every item failed.
    // When it does answer (other requests, or the probe), a timeout or reset is this item's problem and counts.
    const endpointDown = out.kind === 'network' && !(await circuit.answeredSince(startedAt, out.message));
    if (!endpointDown && !out.uncounted) counted++;
    if (!endpointDown && out.timedOut) timeouts++;
    const exhausted = !endpointDown && (counted >= policy.maxAttempts || badReplies >= policy.maxBadReplies || timeouts >= policy.maxTimeouts);
    if (!out.retryable || exhausted) return { ok: false, error: `${out.message} (after ${n} attempt${n > 1 ? 's' : ''})`, attempts: n, failure: out };
    const backoff = backoffDelayMs(Math.min(n - 1, 30), policy, deps.random);
    const wait = out.retryAfterMs !== null ? Math.min(out.retryAfterMs, policy.maxRetryAfterMs) : backoff;
    await deps.sleep(Math.min(wait, circuit.remainingMs()), deps.signal);
  }
}

/** setTimeout as a promise that an AbortSignal can cut short. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
