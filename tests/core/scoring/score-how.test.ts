/**
 * scoreResponse says how it read each answer (`how`: the extraction stage that decided, extract.ts's chain), which
 * predictions.jsonl records and the item report shows. Expected stages follow the chain's documented order.
 */
import { describe, expect, it } from 'vitest';
import type { Sample } from '../../../action/src/core/benchmarks/types.js';
import type { PreparedItem } from '../../../action/src/core/scoring/protocol.js';
import { scoreResponse } from '../../../action/src/core/scoring/score.js';

const SAMPLE: Sample = { id: 'x', question: 'Which organ is enlarged?', answer: 'B', images: [], answerType: 'closed', metadata: {} };
const CHOICES = { A: 'Lung', B: 'Liver', C: 'Heart' };
const mcq: PreparedItem = { index: 0, sample: SAMPLE, kind: 'mcq', choices: CHOICES, gold: 'B', prompt: 'p' };
const yesNo: PreparedItem = { index: 0, sample: { ...SAMPLE, question: 'Is the liver enlarged?' }, kind: 'mcq', choices: { A: 'yes', B: 'no' }, gold: 'A', prompt: 'p' };
const open: PreparedItem = { index: 0, sample: SAMPLE, kind: 'open', choices: null, gold: 'liver', prompt: 'p' };

describe('how an answer was read', () => {
  it.each([
    ['<think>maybe A</think>\\boxed{B}', 'B', 'boxed'],
    ['<answer>B</answer>', 'B', 'answer-tag'],
    ['Looking at the image… The answer is (B).', 'B', 'trigger'],
    ['B', 'B', 'letter'],
    ['It is the liver.', 'B', 'option-text'],
    ["I'm sorry, I cannot determine this from the image.", null, 'refusal'],
    ['The answer is A or C.', null, 'trigger:ambiguous'],
    ['A or C, hard to say', null, 'none'],
    ['', null, 'empty'],
  ])('%j → %s by %s', (content, extracted, how) => {
    expect(scoreResponse(mcq, { content }, 'chain')).toMatchObject({ extracted, how });
  });

  it('yes/no verdicts and the open and MMMU readers name themselves', () => {
    expect(scoreResponse(yesNo, { content: 'Yes, it is clearly enlarged.' }, 'chain')).toMatchObject({ extracted: 'A', how: 'yes-no' });
    expect(scoreResponse(open, { content: 'The answer is liver.' }, 'chain')).toMatchObject({ extracted: 'liver', how: 'trigger' });
    expect(scoreResponse(open, { content: 'liver' }, 'chain').how).toBe('none'); // the whole response, no marker found
    expect(scoreResponse(mcq, { content: 'The answer is B' }, 'mmmu').how).toBe('mmmu');
  });
});
