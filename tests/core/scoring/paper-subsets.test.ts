import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BenchmarkDef } from '../../../action/src/core/benchmarks/define.js';
import type { Sample } from '../../../action/src/core/benchmarks/types.js';
import { CHAIN_SCORER, MMMU_SCORER } from '../../../action/src/core/scoring/scorer.js';
import { isExclusion, prepareItem, type PreparedItem } from '../../../action/src/core/scoring/protocol.js';
import { buildOpenPrompt } from '../../../action/src/core/scoring/prompts.js';
import { prepareBenchmark } from '../../../action/src/core/suite.js';
import { readInputs } from '../../../action/src/github-action/inputs.js';
import { Protocol } from '../../../schemas/results.js';
import { tempDir, writeTree } from '../data/fixtures.js';

const def = (id: string, extraction: 'chain' | 'mmmu' = 'chain') =>
  ({ id, scorer: extraction === 'mmmu' ? MMMU_SCORER : CHAIN_SCORER }) as unknown as BenchmarkDef;
const sample = (p: Partial<Sample>): Sample => ({ id: 's', question: 'Q?', answer: 'yes', images: [], answerType: 'closed', metadata: {}, ...p });
const reason = (x: ReturnType<typeof prepareItem>) => (isExclusion(x) ? x.reason : null);
const item = (x: ReturnType<typeof prepareItem>): PreparedItem => {
  if (isExclusion(x)) throw new Error(`unexpected exclusion ${x.reason}`);
  return x;
};

const EITHER = sample({ question: 'Is the lesion on the left or right side of the brain?', answer: 'Left' });
const NOT_NAMED = sample({ question: 'Which is bigger in this image, kidney or spleen?', answer: 'Liver' });

describe('paper protocol: the paper\'s subsets', () => {
  it('VQA-RAD and PathVQA score yes/no closed items only', () => {
    for (const id of ['vqa-rad', 'pathvqa']) {
      expect(item(prepareItem(sample({ answer: 'No' }), 'paper', def(id), 0)).choices).toEqual({ A: 'yes', B: 'no' });
      expect(reason(prepareItem(EITHER, 'paper', def(id), 0))).toBe('closed-not-yes-no');
    }
  });
  it('closed keeps every derivable closed item on VQA-RAD ("X or Y" → options)', () => {
    expect(item(prepareItem(EITHER, 'closed', def('vqa-rad'), 0)).choices).toEqual({ A: 'left', B: 'right' });
    expect(reason(prepareItem(NOT_NAMED, 'closed', def('vqa-rad'), 0))).toBe('closed-not-binary');
  });
  it('SLAKE scores every closed item: a gold outside the named alternatives is added after them', () => {
    const p = item(prepareItem(NOT_NAMED, 'paper', def('slake'), 0));
    expect(p.choices).toEqual({ A: 'kidney', B: 'spleen', C: 'Liver' });
    expect(p.gold).toBe('C');
    expect(reason(prepareItem(NOT_NAMED, 'closed', def('slake'), 0))).toBe('closed-not-binary');
    const zh = item(prepareItem(sample({ question: '图中脾脏和肝脏哪个更大?', answer: '心脏', metadata: { language: 'zh' } }), 'paper', def('slake'), 0));
    expect([zh.choices, zh.gold]).toEqual([{ A: '脾脏', B: '肝脏', C: '心脏' }, 'C']);
  });
  it('a closed question that names no alternatives stays excluded, even on SLAKE', () => {
    expect(reason(prepareItem(sample({ question: 'Which organ is abnormal?', answer: 'Lung' }), 'paper', def('slake'), 0))).toBe('closed-not-binary');
  });
  it('open items are excluded by paper and closed, scored by full', () => {
    const open = sample({ answerType: 'open', answer: 'liver' });
    expect(reason(prepareItem(open, 'paper', def('slake'), 0))).toBe('open-ended');
    expect(reason(prepareItem(open, 'closed', def('slake'), 0))).toBe('open-ended');
    expect(item(prepareItem(open, 'full', def('slake'), 0)).kind).toBe('open');
  });
  it('other benchmarks: paper equals closed', () => {
    expect(item(prepareItem(EITHER, 'paper', def('custom'), 0)).choices).toEqual({ A: 'left', B: 'right' });
  });
});

describe('Chinese 正常/健康 golds are yes/no where the question asks the predicate', () => {
  const zh = (question: string, answer: string) => prepareItem(sample({ question, answer, metadata: { language: 'zh' } }), 'closed', def('slake'), 0);
  it.each([
    ['这张图片看起来正常吗?', '不正常', 'B'],
    ['这张图片看起来是否正常?', '不正常', 'B'],
    ['肝脏是健康的吗?', '健康', 'A'],
    ['肺部是健康的吗?', '不健康', 'B'],
  ])('%s → %s', (q, a, gold) => {
    const p = item(zh(q, a));
    expect([p.choices, p.gold]).toEqual([{ A: '是', B: '否' }, gold]);
  });
  it('an either-or question stays either-or, and a question not naming the predicate derives nothing', () => {
    const either = zh('这张图片是正常还是不正常?', '不正常');
    expect(isExclusion(either) ? null : either.choices).not.toEqual({ A: '是', B: '否' });
    expect(reason(zh('哪个器官不正常?', '正常'))).toBe('closed-not-binary');
  });
});

describe('MMMU prompt for benchmarks scored by the official MMMU rules', () => {
  const mc = sample({ question: 'Which finding <image 1> is shown?', options: { A: 'Pneumothorax', B: 'Pleural effusion' }, answer: 'B' });
  it('options as "(A) text" lines, then MMMU\'s instruction (configs/llava1.5.yaml wording)', () => {
    expect(item(prepareItem(mc, 'paper', def('mmmu-med', 'mmmu'), 0)).prompt).toBe(
      'Which finding <image 1> is shown?\n(A) Pneumothorax\n(B) Pleural effusion\n\nAnswer with the option\'s letter from the given choices directly.',
    );
  });
  it('open items get MMMU\'s short-answer instruction', () => {
    const open = sample({ question: 'How many doses?', answer: '2', answerType: 'open' });
    expect(item(prepareItem(open, 'full', def('mmmu-med', 'mmmu'), 0)).prompt).toBe('How many doses?\nAnswer the question using a single word or phrase.');
    expect(buildOpenPrompt('Q?', { language: 'en' })).toContain('\\boxed{}');
  });
  it('chain benchmarks keep "A. text" options', () => {
    expect(item(prepareItem(mc, 'paper', def('pmc-vqa'), 0)).prompt).toContain('Options:\nA. Pneumothorax\nB. Pleural effusion');
  });
});

describe('fingerprints keep the protocols apart', () => {
  it('identical scored items under paper and closed still get different fingerprints', async () => {
    const lines = [
      { id: 'a', question: 'Is there a fracture?', answer: 'yes' },
      { id: 'b', question: 'Which lobe?', options: { A: 'Upper', B: 'Lower' }, answer: 'B' },
    ].map((x) => JSON.stringify(x)).join('\n');
    const dir = writeTree(tempDir('protocols-'), { 'm.jsonl': `${lines}\n` });
    const manifest = path.join(dir, 'm.jsonl');
    const paper = await prepareBenchmark('custom', { protocol: 'paper', manifest, env: {} });
    const closed = await prepareBenchmark('custom', { protocol: 'closed', manifest, env: {} });
    expect(paper.items.map((i) => i.prompt)).toEqual(closed.items.map((i) => i.prompt));
    expect(paper.fingerprint).not.toBe(closed.fingerprint);
  });
});

describe('closed is accepted wherever a protocol is named', () => {
  it('results schema and the Action input', () => {
    expect(Protocol.parse('closed')).toBe('closed');
    const inputs = (protocol: string) => (n: string) => ({ protocol, endpoint: 'http://127.0.0.1:1/v1', model: 'm' })[n] ?? '';
    expect(readInputs(inputs('closed')).protocol).toBe('closed');
    expect(() => readInputs(inputs('exact'))).toThrow(/paper, closed, full/);
  });
});
