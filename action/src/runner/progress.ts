/**
 * Run progress on stderr: a live one-line bar on a terminal; in CI (no TTY) one plain line every 5% or 30 s, so
 * logs stay readable and a stalled run is still visibly alive.
 */
export interface ProgressCounts {
  done: number;
  total: number;
  errors: number;
  unparsed: number;
  /** items answered from predictions.jsonl without a request */
  cached: number;
}

export interface ProgressSink {
  start(total: number): void;
  update(c: ProgressCounts): void;
  finish(c: ProgressCounts): void;
}

export interface ProgressOptions {
  isTTY: boolean;
  write: (text: string) => void;
  now: () => number;
  /** non-TTY: minimum interval between lines */
  intervalMs?: number;
  /** TTY: minimum interval between redraws */
  redrawMs?: number;
}

export function createProgress(o: ProgressOptions): ProgressSink {
  const interval = o.intervalMs ?? 30_000;
  const redraw = o.redrawMs ?? 100;
  let startedAt = o.now();
  let lastAt = 0;
  let lastBucket = 0;
  return {
    start(total) {
      startedAt = o.now();
      lastAt = startedAt;
      lastBucket = 0;
      if (!o.isTTY) o.write(`progress: 0/${total} items\n`);
    },
    update(c) {
      const t = o.now();
      if (o.isTTY) {
        if (t - lastAt < redraw) return;
        lastAt = t;
        o.write(`\r\x1b[2K${formatBar(c, t - startedAt)}`);
        return;
      }
      const bucket = c.total > 0 ? Math.floor((c.done / c.total) * 20) : 0;
      if (bucket > lastBucket || t - lastAt >= interval) {
        lastBucket = Math.max(bucket, lastBucket);
        lastAt = t;
        o.write(`progress: ${formatLine(c, t - startedAt)}\n`);
      }
    },
    finish(c) {
      const line = formatLine(c, o.now() - startedAt);
      o.write(o.isTTY ? `\r\x1b[2K${line}\n` : `done: ${line}\n`);
    },
  };
}

export function formatLine(c: ProgressCounts, elapsedMs: number): string {
  const fresh = c.done - c.cached;
  const rate = elapsedMs > 0 ? fresh / (elapsedMs / 1000) : 0;
  const eta = rate > 0 ? (c.total - c.done) / rate : null;
  const pct = c.total > 0 ? ((100 * c.done) / c.total).toFixed(1) : '100.0';
  const parts = [
    `${c.done}/${c.total} (${pct}%)`,
    `${rate.toFixed(1)} items/s`,
    `ETA ${eta === null ? '–' : formatDuration(eta)}`,
    `errors ${c.errors}`,
    `unparsed ${c.unparsed}`,
  ];
  if (c.cached > 0) parts.push(`resumed ${c.cached}`);
  return parts.join(' · ');
}

function formatBar(c: ProgressCounts, elapsedMs: number): string {
  const width = 24;
  const filled = c.total > 0 ? Math.round((c.done / c.total) * width) : width;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${formatLine(c, elapsedMs)}`;
}

export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** Discards everything (library callers that pass no sink). */
export const SILENT_PROGRESS: ProgressSink = { start() {}, update() {}, finish() {} };
