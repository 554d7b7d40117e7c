import { mkdtempSync, mkdirSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkGatedBenchmarksRun, loadGatesConfig, parseGatesConfig } from '../../action/src/github-action/gates/config.js';
import { UserError } from '../../action/src/core/errors.js';

const fs = { existsSync, readFileSync: (p: string, e: 'utf8') => readFileSync(p, e) };

function errorOf(text: string): string {
  try {
    parseGatesConfig(text, 'gates.yml');
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return (e as Error).message;
  }
  throw new Error('expected the config to be rejected');
}

describe('parseGatesConfig', () => {
  it('parses the documented example with defaults filled in', () => {
    const c = parseGatesConfig(
      [
        'gates:',
        '  - benchmark: vqa-rad',
        '    group: questionType=reasoning',
        '    min: 0.60',
        '    max-drop: 0.02',
        '  - benchmark: "*"',
        '    max-drop: 0.01',
        'alpha: 0.1',
        'mode: non-inferiority',
        'max-unparsed: 0.02',
        'max-errors: 0.01',
      ].join('\n'),
      'x',
    );
    expect(c).toEqual({
      gates: [
        { benchmark: 'vqa-rad', group: 'questionType=reasoning', metric: 'accuracy', min: 0.6, 'max-drop': 0.02 },
        { benchmark: '*', metric: 'accuracy', 'max-drop': 0.01 },
      ],
      alpha: 0.1, mode: 'non-inferiority', 'max-unparsed': 0.02, 'max-errors': 0.01,
    });
  });

  it('accepts JSON (inline) too', () => {
    const c = parseGatesConfig('{"gates": [{"benchmark": "slake", "min": 0.5}], "alpha": 0.01}', 'x');
    expect(c).toEqual({ gates: [{ benchmark: 'slake', metric: 'accuracy', min: 0.5 }], alpha: 0.01, mode: 'regression' });
  });

  it('names the line, field and problem for an out-of-range value', () => {
    const msg = errorOf('alpha: 0.05\ngates:\n  - benchmark: vqa-rad\n    min: 1.5\n');
    expect(msg).toMatch(/gates\.yml:4:10: gates\[0\]\.min: .*(<=|1)/);
  });

  it('names the line of an unknown benchmark and lists the valid ids', () => {
    const msg = errorOf('gates:\n  - benchmark: vqa-rad\n    min: 0.5\n  - benchmark: vqarad\n    min: 0.5\n');
    expect(msg).toContain('gates.yml:4:16: gates[1].benchmark: must be one of vqa-rad');
  });

  it('points at a misspelt key on its own line and lists the allowed keys', () => {
    const msg = errorOf('gates:\n  - benchmark: slake\n    max_drop: 0.02\n');
    expect(msg).toContain("gates.yml:3:5: gates[0]: unknown key 'max_drop' (allowed: benchmark, group, metric, min, max-drop)");
  });

  it('rejects a gate with neither min nor max-drop, at the gate line', () => {
    const msg = errorOf('alpha: 0.05\ngates:\n  - benchmark: slake\n');
    expect(msg).toMatch(/gates\.yml:3:\d+: gates\[0\]: a gate needs `min`/);
  });

  it('rejects max-drop on a graded metric that cannot be paired', () => {
    const msg = errorOf('gates:\n  - benchmark: slake\n    metric: open_token_f1\n    max-drop: 0.02\n');
    expect(msg).toMatch(/gates\.yml:4:\d+: gates\[0\]\.max-drop: max-drop needs a per-item 0\/1 metric/);
  });

  it('reports YAML syntax errors with a line number', () => {
    const msg = errorOf('gates:\n  - benchmark: slake\n    min: [0.5\n');
    expect(msg).toMatch(/YAML syntax/);
    expect(msg).toMatch(/gates\.yml:\d+:\d+:/);
  });

  it('reports a bad mode and a bad group on their lines, all problems at once', () => {
    const msg = errorOf('mode: strict\ngates:\n  - benchmark: slake\n    group: reasoning\n    min: 0.5\n');
    expect(msg).toContain('gates.yml:1:7: mode: must be regression or non-inferiority');
    expect(msg).toContain('gates.yml:4:12: gates[0].group: must look like key=value');
  });
});

describe('loadGatesConfig', () => {
  it('uses .github/medvlm-bench.yml when the input is empty and the file exists', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gates-'));
    mkdirSync(join(dir, '.github'));
    writeFileSync(join(dir, '.github', 'medvlm-bench.yml'), 'gates:\n  - benchmark: pathvqa\n    min: 0.7\n');
    const g = loadGatesConfig('', { cwd: dir, fs });
    expect(g.source).toBe('.github/medvlm-bench.yml');
    expect(g.config).toEqual({ gates: [{ benchmark: 'pathvqa', metric: 'accuracy', min: 0.7 }], alpha: 0.05, mode: 'regression' });
    expect(g.gateLocations).toEqual(['.github/medvlm-bench.yml:2:16']);
  });

  it('falls back to the built-in default without a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gates-'));
    const g = loadGatesConfig('  ', { cwd: dir, fs });
    expect(g.source).toBe('default');
    // docs/action.md: "every benchmark, accuracy, max-drop: 0.02, alpha: 0.05"
    expect(g.config).toEqual({ gates: [{ benchmark: '*', metric: 'accuracy', 'max-drop': 0.02 }], alpha: 0.05, mode: 'regression' });
  });

  it('reads a path relative to the workspace and names it in errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gates-'));
    writeFileSync(join(dir, 'g.yml'), 'gates:\n  - benchmark: slake\n    min: -1\n');
    expect(() => loadGatesConfig('g.yml', { cwd: dir, fs })).toThrow(/g\.yml:3:10: gates\[0\]\.min/);
    expect(() => loadGatesConfig('missing.yml', { cwd: dir, fs })).toThrow(/file not found: missing\.yml/);
  });

  it('treats text with a colon as inline config', () => {
    const g = loadGatesConfig('max-errors: 0.1', { cwd: '/nonexistent', fs });
    expect(g.source).toBe('inline');
    expect(g.config).toEqual({ gates: [], alpha: 0.05, mode: 'regression', 'max-errors': 0.1 });
  });
});

describe('checkGatedBenchmarksRun', () => {
  const loaded = loadGatesConfig('gates:\n  - benchmark: "*"\n    min: 0.1\n  - benchmark: slake\n    min: 0.5\n  - benchmark: pathvqa\n    max-drop: 0.02\n', { cwd: '/nonexistent', fs });

  it('names the line of every gate whose benchmark is outside an explicit list', () => {
    expect(() => checkGatedBenchmarksRun(loaded, ['vqa-rad'])).toThrow(
      'invalid gates config:\n' +
      'gates input:4:16: gates[1].benchmark: slake is gated but will not run (benchmarks: vqa-rad); add it to `benchmarks` or remove the gate\n' +
      'gates input:6:16: gates[2].benchmark: pathvqa is gated but will not run (benchmarks: vqa-rad); add it to `benchmarks` or remove the gate');
  });

  it('parses the three gates with their default metric and the line of each benchmark value', () => {
    expect(loaded.config.gates).toEqual([
      { benchmark: '*', metric: 'accuracy', min: 0.1 },
      { benchmark: 'slake', metric: 'accuracy', min: 0.5 },
      { benchmark: 'pathvqa', metric: 'accuracy', 'max-drop': 0.02 },
    ]);
    expect(loaded.gateLocations).toEqual(['gates input:2:16', 'gates input:4:16', 'gates input:6:16']);
  });

  it('accepts covered gates, "*", and "all"/merged runs (null); one uncovered gate is enough to refuse', () => {
    expect(checkGatedBenchmarksRun(loaded, ['pathvqa', 'slake'])).toBeUndefined();
    expect(checkGatedBenchmarksRun(loaded, ['slake', 'vqa-rad', 'pathvqa'])).toBeUndefined();
    expect(checkGatedBenchmarksRun(loaded, null)).toBeUndefined();
    expect(() => checkGatedBenchmarksRun(loaded, ['slake'])).toThrow(/^invalid gates config:\ngates input:6:16: gates\[2\]\.benchmark: pathvqa is gated but will not run \(benchmarks: slake\)/);
  });
});
