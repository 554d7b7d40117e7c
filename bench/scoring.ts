/**
 * Extraction and scoring throughput: scores N synthetic responses (a mix of the realistic outputs from the extraction
 * test table, repeated, each padded with a ~1 kB chain of thought) through scoreResponse, then builds the
 * BenchmarkResult. Prints responses/s and the heap growth. Usage: node bin/run-ts.mjs bench/scoring.ts [--n 100000]
 */
import type { Sample } from '../action/src/core/benchmarks/types.js';
import type { PreparedItem } from '../action/src/core/scoring/protocol.js';
import { scoreResponse } from '../action/src/core/scoring/score.js';
import { ALL_CASES } from '../tests/core/scoring/extract-cases.js';

const argN = process.argv.indexOf('--n');
const N = argN > 0 ? Number(process.argv[argN + 1]) : 100_000;
const COT = 'Let us reason about the image step by step. '.repeat(24);
const SAMPLE: Sample = { id: 'x', question: 'q', answer: 'a', images: [], answerType: 'closed', metadata: {} };

function time(label: string, fn: (item: PreparedItem, content: string) => unknown): void {
  const heap0 = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  let parsed = 0;
  for (let i = 0; i < N; i++) {
    const [, response, choices, expected] = ALL_CASES[i % ALL_CASES.length]!;
    const item: PreparedItem = { index: i, sample: SAMPLE, kind: 'mcq', choices, gold: expected ?? 'A', prompt: '' };
    if (fn(item, `${COT}\n${response}`)) parsed++;
  }
  const s = (performance.now() - t0) / 1000;
  const heapMb = (process.memoryUsage().heapUsed - heap0) / 2 ** 20;
  console.log(`${label.padEnd(8)} ${N} responses in ${s.toFixed(2)} s = ${Math.round(N / s).toLocaleString('en')} responses/s; `
    + `matching the table's gold ${parsed}; heap +${heapMb.toFixed(0)} MB`);
}

time('chain', (item, content) => scoreResponse(item, { content }, 'chain').correct);
time('mmmu', (item, content) => scoreResponse(item, { content }, 'mmmu').correct);
