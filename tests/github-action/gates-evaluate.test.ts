import { describe, expect, it } from 'vitest';
import { GatesConfig } from '../../action/src/github-action/gates/config.js';
import { evaluateGates } from '../../action/src/github-action/gates/evaluate.js';
import { checkMessage } from '../../action/src/github-action/report/check-text.js';
import { packBits } from '../../schemas/bitset.js';
import { firstK, makeRun } from './make-run.js';

const cfg = (c: unknown) => GatesConfig.parse(c);
const ones = (n: number) => firstK(n, n);

describe('absolute floors', () => {
  it('pass and fail on the point estimate, per benchmark and per group', () => {
    // 100 items: the first 50 are reasoning; 70 correct overall = 50 reasoning + 20 understanding
    const reasoning = firstK(100, 50);
    const head = makeRun([{ id: 'vqa-rad', correct: firstK(100, 70), reasoning }]);
    const r = evaluateGates(cfg({ gates: [
      { benchmark: 'vqa-rad', min: 0.7 },
      { benchmark: 'vqa-rad', group: 'questionType=understanding', min: 0.5 },
      { benchmark: 'vqa-rad', group: 'questionType=reasoning', min: 0.99 },
    ] }), head, null);
    expect(r.checks.map((c) => [c.group, c.status, c.observed])).toEqual([
      [null, 'pass', 0.7],
      ['questionType=understanding', 'fail', 0.4],
      ['questionType=reasoning', 'pass', 1],
    ]);
    expect(r.passed).toBe(false);
    expect(r.rows).toBeNull();
  });

  it('fails a named benchmark that was not run, and a group that does not exist', () => {
    const head = makeRun([{ id: 'slake', correct: ones(10) }]);
    const r = evaluateGates(cfg({ gates: [
      { benchmark: 'vqa-rad', min: 0.1 },
      { benchmark: 'slake', group: 'modality=CT', min: 0.1 },
    ] }), head, null);
    expect(r.checks.map((c) => c.status)).toEqual(['fail', 'fail']);
    expect(checkMessage(r.checks[0]!)).toMatch(/not evaluated/);
    expect(checkMessage(r.checks[1]!)).toMatch(/group modality=CT not found/);
  });
});

describe('regression gates on paired items', () => {
  it('fails a significant drop larger than the margin', () => {
    const base = makeRun([{ id: 'vqa-rad', correct: ones(200) }]);
    const head = makeRun([{ id: 'vqa-rad', correct: firstK(200, 170) }]);
    const r = evaluateGates(cfg({ gates: [{ benchmark: '*', 'max-drop': 0.02 }] }), head, base);
    const c = r.checks[0]!;
    expect(c.status).toBe('fail');
    expect(c.verdict).toBe('worse');
    expect(c.observed).toBeCloseTo(-0.15, 10);
    const row = r.rows![0]!;
    expect(row.counts).toEqual({ both: 170, baseOnly: 30, headOnly: 0, neither: 0 });
    expect(row.p).toBeCloseTo(2 * 0.5 ** 30, 15);
  });

  it('passes a small drop that is not significant', () => {
    const base = makeRun([{ id: 'vqa-rad', correct: ones(200) }]);
    const head = makeRun([{ id: 'vqa-rad', correct: firstK(200, 197) }]);
    const r = evaluateGates(cfg({ gates: [{ benchmark: '*', 'max-drop': 0.0 }] }), head, base);
    expect(r.checks[0]!.status).toBe('pass');
    expect(r.rows![0]!.p).toBeCloseTo(0.25, 12); // 3 losses, 0 wins: 2 × 0.5³
    expect(r.passed).toBe(true);
  });

  it('passes a significant drop within the margin in regression mode; non-inferiority judges the interval', () => {
    const base = makeRun([{ id: 'pathvqa', correct: ones(2000) }]);
    const head = makeRun([{ id: 'pathvqa', correct: firstK(2000, 1980) }]); // −0.01, p ≈ 1.9e-6
    const reg = evaluateGates(cfg({ gates: [{ benchmark: 'pathvqa', 'max-drop': 0.02 }] }), head, base);
    expect(reg.checks[0]!.status).toBe('pass');
    const lo = reg.rows![0]!.ci95![0];
    expect(lo).toBeLessThan(-0.01);
    expect(lo).toBeGreaterThan(-0.02);
    const niWide = evaluateGates(cfg({ mode: 'non-inferiority', gates: [{ benchmark: 'pathvqa', 'max-drop': 0.02 }] }), head, base);
    expect(niWide.checks[0]).toMatchObject({ kind: 'non-inferiority', status: 'pass' });
    const niTight = evaluateGates(cfg({ mode: 'non-inferiority', gates: [{ benchmark: 'pathvqa', 'max-drop': 0.01 }] }), head, base);
    expect(niTight.checks[0]).toMatchObject({ kind: 'non-inferiority', status: 'fail' });
  });

  it('Holm-corrects across benchmarks: one p = 1/32 fails alone, two such drops pass together', () => {
    const six = firstK(100, 94); // 6 losses, 0 wins → exact p = 2 × 0.5⁶ = 0.03125
    const gates = cfg({ gates: [{ benchmark: '*', 'max-drop': 0.02 }] });
    const alone = evaluateGates(gates, makeRun([{ id: 'slake', correct: six }]), makeRun([{ id: 'slake', correct: ones(100) }]));
    expect(alone.rows![0]!.pAdjusted).toBeCloseTo(0.03125, 12);
    expect(alone.passed).toBe(false);
    const both = evaluateGates(
      gates,
      makeRun([{ id: 'slake', correct: six }, { id: 'vqa-rad', correct: six }]),
      makeRun([{ id: 'slake', correct: ones(100) }, { id: 'vqa-rad', correct: ones(100) }]),
    );
    for (const row of both.rows!) expect(row.pAdjusted).toBeCloseTo(0.0625, 12);
    expect(both.passed).toBe(true);
  });

  it('compares groups on their own members only', () => {
    const reasoning = firstK(100, 50);
    const base = makeRun([{ id: 'vqa-rad', correct: ones(100), reasoning }]);
    // all 20 losses among reasoning items (indexes 30..49)
    const head = makeRun([{ id: 'vqa-rad', correct: ones(100).map((v, i) => (i >= 30 && i < 50 ? 0 : v)), reasoning }]);
    const r = evaluateGates(cfg({ gates: [{ benchmark: 'vqa-rad', group: 'questionType=understanding', 'max-drop': 0.02 }] }), head, base);
    expect(r.checks[0]!.status).toBe('pass');
    const reasoningRow = r.rows!.find((x) => x.group === 'questionType=reasoning')!;
    expect(reasoningRow.counts).toEqual({ both: 30, baseOnly: 20, headOnly: 0, neither: 0 });
    expect(reasoningRow.diff).toBeCloseTo(-0.4, 12);
  });

  it('skips (with the reason) when there is no baseline or the fingerprint changed, never silently passing floors', () => {
    const head = makeRun([{ id: 'slake', correct: firstK(10, 1) }]);
    const g = cfg({ gates: [{ benchmark: 'slake', min: 0.5, 'max-drop': 0.02 }] });
    const none = evaluateGates(g, head, null);
    expect(none.checks.map((c) => c.status)).toEqual(['fail', 'skipped']);
    expect(checkMessage(none.checks[1]!)).toMatch(/no baseline/);
    const changed = evaluateGates(g, head, makeRun([{ id: 'slake', correct: ones(10), fingerprint: 'c'.repeat(64) }]));
    expect(changed.checks[1]!.status).toBe('skipped');
    expect(checkMessage(changed.checks[1]!)).toMatch(/fingerprint changed \(cccccccccccc → aaaaaaaaaaaa\)/);
  });
});

describe('unparsed and error budgets', () => {
  it('divide by the items this run evaluated (a limited or sharded run), not all scored items', () => {
    const head = makeRun([{ id: 'slake', correct: firstK(100, 50), unparsed: 3 }]);
    head.benchmarks[0]!.outcomes.present = packBits(firstK(100, 50).map(Boolean));
    const r = evaluateGates(cfg({ 'max-unparsed': 0.05 }), head, null);
    expect(r.checks[0]).toMatchObject({ status: 'fail', observed: 0.06 });
    expect(checkMessage(r.checks[0]!)).toBe('3/50 items unparsed (6.0%) > budget 5.0%');
  });

  it('fails when the fraction of scored items exceeds the budget', () => {
    const head = makeRun([{ id: 'slake', correct: firstK(100, 50), unparsed: 3, errors: 1 }]);
    const r = evaluateGates(cfg({ 'max-unparsed': 0.02, 'max-errors': 0.01 }), head, null);
    expect(r.checks.map((c) => [c.kind, c.status, c.observed])).toEqual([
      ['unparsed-budget', 'fail', 0.03],
      ['error-budget', 'pass', 0.01],
    ]);
  });
});
