/**
 * The run's admission gate in front of every chat request to one endpoint. It adapts how many requests are in
 * flight to what the server says, so neither a rate limit nor a model still loading costs items their attempts:
 *
 * - HTTP 429 (rate limited): AIMD — the in-flight limit halves (once per round trip: only a request sent under the
 *   current limit can lower it again), then grows by one per `limit` successes back up to `--concurrency`. A
 *   `Retry-After` holds every request until then, not just the one that got it. An item's 429s do not count
 *   against its attempts until it has been rate limited for `rateLimitMs` in total.
 * - HTTP 503 (llama.cpp's "Loading model", a server warming up or overloaded): the whole run pauses — one request
 *   at a time, every `pollMs` (or the server's Retry-After) — and resumes at the first other answer. These 503s do
 *   not count either; once the endpoint has answered nothing but 503 for `unavailableMs`, the run stops with its
 *   message.
 *
 * `acquire` returns null when a slot is free (no promise, no await on the hot path), else a promise.
 */
import { UserError } from '../../core/errors.js';
import type { AttemptOutcome } from './client.js';

export interface GateLimits {
  /** stop the run after answering only 503 for this long (default 900 s, the --serve-timeout default) */
  unavailableMs: number;
  /** per item: rate-limit waits beyond this count as failed attempts again (default 600 s) */
  rateLimitMs: number;
  /** while paused by 503s, one request this often unless the server sends Retry-After (default 1 s) */
  pollMs: number;
  /** cap on a Retry-After the gate honours */
  maxRetryAfterMs: number;
}

export const DEFAULT_GATE_LIMITS: GateLimits = { unavailableMs: 900_000, rateLimitMs: 600_000, pollMs: 1000, maxRetryAfterMs: 120_000 };

/** Per item (one sendWithRetries loop): when it was first rate limited. */
export interface ItemGateState {
  limitedSince: number | null;
}

export class AdaptiveGate {
  private limit: number;
  private inFlight = 0;
  private readonly waiters = new Set<() => void>();
  private resumeAt = 0;
  private lastDecreaseAt = -Infinity;
  private pausedSince: number | null = null;
  private limitBeforePause = 0;
  private lastUnavailable = '';
  private readonly limits: GateLimits;

  constructor(
    private readonly max: number,
    private readonly endpoint: string,
    private readonly log: (msg: string) => void,
    limits: Partial<GateLimits> = {},
    readonly now: () => number = () => performance.now(),
  ) {
    this.limit = Math.max(1, max);
    this.limits = { ...DEFAULT_GATE_LIMITS, ...limits };
  }

  /** current in-flight limit (for tests and the log) */
  get current(): number {
    return Math.floor(this.limit);
  }

  acquire(signal?: AbortSignal): Promise<void> | null {
    if (this.resumeAt === 0 && this.pausedSince === null && this.inFlight < this.limit) {
      this.inFlight++;
      return null;
    }
    return this.acquireSlow(signal);
  }

  release(): void {
    this.inFlight--;
    this.wake();
  }

  /** Classifies an attempt's outcome: a 429 or 503 within its bound comes back marked `uncounted`. */
  observe(out: AttemptOutcome, item: ItemGateState, startedAt: number): AttemptOutcome {
    if (out.ok) {
      this.onAnswer();
      return out;
    }
    if (out.status === 429) return this.onRateLimited(out, item, startedAt);
    if (out.status === 503) return this.onUnavailable(out);
    if (out.kind !== 'network') this.onAnswer();
    return out;
  }

  private async acquireSlow(signal?: AbortSignal): Promise<void> {
    for (;;) {
      if (signal?.aborted) throw signal.reason;
      const t = this.now();
      if (this.pausedSince !== null && t - this.pausedSince >= this.limits.unavailableMs) throw this.unavailableError();
      if (this.resumeAt > t) await this.wait(this.resumeAt - t, signal);
      else if (this.inFlight < this.limit) {
        this.resumeAt = 0;
        this.inFlight++;
        return;
      } else await this.wait(null, signal);
    }
  }

  /** until a slot frees, the limit grows, `ms` pass, or the run stops */
  private wait(ms: number | null, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(done);
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = (): void => {
        done();
        reject(signal!.reason);
      };
      const timer = ms === null ? undefined : setTimeout(done, ms);
      this.waiters.add(done);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }

  private onAnswer(): void {
    if (this.pausedSince !== null) {
      const seconds = Math.round((this.now() - this.pausedSince) / 100) / 10;
      this.log(`${this.endpoint} answers again after ${seconds} s of HTTP 503; resuming with ${Math.floor(this.limitBeforePause)} request(s) in flight`);
      this.pausedSince = null;
      this.limit = this.limitBeforePause;
      this.resumeAt = 0;
      this.wake();
      return;
    }
    if (this.limit < this.max) {
      const before = Math.floor(this.limit);
      this.limit = Math.min(this.max, this.limit + 1 / this.limit);
      if (Math.floor(this.limit) > before) this.wake();
    }
  }

  private onRateLimited(out: Extract<AttemptOutcome, { ok: false }>, item: ItemGateState, startedAt: number): AttemptOutcome {
    const t = this.now();
    if (startedAt >= this.lastDecreaseAt && this.pausedSince === null) {
      const before = Math.floor(this.limit);
      this.limit = Math.max(1, this.limit / 2);
      this.lastDecreaseAt = t;
      if (Math.floor(this.limit) < before) this.log(`${this.endpoint} rate-limits (HTTP 429): ${before} → ${Math.floor(this.limit)} request(s) in flight`);
    }
    const held = out.retryAfterMs !== null;
    if (held) this.resumeAt = Math.max(this.resumeAt, t + Math.min(out.retryAfterMs!, this.limits.maxRetryAfterMs));
    item.limitedSince ??= t;
    if (t - item.limitedSince >= this.limits.rateLimitMs) return out; // too long: counts again, so the item ends
    // with Retry-After the gate holds the request (retry sleeps 0); without it the usual jittered backoff applies
    return { ...out, uncounted: true, retryAfterMs: held ? 0 : null };
  }

  private onUnavailable(out: Extract<AttemptOutcome, { ok: false }>): AttemptOutcome {
    const t = this.now();
    this.lastUnavailable = out.message;
    if (this.pausedSince === null) {
      this.pausedSince = t;
      this.limitBeforePause = this.limit;
      this.limit = 1;
      const bound = Math.round(this.limits.unavailableMs / 1000);
      this.log(`${this.endpoint} answered ${out.message.slice(0, 200)}: the server is not ready (still loading?); ` +
        `pausing the run — one request at a time until it answers, for up to ${bound} s`);
    }
    const pause = out.retryAfterMs !== null ? Math.min(out.retryAfterMs, this.limits.maxRetryAfterMs) : this.limits.pollMs;
    this.resumeAt = Math.max(this.resumeAt, t + pause);
    return { ...out, uncounted: true, retryAfterMs: 0 };
  }

  private unavailableError(): UserError {
    const seconds = Math.round(this.limits.unavailableMs / 1000);
    return new UserError(
      `the endpoint ${this.endpoint} answered only HTTP 503 for ${seconds} s (last: ${this.lastUnavailable.slice(0, 300)}); ` +
        'the model server did not become ready. Finished items are kept in predictions.jsonl; rerun with the same --out to resume.',
      3,
    );
  }
}
