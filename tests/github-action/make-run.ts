/** Builds schema-valid RunResults from per-item 0/1 vectors, for gate and report unit tests. */
import { packBits } from '../../schemas/bitset.js';
import { RunResult, type BenchmarkId } from '../../schemas/results.js';
import { wilson } from '../../schemas/stats.js';

export interface BenchSpec {
  id: BenchmarkId;
  correct: number[];
  /** 1 = reasoning, 0 = understanding (per item); omitted → no questionType groups */
  reasoning?: number[];
  unparsed?: number;
  errors?: number;
  fingerprint?: string;
}

const FP = 'a'.repeat(64);

export function makeRun(benches: BenchSpec[], opts: { sha?: string; model?: string } = {}): RunResult {
  return RunResult.parse({
    schemaVersion: 1,
    tool: { name: 'medvlm-bench', version: '0.1.0' },
    suiteVersion: '1',
    identity: { repository: 'octo/demo', commit: opts.sha ?? 'b'.repeat(40), ref: 'refs/heads/main', prNumber: null },
    model: { name: opts.model ?? 'demo-vlm', checkpoint: null, endpointHost: '127.0.0.1:8000' },
    decoding: { temperature: 0, maxTokens: 64, seed: 0 },
    protocol: 'paper',
    timing: {
      startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:01:00.000Z', wallSeconds: 60,
      itemsPerSecond: 1, latencyMs: { p50: 10, p95: 20 }, tokens: { prompt: 1, completion: 1 },
    },
    benchmarks: benches.map(makeBenchmark),
  });
}

function metric(correct: number[], mask: number[] | null) {
  const idx = correct.map((_, i) => i).filter((i) => !mask || mask[i]);
  const k = idx.filter((i) => correct[i]).length;
  const n = idx.length;
  return { name: 'accuracy', value: n ? k / n : 0, n, ci95: n ? wilson(k, n) : null, higherIsBetter: true };
}

function makeBenchmark(s: BenchSpec) {
  const n = s.correct.length;
  const unparsed = s.unparsed ?? 0;
  const errors = s.errors ?? 0;
  const groups = s.reasoning
    ? [0, 1].map((r) => {
        const members = s.reasoning!.map((v) => (v === r ? 1 : 0));
        return {
          key: 'questionType', value: r ? 'reasoning' : 'understanding', n: members.filter(Boolean).length,
          metrics: [metric(s.correct, members)], members: packBits(members.map(Boolean)),
        };
      })
    : [];
  return {
    id: s.id, version: 1, fingerprint: s.fingerprint ?? FP, protocol: 'paper', promptVersion: 1, extraction: 'medvlm-chain/1',
    counts: { items: n, scored: n, excluded: 0, unparsed, errors, truncated: 0 },
    chanceAccuracy: 0.5,
    metrics: [metric(s.correct, null)],
    groups,
    outcomes: {
      n,
      present: packBits(new Array(n).fill(true)),
      correct: packBits(s.correct.map(Boolean)),
      unparsed: packBits(s.correct.map((_, i) => i < unparsed)),
      error: packBits(s.correct.map((_, i) => i >= unparsed && i < unparsed + errors)),
      truncated: packBits(new Array(n).fill(false)),
    },
  };
}

/** n items where the first k are correct. */
export function firstK(n: number, k: number): number[] {
  return Array.from({ length: n }, (_, i) => (i < k ? 1 : 0));
}
