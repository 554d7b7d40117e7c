import { describe, expect, it } from 'vitest';
import { mmmuFocus, mmmuOpenCorrect, mmmuParseChoice, mmmuParseOpen } from '../../../action/src/core/scoring/mmmu-parse.js';

const CH = { A: 'Aspirin', B: 'Warfarin', C: 'Heparin', D: 'Clopidogrel' };

describe('mmmuParseChoice (official rules, no random guess)', () => {
  it.each([
    ['bracketed letter', 'I pick (B).', 'B'],
    ['spaced letter', 'The answer: C', 'C'],
    ['bracket beats spaced', 'A is tempting but (D) is right', 'D'],
    ['several brackets: the last', '(A) is wrong; (C) is right', 'C'],
    ['option text in a long response', 'The drug that inhibits vitamin K epoxide reductase is warfarin.', 'B'],
    ['option text ignored when 5 words or fewer', 'warfarin of course', null],
    ['nothing → null instead of a random letter', 'I am not sure about this one at all.', null],
    ['trailing punctuation stripped', 'B.', 'B'],
    ['lowercase letter is not a candidate', 'the answer is b', null],
  ] as const)('%s', (_l, response, expected) => {
    expect(mmmuParseChoice(response, CH)).toBe(expected);
  });

  it('parses the box content when there is one, after stripping thinking', () => {
    expect(mmmuFocus('<think>(A)?</think> The options (A) and (C) differ. \\boxed{C}')).toBe('C');
    expect(mmmuParseChoice(mmmuFocus('<think>(A)?</think> Compare (A) with (C). \\boxed{C}'), CH)).toBe('C');
  });
});

describe('mmmuParseOpen / mmmuOpenCorrect', () => {
  it('finds the shortest tail after an indicator and numbers', () => {
    const parsed = mmmuParseOpen('The process described is transformation');
    expect(parsed).toContain('transformation');
    expect(mmmuOpenCorrect('Transformation', parsed)).toBe(true);
  });
  it('matches numbers numerically', () => {
    expect(mmmuOpenCorrect('2', mmmuParseOpen('So the number of doses is 2.0'))).toBe(true);
    expect(mmmuOpenCorrect('2', mmmuParseOpen('So the number of doses is 3'))).toBe(false);
  });
  it('handles thousands separators', () => {
    expect(mmmuParseOpen('the total is 1,250 units')).toContain(1250);
  });
});
