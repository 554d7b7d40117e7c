/**
 * The PR comment of a matrix run (a run whose model carries a checkpoint label of its own) links the training curve
 * of its commit on the worker; a run labelled only by its model name does not.
 */
import { describe, expect, it } from 'vitest';
import { aggregatorLinks } from '../../action/src/github-action/aggregator.js';
import { GatesConfig } from '../../action/src/github-action/gates/config.js';
import { evaluateGates } from '../../action/src/github-action/gates/evaluate.js';
import { renderComment, renderSummary, type ReportInput } from '../../action/src/github-action/report/markdown.js';
import type { RunResult } from '../../schemas/results.js';
import { firstK, makeRun } from './make-run.js';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const SETTINGS = { margin: 0.02, alpha: 0.05, mode: 'regression' };
const labelled = (checkpoint: string | null, model = 'my-vlm'): RunResult => {
  const r = makeRun([{ id: 'vqa-rad', correct: firstK(20, 10) }], { sha: SHA, model });
  return { ...r, model: { ...r.model, checkpoint } };
};

describe('training curve link', () => {
  it('a checkpoint label gets /curve/owner/repo.svg?commit=SHA', () => {
    expect(aggregatorLinks('https://w.example/', labelled('my-vlm@step-2000'), 'h1', null, SETTINGS).curve)
      .toBe(`https://w.example/curve/octo/demo.svg?commit=${SHA}`);
  });

  it('no link for a run labelled by its model name, without a label, or not uploaded', () => {
    expect(aggregatorLinks('https://w.example', labelled('my-vlm'), 'h1', null, SETTINGS).curve).toBeNull();
    expect(aggregatorLinks('https://w.example', labelled(null), 'h1', null, SETTINGS).curve).toBeNull();
    expect(aggregatorLinks('https://w.example', labelled('my-vlm@final'), null, null, SETTINGS).curve).toBeNull();
  });

  it('the comment and the summary link it beside the other worker pages', () => {
    const head = labelled('my-vlm@step-2000');
    const links = aggregatorLinks('https://w.example', head, 'h1', null, SETTINGS);
    const input: ReportInput = {
      head, gates: evaluateGates(GatesConfig.parse({}), head, null), baselineNote: 'none', uploadNote: null,
      gatesSource: 'inline', links, failOn: 'gate',
    };
    for (const md of [renderComment(input), renderSummary(input)]) {
      expect(md).toContain(`[Training curve](https://w.example/curve/octo/demo.svg?commit=${SHA})`);
      expect(md).toContain('[History chart](https://w.example/chart/octo/demo.svg?model=my-vlm)');
    }
  });
});
