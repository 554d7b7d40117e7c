/** Small view-model builders for render tests (values are arbitrary but internally consistent). */
import { wilson } from '../../../schemas/stats.js';
import type { ChartPoint } from '../../../worker/src/render/chart.js';
import type { RunSummary, Score } from '../../../worker/src/render/view-models.js';

export const EVIL = `<script>alert("x")</script>&'`;

export function score(k: number, n: number): Score {
  return { value: k / n, ci95: wilson(k, n), n };
}

export function run(over: Partial<RunSummary> = {}): RunSummary {
  return {
    id: 'run-1', commit: 'a'.repeat(40), ref: 'refs/heads/main', prNumber: null, model: 'qwen2.5-vl-7b',
    checkpoint: null, protocol: 'paper', status: 'complete', verified: false, createdAt: '2026-11-01T10:00:00.000Z',
    scoreMean: 0.61, ...over,
  };
}

/** n points with distinct shas (hex of the index) and slowly rising scores. */
export function chartPoints(n: number): ChartPoint[] {
  return Array.from({ length: n }, (_, i) => {
    const k = 120 + ((i * 3) % 60);
    return {
      runId: `r${i}`, commit: (i.toString(16).padStart(2, '0') + 'c'.repeat(38)), n: 200, value: k / 200,
      ci95: wilson(k, 200), createdAt: new Date(Date.UTC(2026, 10, 1 + i)).toISOString(),
    };
  });
}
