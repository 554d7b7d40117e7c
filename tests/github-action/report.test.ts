import { describe, expect, it } from 'vitest';
import { GatesConfig } from '../../action/src/github-action/gates/config.js';
import { evaluateGates } from '../../action/src/github-action/gates/evaluate.js';
import { COMMENT_LIMIT, commentMarker, renderComment, renderSummary, type ReportInput } from '../../action/src/github-action/report/markdown.js';
import { BENCHMARK_IDS } from '../../schemas/results.js';
import { firstK, makeRun } from './make-run.js';

function input(over: Partial<ReportInput> & Pick<ReportInput, 'head' | 'gates'>): ReportInput {
  return { baselineNote: 'run 1 at the merge-base `bbbbbbb`', uploadNote: null, gatesSource: 'inline', links: {}, failOn: 'gate', ...over };
}

describe('report markdown', () => {
  const reasoning = firstK(100, 40);
  const base = makeRun([{ id: 'vqa-rad', correct: firstK(100, 90), reasoning }, { id: 'slake', correct: firstK(50, 40) }]);
  const head = makeRun([{ id: 'vqa-rad', correct: firstK(100, 60), reasoning, unparsed: 4, errors: 2 }, { id: 'slake', correct: firstK(50, 40) }]);
  const gates = evaluateGates(GatesConfig.parse({ gates: [{ benchmark: '*', 'max-drop': 0.02 }, { benchmark: 'slake', min: 0.9 }] }), head, base);

  it('shows base, head, Δ with interval, Holm p and verdict per benchmark, the split and counts', () => {
    const md = renderSummary(input({ head, gates, links: { compare: 'http://w/o/r/compare/a...b', badge: 'http://w/badge/o/r.svg', chart: 'http://w/chart/o/r.svg' } }));
    expect(md).toContain('## ❌ medvlm-bench · demo-vlm: 2 gates failed');
    // vqa-rad: 30 losses out of 100 → 0.900 → 0.600
    expect(md).toMatch(/\| vqa-rad \| 0\.900 \| 0\.600 \| −0\.300 \[−0\.\d{3}, −0\.\d{3}\] \| <0\.001 \| 🔻 worse \|/);
    expect(md).toMatch(/\| slake \| 0\.800 \| 0\.800 \| \+0\.000 \[−0\.\d{3}, \+0\.\d{3}\] \| 1\.000 \| no significant change \|/);
    expect(md).toContain('### Understanding vs reasoning');
    // understanding = items 40..99: base correct 40..89 → 50/60; head 40..59 → 20/60
    expect(md).toContain('| vqa-rad | 0.833 → 0.333 (−0.500, n=60) | 1.000 → 1.000 (+0.000, n=40) |');
    expect(md).toContain('| vqa-rad | 100 | 100 | 0 | 100 | 4 | 2 | 0 |');
    expect(md).toContain('[Comparison](http://w/o/r/compare/a...b)');
    expect(md).toContain('[Badge](http://w/badge/o/r.svg)');
    expect(md).toContain('run 1 at the merge-base');
  });

  it('lists failing gates before passing ones', () => {
    const md = renderSummary(input({ head, gates }));
    const gateLines = md.split('### Gates')[1]!.split('\n').filter((l) => l.startsWith('| ✅') || l.startsWith('| ❌'));
    expect(gateLines.map((l) => l.slice(0, 3))).toEqual(['| ❌', '| ❌', '| ✅']);
  });

  it('without a baseline shows head scores with intervals and says why', () => {
    const g = evaluateGates(GatesConfig.parse({ gates: [{ benchmark: '*', 'max-drop': 0.02 }] }), head, null);
    const md = renderSummary(input({ head, gates: g, baselineNote: 'no run at the merge-base: absolute gates only', uploadNote: 'upload failed: aggregator unreachable' }));
    expect(md).toContain('### Scores (accuracy)');
    expect(md).toMatch(/\| vqa-rad \| 0\.600 \| \[0\.\d{3}, 0\.\d{3}\] \| 100 \|/);
    expect(md).toContain('absolute gates only');
    expect(md).toContain('> [!WARNING]\n> upload failed: aggregator unreachable');
    // '*' expands to one regression gate per benchmark (vqa-rad, slake); with no baseline both are skipped
    expect(md).toContain('## ⚠️ medvlm-bench · demo-vlm: no gate could be checked (2 skipped)');
  });

  it('starts the comment with a hidden marker per model label', () => {
    const c = renderComment(input({ head, gates }));
    expect(c.startsWith(`${commentMarker('demo-vlm')}\n`)).toBe(true);
    expect(commentMarker('a b<c>--d')).toBe('<!-- medvlm-bench:a_b_c_--d -->');
  });

  it('stays under 65,536 characters with thousands of checks, keeping failures and saying rows were cut', () => {
    const many = BENCHMARK_IDS.map((id, i) => ({ id, correct: firstK(40, 10 + i) }));
    const h = makeRun(many);
    const gatesCfg = GatesConfig.parse({ gates: Array.from({ length: 256 }, (_, i) => ({ benchmark: '*', min: i / 256 })) });
    const g = evaluateGates(gatesCfg, h, null);
    expect(g.checks.length).toBe(256 * many.length);
    const summary = renderSummary(input({ head: h, gates: g }));
    expect(summary.length).toBeGreaterThan(COMMENT_LIMIT);
    const c = renderComment(input({ head: h, gates: g }));
    expect(c.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(c).toMatch(/more rows not shown/);
    const firstGateRow = c.split('### Gates')[1]!.split('\n').find((l) => l.startsWith('| ❌') || l.startsWith('| ✅'));
    expect(firstGateRow?.startsWith('| ❌')).toBe(true);
    // whole tables only: every table row line is complete
    for (const line of c.split('\n')) if (line.startsWith('|')) expect(line.endsWith('|')).toBe(true);
  });

  it('escapes labels so a model name cannot inject markup', () => {
    const h = makeRun([{ id: 'slake', correct: firstK(10, 5) }], { model: 'evil<img src=x>|`x`' });
    const md = renderSummary(input({ head: h, gates: evaluateGates(GatesConfig.parse({}), h, null) }));
    expect(md).not.toContain('<img');
    expect(md).toContain('evil&lt;img src=x>\\|\\`x\\`');
  });
});
