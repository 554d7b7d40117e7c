/**
 * What a run learns about the server while it goes, so a bad first run on a real GPU says what went wrong instead of
 * writing a wall of errors: the top error reasons with counts, a systematic failure that stops the run, answers a
 * reasoning parser took whole (content empty, text in `reasoning`), and a server that serves one request at a time.
 */
import { UserError } from '../core/errors.js';

/** results.json `diagnostics` (schemas/results.ts). */
export interface RunDiagnostics {
  errorReasons: Array<{ reason: string; count: number }>;
  /** answered items whose content was empty while `reasoning`/`reasoning_content` held text */
  reasoningOnly: number;
  warnings: string[];
}

/** N items in a row ended with the same error and none succeeded in between: every further item would too. */
export const SYSTEMATIC_STREAK = 10;

export class SystematicFailureError extends UserError {
  constructor(readonly reason: string, readonly items: number, readonly resultsPath: string | null = null) {
    super(
      `stopped: ${items} item(s) in a row failed the same way, none succeeded: ${reason}. ` +
        'Nothing was uploaded; results.json says status "failed". Fix the server or the flags and rerun with the same ' +
        '--out (finished items are kept).',
      4,
    );
    this.name = 'SystematicFailureError';
  }
}

/** An error message without the per-item parts (attempt counts, token numbers), for grouping. */
export function errorReason(message: string): string {
  return message.replace(/ \(after \d+ attempts?\)$/, '').replace(/\s+/g, ' ').trim().slice(0, 300);
}

const groupKey = (reason: string) => reason.replace(/\d+(\.\d+)?/g, '#');

export class Diagnostics {
  private readonly reasons = new Map<string, { reason: string; count: number }>();
  private streakKey: string | null = null;
  private streak = 0;
  private streakReason = '';
  private successes = 0;
  reasoningOnly = 0;
  readonly warnings: string[] = [];

  constructor(private readonly streakLimit = SYSTEMATIC_STREAK) {}

  /** A freshly asked item ended. Returns a SystematicFailureError when this error makes a streak of the limit. */
  item(error: string | null, opts: { countsForStreak?: boolean } = {}): SystematicFailureError | null {
    if (error === null) {
      this.successes++;
      this.streak = 0;
      this.streakKey = null;
      return null;
    }
    const reason = errorReason(error);
    const key = groupKey(reason);
    const entry = this.reasons.get(key) ?? { reason, count: 0 };
    entry.count++;
    this.reasons.set(key, entry);
    if (opts.countsForStreak === false) return null;
    if (key === this.streakKey) this.streak++;
    else {
      this.streakKey = key;
      this.streak = 1;
      this.streakReason = reason;
    }
    return this.streak >= this.streakLimit ? new SystematicFailureError(this.streakReason, this.hits(key)) : null;
  }

  /** At the end of a run: every fresh item failed the same way (a run shorter than the streak limit). */
  allFailedAlike(fresh: number): SystematicFailureError | null {
    if (fresh === 0 || this.successes > 0 || this.streak !== fresh || this.streakKey === null) return null;
    return new SystematicFailureError(this.streakReason, this.streak);
  }

  private hits(key: string): number {
    return this.reasons.get(key)?.count ?? 0;
  }

  /** Items that ended with this reason so far (digits aside). */
  count(reason: string): number {
    return this.hits(groupKey(reason));
  }

  warn(message: string): void {
    if (!this.warnings.includes(message) && this.warnings.length < 10) this.warnings.push(message);
  }

  report(top = 5): RunDiagnostics {
    const errorReasons = [...this.reasons.values()].sort((a, b) => b.count - a.count).slice(0, top)
      .map((r) => ({ reason: r.reason, count: r.count }));
    return { errorReasons, reasoningOnly: this.reasoningOnly, warnings: [...this.warnings] };
  }
}

/** Console lines for a run's diagnostics (the CLI's log and the action's log). */
export function diagnosticLines(d: RunDiagnostics): string[] {
  const lines: string[] = [];
  if (d.errorReasons.length) {
    lines.push('top error reasons:');
    for (const r of d.errorReasons) lines.push(`  ${r.count} × ${r.reason}`);
  }
  if (d.reasoningOnly > 0) {
    lines.push(`${d.reasoningOnly} answer(s) had empty content and all their text in reasoning/reasoning_content: the server's ` +
      'reasoning parser took the whole answer (these items count as unparsed). Start the server without the reasoning parser, ' +
      'or raise --max-tokens if the reasoning was cut off.');
  }
  for (const w of d.warnings) lines.push(`warning: ${w}`);
  return lines;
}

/**
 * "The server serves one request at a time", from timings alone. At the start all `concurrency` requests leave
 * together. A server with one slot answers them one after another, so the first wave's answers arrive evenly spaced
 * (a straight line over their rank) across about as long as a later request then waits, and every later request
 * waits about the same (it queues behind a whole wave, whatever its own length). A batching server answers the first
 * wave about together (equal lengths), or spread by answer length — then later requests' waits vary as much.
 * So: ≥ 8 requests in the first wave, their arrival times linear in rank (R² ≥ 0.9), spread over at least half the
 * median later wait, and later waits nearly equal (coefficient of variation ≤ 0.3). Decided once, after as many
 * later requests as the wave held.
 */
export class SerialServerDetector {
  private readonly waveEnds: number[] = [];
  private readonly later: number[] = [];
  private firstDoneAt: number | null = null;
  private decided = false;

  constructor(private readonly concurrency: number, private readonly onSerial: (message: string) => void) {}

  /** A request started at `startedAt` was answered after `latencyMs` (same clock, ms). */
  answered(startedAt: number, latencyMs: number): void {
    if (this.decided || this.concurrency < 8) return;
    if (this.firstDoneAt === null || startedAt < this.firstDoneAt) this.waveEnds.push(startedAt + latencyMs);
    else this.later.push(latencyMs);
    this.firstDoneAt ??= startedAt + latencyMs;
    if (this.waveEnds.length >= 8 && this.later.length >= this.waveEnds.length) this.decide();
  }

  private decide(): void {
    this.decided = true;
    const ends = [...this.waveEnds].sort((a, b) => a - b);
    const n = ends.length;
    const fit = lineThroughRanks(ends);
    const waits = [...this.later].sort((a, b) => a - b);
    const median = waits[Math.floor(waits.length / 2)]!;
    const mean = waits.reduce((a, b) => a + b, 0) / waits.length;
    const cv = Math.sqrt(waits.reduce((a, b) => a + (b - mean) ** 2, 0) / waits.length) / mean;
    const serial = fit.slope > 0 && fit.r2 >= 0.9 && ends[n - 1]! - ends[0]! >= 0.5 * median && cv <= 0.3;
    if (serial) {
      const s = (ms: number) => (ms >= 10_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms)} ms`);
      this.onSerial(`the server seems to answer one request at a time: the first ${n} answers came one after another ` +
        `~${s(fit.slope)} apart and every later request waited ~${s(median)}, so --concurrency ${this.concurrency} only ` +
        'queues requests at the server. Give it parallel slots (llama.cpp --parallel N, Ollama OLLAMA_NUM_PARALLEL, ' +
        'vLLM/SGLang batch by default) or expect that wait per item');
    }
  }
}

/** Least squares of y_k against k = 1..n. */
function lineThroughRanks(ys: number[]): { slope: number; intercept: number; r2: number } {
  const n = ys.length;
  const mx = (n + 1) / 2;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  ys.forEach((y, i) => {
    const dx = i + 1 - mx;
    sxy += dx * (y - my);
    sxx += dx * dx;
    syy += (y - my) ** 2;
  });
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx, r2: syy === 0 ? 0 : (sxy * sxy) / (sxx * syy) };
}
