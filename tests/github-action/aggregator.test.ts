import { describe, expect, it } from 'vitest';
import { compareSettings } from '../../action/src/github-action/run.js';
import { aggregatorLinks, parseBaselineSpec, sameFingerprints } from '../../action/src/github-action/aggregator.js';
import { GatesConfig } from '../../action/src/github-action/gates/config.js';
import { firstK, makeRun } from './make-run.js';

describe('aggregator helpers', () => {
  it('parses every baseline form and rejects the rest', () => {
    expect(parseBaselineSpec('')).toEqual({ kind: 'merge-base' });
    expect(parseBaselineSpec(' merge-base ')).toEqual({ kind: 'merge-base' });
    expect(parseBaselineSpec('sha:0123abc')).toEqual({ kind: 'sha', sha: '0123abc' });
    expect(parseBaselineSpec('ref:release/2.0')).toEqual({ kind: 'ref', ref: 'release/2.0' });
    expect(parseBaselineSpec('run:0123456789abcdef')).toEqual({ kind: 'run', id: '0123456789abcdef' });
    for (const bad of ['sha:XYZ', 'run:a/b', 'latest', 'sha:']) expect(parseBaselineSpec(bad)).toBeNull();
  });

  it('accepts a baseline only when every shared benchmark has the same fingerprint', () => {
    const head = makeRun([{ id: 'slake', correct: firstK(10, 5) }, { id: 'vqa-rad', correct: firstK(10, 5) }]);
    expect(sameFingerprints(head, makeRun([{ id: 'slake', correct: firstK(10, 9) }]))).toBe(true);
    expect(sameFingerprints(head, makeRun([{ id: 'slake', correct: firstK(10, 9), fingerprint: 'c'.repeat(64) }]))).toBe(false);
    expect(sameFingerprints(head, makeRun([{ id: 'pathvqa', correct: firstK(10, 9) }]))).toBe(false);
  });

  it('builds compare (with the gate settings), badge and chart links for the worker pages', () => {
    const head = makeRun([{ id: 'slake', correct: firstK(10, 5) }], { model: 'my vlm' });
    const settings = { margin: 0.02, alpha: 0.01, mode: 'non-inferiority' };
    expect(aggregatorLinks('https://w.example/', head, 'h1', 'b1', settings)).toEqual({
      run: 'https://w.example/octo/demo/runs/h1',
      compare: 'https://w.example/octo/demo/compare/b1...h1?margin=0.02&alpha=0.01&mode=non-inferiority',
      badge: 'https://w.example/badge/octo/demo.svg?model=my%20vlm',
      chart: 'https://w.example/chart/octo/demo.svg?model=my%20vlm',
      curve: null,
    });
    expect(aggregatorLinks('https://w.example', head, 'h1', null, settings).compare).toBeNull();
  });

  it('the compare page gets the gates\' alpha, mode and whole-benchmark margin (the smallest when several)', () => {
    const g = GatesConfig.parse({ alpha: 0.01, mode: 'non-inferiority', gates: [
      { benchmark: 'slake', 'max-drop': 0.03 }, { benchmark: '*', 'max-drop': 0.02 },
      { benchmark: '*', group: 'questionType=reasoning', 'max-drop': 0.001 }, { benchmark: 'slake', min: 0.5 },
    ] });
    expect(compareSettings(g)).toEqual({ margin: 0.02, alpha: 0.01, mode: 'non-inferiority' });
    expect(compareSettings(GatesConfig.parse({ gates: [{ benchmark: 'slake', min: 0.5 }] }))).toEqual({ margin: 0, alpha: 0.05, mode: 'regression' });
  });
});
