/**
 * Realistic bodies for bench/worker.ts: the suite at the benchmarks' test-set sizes (VQA-RAD 451, SLAKE-en 1,061,
 * PathVQA 6,719, PMC-VQA test_clean 2,000, OmniMedVQA open-access 88,996, MMMU H&M val 150, MedXpertQA MM 2,000,
 * MedFrameQA 2,851; see docs/benchmarks.md), each with the questionType split and five modality
 * groups; "full" adds the three graded arrays over the open-ended half of the VQA-style benchmarks. Figures are
 * made consistent with the bits by the results algebra (schemas/shard-merge.ts recomputeBenchmark), as the
 * scorer would, so the worker's value checks accept them.
 */
import { packBits } from '../schemas/bitset.js';
import { unpackOutcomes } from '../schemas/outcomes.js';
import type { BenchmarkResult, RunResult } from '../schemas/results.js';
import { recomputeBenchmark } from '../schemas/shard-merge.js';
import { hash, makeRun } from '../tests/helpers/run-fixture.js';

export const SUITE_SIZES: Record<string, number> = {
  'vqa-rad': 451, slake: 1061, pathvqa: 6719, 'pmc-vqa': 2000, omnimedvqa: 88_996, 'mmmu-med': 150,
  'medxpertqa-mm': 2000, medframeqa: 2851,
};
const OPEN_ENDED = new Set(['vqa-rad', 'slake', 'pathvqa']);
const MODALITIES = ['CT', 'MRI', 'X-ray', 'ultrasound', 'pathology'];

export interface SuiteOptions { repository: string; commit: string; model: string; protocol: 'paper' | 'full'; ref?: string; seed?: string }

export function suiteRun(o: SuiteOptions): RunResult {
  const base = makeRun({ repository: o.repository, commit: o.commit, model: o.model, ref: o.ref ?? 'refs/heads/main', n: 1, benchmarks: ['vqa-rad'] });
  return { ...base, protocol: o.protocol, benchmarks: Object.entries(SUITE_SIZES).map(([id, n]) => benchmark(id, n, o)) };
}

function benchmark(id: string, n: number, o: SuiteOptions): BenchmarkResult {
  const seed = o.seed ?? o.model;
  const b = makeRun({ n, benchmarks: [id as BenchmarkResult['id']], correct: (i) => hash(`${seed}:${id}:${i}`) % 100 < 62 }).benchmarks[0]!;
  b.protocol = o.protocol;
  b.groups = [...b.groups, ...MODALITIES.map((m, k) => {
    const sel = Array.from({ length: n }, (_, i) => i % MODALITIES.length === k);
    return { key: 'modality', value: m, n: 0, metrics: [], members: packBits(sel) };
  })];
  if (o.protocol === 'full' && OPEN_ENDED.has(id)) {
    const grade = (i: number, salt: string) => (i % 2 === 0 ? (hash(`${seed}:${salt}:${i}`) % 10_001) / 10_000 : null);
    b.outcomes.graded = {
      open_exact_match: Array.from({ length: n }, (_, i) => { const g = grade(i, 'em'); return g === null ? null : g >= 0.5 ? 1 : 0; }),
      open_token_recall: Array.from({ length: n }, (_, i) => grade(i, 'rec')),
      open_token_f1: Array.from({ length: n }, (_, i) => grade(i, 'f1')),
    };
  }
  return recomputeBenchmark(b, unpackOutcomes(b.outcomes));
}

/** The run split into `count` shards (items i with i % count = index), each with its own figures. */
export function suiteShards(run: RunResult, count: number, runKey: string): RunResult[] {
  return Array.from({ length: count }, (_, index) => ({
    ...run,
    shard: { runKey, shardIndex: index, shardCount: count },
    benchmarks: run.benchmarks.map((b) => {
      const u = unpackOutcomes(b.outcomes);
      for (let i = 0; i < u.n; i++) if (i % count !== index) u.present[i] = 0;
      const graded = Object.fromEntries(Object.entries(b.outcomes.graded).map(([k, v]) => [k, v.map((g, i) => (i % count === index ? g : null))]));
      return recomputeBenchmark(b, { ...unpackOutcomes({ ...b.outcomes, graded }), present: u.present });
    }),
  }));
}
