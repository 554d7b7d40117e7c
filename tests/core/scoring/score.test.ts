import { describe, expect, it } from 'vitest';
import type { Sample } from '../../../action/src/core/benchmarks/types.js';
import type { PreparedItem } from '../../../action/src/core/scoring/protocol.js';
import { gradeOpen, scoreResponse } from '../../../action/src/core/scoring/score.js';
import { ALL_CASES } from './extract-cases.js';

const SAMPLE: Sample = { id: 'x', question: 'q', answer: 'a', images: [], answerType: 'open', metadata: {} };
const mcq = (choices: Record<string, string>, gold: string): PreparedItem =>
  ({ index: 0, sample: SAMPLE, kind: 'mcq', choices, gold, prompt: 'p' });
const open = (gold: string): PreparedItem => ({ index: 0, sample: SAMPLE, kind: 'open', choices: null, gold, prompt: 'p' });

describe('scoreResponse — multiple choice', () => {
  it.each(ALL_CASES.filter((c) => c[3] !== null))('correct when the gold is the extracted letter: %s', (_l, response, choices, expected) => {
    expect(scoreResponse(mcq(choices, expected!), { content: response }, 'chain')).toMatchObject({ extracted: expected, correct: true });
  });
  it('unparsed scores 0 even if the gold would have been a guess', () => {
    expect(scoreResponse(mcq({ A: 'x', B: 'y' }, 'A'), { content: 'A or B' }, 'chain')).toMatchObject({ extracted: null, correct: false });
  });
  it('never searches the reasoning field', () => {
    const r = scoreResponse(mcq({ A: 'x', B: 'y' }, 'B'), { content: '', reasoning: 'The answer is B' }, 'chain');
    expect(r).toMatchObject({ extracted: null, correct: false });
  });
  it('uses the official MMMU rules in mmmu mode', () => {
    const item = mcq({ A: 'Aspirin', B: 'Warfarin' }, 'B');
    expect(scoreResponse(item, { content: 'Clearly the anticoagulant here must be warfarin.' }, 'mmmu').correct).toBe(true);
    expect(scoreResponse(item, { content: 'no idea' }, 'mmmu').extracted).toBeNull();
  });
});

describe('scoreResponse — open', () => {
  it('normalised exact match', () => {
    const r = scoreResponse(open('Right lower lobe'), { content: 'Answer: the right lower lobe.' }, 'chain');
    expect(r).toMatchObject({ extracted: 'right lower lobe', correct: true, graded: { open_exact_match: 1, open_token_recall: 1, open_token_f1: 1 } });
  });
  it('partial overlap: recall and F1 but no exact match', () => {
    const r = scoreResponse(open('left lung'), { content: '\\boxed{left lower lung lobe}' }, 'chain');
    expect(r.correct).toBe(false);
    expect(r.graded).toEqual({ open_exact_match: 0, open_token_recall: 1, open_token_f1: 0.6667 });
  });
  it('unparsed open answer grades 0', () => {
    expect(scoreResponse(open('liver'), { content: 'I cannot determine this.' }, 'chain'))
      .toMatchObject({ extracted: null, correct: false, graded: { open_exact_match: 0, open_token_recall: 0, open_token_f1: 0 } });
  });
  it('MMMU open rule in mmmu mode', () => {
    expect(scoreResponse(open('Transformation'), { content: 'The process is transformation of bacteria' }, 'mmmu').correct).toBe(true);
  });
});

describe('gradeOpen', () => {
  it.each([
    ['x-ray', 'X ray', 1, 1, 1],
    ['the liver', 'Liver', 1, 1, 1],
    ['liver and spleen', 'spleen', 0, 1, 0.5],
    ['spleen', 'liver and spleen', 0, 0.3333, 0.5],
    ['heart', 'lung', 0, 0, 0],
    ['lung lung', 'lung lung lung', 0, 0.6667, 0.8],
  ])('%s vs %s', (pred, gold, em, recall, f1) => {
    expect(gradeOpen(pred, gold)).toEqual({ open_exact_match: em, open_token_recall: recall, open_token_f1: f1 });
  });
});
