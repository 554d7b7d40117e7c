/** Number and label formatting shared by badges, charts and pages, so the same score reads the same everywhere. */

/** 0.6321 → "63.2%" */
export function formatPercent(value: number, digits = 1): string {
  return `${(value * 100).toFixed(digits)}%`;
}

/** [0.6, 0.66] → "60.0–66.0" (percentage points, no unit: it follows a formatted score). */
export function formatInterval(ci: readonly [number, number] | null): string {
  if (!ci) return '—';
  return `${(ci[0] * 100).toFixed(1)}–${(ci[1] * 100).toFixed(1)}`;
}

/** Signed percentage points: 0.021 → "+2.1 pp", -0.004 → "−0.4 pp". */
export function formatDelta(diff: number): string {
  const pp = diff * 100;
  const sign = pp > 0.05 ? '+' : pp < -0.05 ? '−' : '±';
  return `${sign}${Math.abs(pp).toFixed(1)} pp`;
}

/** Signed interval in percentage points: [-0.01, 0.03] → "[−1.0, +3.0]". */
export function formatDeltaInterval(ci: readonly [number, number]): string {
  const one = (x: number) => `${x < 0 ? '−' : x > 0 ? '+' : ''}${Math.abs(x * 100).toFixed(1)}`;
  return `[${one(ci[0])}, ${one(ci[1])}]`;
}

/** p-values: 3 significant digits, "< 0.0001" below that. */
export function formatP(p: number): string {
  if (p < 1e-4) return '< 0.0001';
  if (p >= 0.1) return p.toFixed(2);
  return p.toPrecision(2);
}

export function shortSha(sha: string | null | undefined): string {
  return sha ? sha.slice(0, 7) : '—';
}

/** "refs/heads/main" → "main", "refs/pull/12/merge" → "PR #12" */
export function formatRef(ref: string | null | undefined): string {
  if (!ref) return '—';
  const pr = /^refs\/pull\/(\d+)\//.exec(ref);
  if (pr) return `PR #${pr[1]}`;
  return ref.replace(/^refs\/(heads|tags)\//, '');
}

/** ISO timestamp → "2026-11-28 14:03 UTC" (pages are server-rendered, so one fixed zone). */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** [1, 3] → "1–3", [2, 2] → "2" */
export function formatRankRange(r: readonly [number, number]): string {
  return r[0] === r[1] ? String(r[0]) : `${r[0]}–${r[1]}`;
}

// one title per benchmark, the catalog's (the same the action writes into results.json)
export { benchmarkTitle } from '../../../schemas/catalog.js';
