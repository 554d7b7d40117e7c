/**
 * action.yml and the input parser agree: the parser reads exactly the inputs action.yml declares, and every default
 * action.yml gives (which the runner passes when a workflow omits the input) means what the parser's own fallback
 * means for an empty input (which is what local tools and a workflow passing '' give).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readInputs } from '../../action/src/github-action/inputs.js';
import { REPO_ROOT } from '../helpers/shared-data.js';

const action = parse(readFileSync(path.join(REPO_ROOT, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { default?: string; required?: boolean; description: string }>;
};
const declared = Object.keys(action.inputs);
// the two inputs that have no usable empty value: every run names its endpoint and model
const REQUIRED_HERE: Record<string, string> = { endpoint: 'http://127.0.0.1:8000/v1', model: 'm' };

describe('action.yml ↔ readInputs', () => {
  it('declares every input the parser reads, and the parser reads every declared input', () => {
    const read = new Set<string>();
    readInputs((name) => { read.add(name); return REQUIRED_HERE[name] ?? ''; });
    expect([...read].sort()).toEqual([...declared].sort());
  });

  it('each action.yml default equals the parser fallback for an empty input', () => {
    // an expression default (`${{ github.token }}`) is evaluated by the runner, not a constant to compare
    const constant = (d: string | undefined) => (d === undefined || d.includes('${{') ? '' : d);
    const expressions = declared.filter((n) => action.inputs[n]?.default?.includes('${{'));
    expect(expressions).toEqual(['github-token']);
    const withDefaults = readInputs((name) => REQUIRED_HERE[name] ?? constant(action.inputs[name]?.default));
    const withEmpty = readInputs((name) => REQUIRED_HERE[name] ?? '');
    expect(withDefaults).toEqual(withEmpty);
  });

  it('inputs with a default are not marked required, and every input is described', () => {
    for (const [name, spec] of Object.entries(action.inputs)) {
      expect(spec.description?.length ?? 0, name).toBeGreaterThan(10);
      if (spec.default !== undefined) expect(spec.required ?? false, name).toBe(false);
    }
  });

  it('a default that disagrees with the parser is caught (the check can fail)', () => {
    const skewed = { ...action.inputs, concurrency: { description: 'x', default: '8' } };
    const a = readInputs((name) => REQUIRED_HERE[name] ?? skewed[name as keyof typeof skewed]?.default ?? '');
    const b = readInputs((name) => REQUIRED_HERE[name] ?? '');
    expect(a).not.toEqual(b);
  });
});
