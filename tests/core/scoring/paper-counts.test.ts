/**
 * Which item count n each accuracy the seed paper publishes is consistent with: a 4-decimal value v fits n when some
 * integer k has k/n within half a unit of the 4th decimal of v (|10000·k − V·n| ≤ n/2 with V = 10000·v, exact in
 * integers). The expected counts below were computed independently (a Python loop over the same tables) and are
 * the evidence table of docs/scoring.md ("The paper's subsets").
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareBenchmark } from '../../../action/src/core/suite.js';
import { sharedData, SHARED_DATA_DIR } from '../../helpers/shared-data.js';
import {
  BENCHMARK_COLUMNS, TABLE_1_ALL, TABLE_2_REASONING, TABLE_3_UNDERSTANDING, type PaperColumn, type PaperTable,
} from './paper-tables.js';

function fits(value: string, n: number): boolean {
  const v = Math.round(Number(value) * 10_000);
  const k = Math.round((v * n) / 10_000);
  return [k - 1, k, k + 1].some((kk) => kk >= 0 && kk <= n && 2 * Math.abs(10_000 * kk - v * n) <= n);
}

/** models of `table` whose `column` value fits n */
function fitting(table: PaperTable, column: PaperColumn, n: number): string[] {
  const j = BENCHMARK_COLUMNS.indexOf(column);
  return Object.entries(table).filter(([, values]) => fits(values[j]!, n)).map(([model]) => model);
}

/** our paper-protocol n per column (OmniMedVQA: depends on the release, and any n ≥ 10,000 fits every value) */
const OUR_N: Record<PaperColumn, number | null> = {
  MedXpert: 2000, OmniMedVQA: null, 'PMC-VQA': 2000, PathVQA: 3362, MMMU: 145, SLAKE: 416, 'VQA-RAD': 251,
};

describe('fits', () => {
  it('is the rounding rule, checked on hand-made values', () => {
    expect(fits('0.5458', 251)).toBe(true); // 137/251 = 0.545817
    expect(fits('0.5458', 271)).toBe(false); // 148/271 = 0.546125, 147/271 = 0.542435
    expect(fits('0.3333', 3)).toBe(true);
    expect(fits('0.6667', 3)).toBe(true);
    expect(fits('0.6666', 3)).toBe(false);
    expect(fits('1.0000', 7)).toBe(true);
  });
});

describe('Table 1 (all items): how many of the 10 models fit each n', () => {
  it.each<[PaperColumn, number, number]>([
    ['VQA-RAD', 251, 7], ['VQA-RAD', 271, 0], ['VQA-RAD', 272, 0],
    ['SLAKE', 416, 2], ['SLAKE', 415, 0], ['SLAKE', 412, 6],
    ['PathVQA', 3362, 10],
    ['MedXpert', 2000, 7], ['MedXpert', 1446, 1], ['MedXpert', 554, 1],
    ['MMMU', 145, 7], ['MMMU', 150, 1],
    ['PMC-VQA', 2000, 6],
    ['OmniMedVQA', 11124, 10],
  ])('%s n = %i: %i of 10', (column, n, expected) => {
    expect(fitting(TABLE_1_ALL, column, n)).toHaveLength(expected);
  });
  it('SLAKE n = 416 is fitted by exactly the two HuatuoGPT-Vision models (whose own eval set has 416 items)', () => {
    expect(fitting(TABLE_1_ALL, 'SLAKE', 416)).toEqual(['Huatuo-GPT-Vision-7B', 'Huatuo-GPT-Vision-32B']);
  });
  it('our n: the table of docs/scoring.md', () => {
    const row = (c: PaperColumn) => (OUR_N[c] === null ? null : fitting(TABLE_1_ALL, c, OUR_N[c]!).length);
    expect(Object.fromEntries(BENCHMARK_COLUMNS.map((c) => [c, row(c)]))).toEqual({
      MedXpert: 7, OmniMedVQA: null, 'PMC-VQA': 6, PathVQA: 10, MMMU: 7, SLAKE: 2, 'VQA-RAD': 7,
    });
  });
});

describe('Tables 2 and 3 (subsets by question type)', () => {
  it('MedXpert reasoning fits its official 1,446 Reasoning items for 8 of 10; understanding fits 554 for none', () => {
    expect(fitting(TABLE_2_REASONING, 'MedXpert', 1446)).toHaveLength(8);
    expect(fitting(TABLE_3_UNDERSTANDING, 'MedXpert', 554)).toHaveLength(0);
  });
  it('no whole-benchmark n explains the other subsets (they are the paper\'s classifier partitions)', () => {
    const counts = (t: PaperTable) => BENCHMARK_COLUMNS.filter((c) => OUR_N[c] !== null)
      .map((c) => `${c}:${fitting(t, c, OUR_N[c]!).length}`).join(' ');
    expect(counts(TABLE_2_REASONING)).toBe('MedXpert:1 PMC-VQA:2 PathVQA:3 MMMU:0 SLAKE:1 VQA-RAD:0');
    expect(counts(TABLE_3_UNDERSTANDING)).toBe('MedXpert:2 PMC-VQA:3 PathVQA:3 MMMU:0 SLAKE:0 VQA-RAD:0');
  });
});

const paperNote = path.join(path.dirname(SHARED_DATA_DIR), 'PAPER.md');
describe.skipIf(!existsSync(paperNote))('the transcribed tables equal the research note', () => {
  it('every value of Tables 1–3', () => {
    const text = readFileSync(paperNote, 'utf8');
    for (const [title, table] of [['**Table 1', TABLE_1_ALL], ['**Table 2', TABLE_2_REASONING], ['**Table 3', TABLE_3_UNDERSTANDING]] as const) {
      const after = text.slice(text.indexOf(title));
      for (const [model, values] of Object.entries(table)) {
        expect(after).toContain(`| ${model} | ${values.join(' | ')} |`);
      }
    }
  });
});

const rad = sharedData('vqa_rad');
const slake = sharedData('slake');
describe.skipIf(!rad.available || !slake.available)('our n on the real data (paper protocol)', () => {
  it('VQA-RAD 251, SLAKE English 416', async () => {
    const r = await prepareBenchmark('vqa-rad', { protocol: 'paper', dataDir: rad.root });
    const s = await prepareBenchmark('slake', { protocol: 'paper', dataDir: slake.root });
    expect([r.items.length, s.items.length]).toEqual([OUR_N['VQA-RAD'], OUR_N.SLAKE]);
    const closed = await prepareBenchmark('vqa-rad', { protocol: 'closed', dataDir: rad.root });
    expect(closed.items.length).toBe(271);
  });
});
