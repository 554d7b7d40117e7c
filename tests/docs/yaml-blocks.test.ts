/**
 * Every YAML block in README.md and docs/ is parsed and checked: workflows against GitHub's workflow schema
 * (@action-validator/core, the SchemaStore schemas compiled to wasm), step lists inside a minimal workflow, gates
 * files with the action's own gates parser; every `with:` of our action names a real input of action.yml. A block
 * GitHub would reject (e.g. an unquoted `{` inside a flow mapping) fails here first.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { validateAction, validateWorkflow } from '@action-validator/core';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { parseGatesConfig } from '../../action/src/github-action/gates/config.js';
import { REPO_ROOT } from '../helpers/shared-data.js';

interface Block { file: string; line: number; text: string }

function yamlBlocks(): Block[] {
  const files = ['README.md', ...readdirSync(path.join(REPO_ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
  const blocks: Block[] = [];
  for (const file of files) {
    const text = readFileSync(path.join(REPO_ROOT, file), 'utf8');
    for (const m of text.matchAll(/^```ya?ml\n([\s\S]*?)^```/gm)) {
      blocks.push({ file, line: text.slice(0, m.index).split('\n').length, text: m[1]! });
    }
  }
  return blocks;
}

interface ValidatorError { code: string; path?: string; title: string; detail?: string }
const schemaErrors = (r: { errors: ValidatorError[] }) => r.errors.map((e) => `${e.path || '/'}: ${e.title}${e.detail ? ` (${e.detail})` : ''}`);

const ACTION_YML = readFileSync(path.join(REPO_ROOT, 'action.yml'), 'utf8');
const ACTION_INPUTS = new Set(Object.keys((parseDocument(ACTION_YML).toJS() as { inputs: Record<string, unknown> }).inputs));

/** `uses: …/medvlm-bench@…` steps anywhere in a parsed workflow or step list. */
function ourSteps(node: unknown): Array<{ with?: Record<string, unknown> }> {
  if (Array.isArray(node)) return node.flatMap(ourSteps);
  if (!node || typeof node !== 'object') return [];
  const o = node as Record<string, unknown>;
  const own = typeof o.uses === 'string' && /\/medvlm-bench@/.test(o.uses) ? [o as { with?: Record<string, unknown> }] : [];
  return [...own, ...Object.values(o).flatMap(ourSteps)];
}

const blocks = yamlBlocks();

describe('YAML blocks in the docs', () => {
  it('finds the workflow, step-list and gates examples', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(8);
  });

  it.each(blocks.map((b) => [`${b.file}:${b.line}`, b] as const))('%s parses and validates', (_where, b) => {
    const doc = parseDocument(b.text, { prettyErrors: true, strict: true, uniqueKeys: true });
    expect(doc.errors.map(String), 'YAML syntax').toEqual([]);
    expect(doc.warnings.map(String), 'YAML warnings').toEqual([]);
    const value = doc.toJS() as unknown;
    if (Array.isArray(value)) {
      // a step list: it must be valid inside a job
      const wrapped = `on: push\njobs:\n  example:\n    runs-on: ubuntu-latest\n    steps:\n${b.text.replace(/^/gm, '      ')}`;
      expect(schemaErrors(validateWorkflow(wrapped)), 'steps in a workflow').toEqual([]);
    } else if (value && typeof value === 'object' && 'jobs' in value) {
      expect(value, 'a complete workflow names its triggers').toHaveProperty('on');
      expect(schemaErrors(validateWorkflow(b.text)), 'workflow schema').toEqual([]);
    } else if (value && typeof value === 'object' && 'gates' in value) {
      expect(() => parseGatesConfig(b.text, `${b.file}:${b.line}`)).not.toThrow();
      expect(parseGatesConfig(b.text, `${b.file}:${b.line}`).gates.length).toBeGreaterThan(0);
    } else {
      throw new Error(`${b.file}:${b.line}: a YAML block that is neither a workflow, a step list nor a gates file`);
    }
    for (const step of ourSteps(value)) {
      const unknown = Object.keys(step.with ?? {}).filter((k) => !ACTION_INPUTS.has(k));
      expect(unknown, 'inputs not in action.yml').toEqual([]);
    }
  });

  it('a block with an unquoted { inside a flow mapping is rejected (the check can fail)', () => {
    const bad = 'on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/upload-artifact@v4\n        with: { name: shard-${{ matrix.shard }}, path: x }\n';
    expect(parseDocument(bad).errors.length + validateWorkflow(bad).errors.length).toBeGreaterThan(0);
  });
});

describe('action.yml', () => {
  it('is a valid action definition', () => {
    // @action-validator/core 0.6.0 bundles a schema from before GitHub added the node24 runtime (see PLATFORMS.md:
    // JavaScript actions run on node24), so the runtime is checked here and the rest against the schema
    expect(ACTION_YML).toMatch(/^\s+using:\s*['"]?node24['"]?\s*$/m);
    const asNode20 = ACTION_YML.replace(/^(\s+using:\s*)['"]?node24['"]?\s*$/m, '$1node20');
    expect(schemaErrors(validateAction(asNode20))).toEqual([]);
  });
});
