import { describe, expect, it } from 'vitest';
import { extractChoice, extractOpenAnswer } from '../../../action/src/core/scoring/extract.js';
import { ALL_CASES, BARE_CASES, ISSUE_CASES, BOXED_CASES, ORGANS, REFUSAL_CASES, TEXT_CASES, THINKING_CASES, TRIGGER_CASES } from './extract-cases.js';

describe('extractChoice (chain)', () => {
  it('has at least 80 realistic cases', () => expect(ALL_CASES.length).toBeGreaterThanOrEqual(80));
  for (const [group, cases] of Object.entries({ BOXED_CASES, THINKING_CASES, TRIGGER_CASES, BARE_CASES, TEXT_CASES, REFUSAL_CASES })) {
    describe(group, () => {
      it.each(cases)('%s', (_label, response, choices, expected) => {
        expect(extractChoice(response, choices).answer).toBe(expected);
      });
    });
  }

  describe('issue 10 misreads (read with the question, as the scorer does)', () => {
    it.each(ISSUE_CASES)('%s', (_label, response, choices, expected, question) => {
      expect(extractChoice(response, choices, { question }).answer).toBe(expected);
    });
  });

  it('reports the deciding stage', () => {
    expect(extractChoice('<think>A</think>\\boxed{B}', ORGANS).stage).toBe('boxed');
    expect(extractChoice('Answer: C', ORGANS).stage).toBe('trigger');
    expect(extractChoice('B', ORGANS).stage).toBe('letter');
    expect(extractChoice('It is the liver', ORGANS).stage).toBe('option-text');
    expect(extractChoice("I'm sorry, I cannot answer.", ORGANS).stage).toBe('refusal');
  });

  it('marks several different answers as ambiguous rather than picking one', () => {
    const r = extractChoice('\\boxed{A, C}', ORGANS);
    expect(r).toEqual({ answer: null, stage: 'boxed', ambiguous: true });
  });
});

describe('extractOpenAnswer', () => {
  it.each([
    ['boxed', 'The organ is enlarged. \\boxed{liver}', 'liver'],
    ['trigger', 'Looking at the scan... Answer: right lower lobe.', 'right lower lobe'],
    ['answer tag', '<answer>Pneumothorax</answer>', 'Pneumothorax'],
    ['think stripped', '<think>is it the spleen?</think>The spleen.', 'The spleen'],
    ['whole short response', 'Axial', 'Axial'],
    ['refusal', 'I cannot determine this from the image.', null],
    ['truncated thinking', '<think>Let me look carefully at', null],
    ['empty box', 'Answer: \\boxed{}', null],
  ] as const)('%s', (_l, response, expected) => {
    expect(extractOpenAnswer(response).answer).toBe(expected);
  });
});
