/**
 * `medvlm-bench model-index`: the printed block is YAML that matches the Hub's documented model-index structure
 * (hub-docs modelcard.md: required task.type, dataset.type, dataset.name, metrics[].type, metrics[].value; optional
 * names, split, revision, args, verified; source {name, url} as huggingface_hub's EvalResult writes it), checked by a
 * schema written from that document, and carries the run's numbers.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { main } from '../../action/src/cli/main.js';
import type { CliDeps } from '../../action/src/cli/deps.js';
import { firstK, makeRun } from '../github-action/make-run.js';

const Scalar = z.union([z.string(), z.number(), z.boolean()]);
const Args = z.record(z.string(), z.union([Scalar, z.array(Scalar)]));
const HubModelIndex = z.object({
  'model-index': z.array(z.object({
    name: z.string().min(1),
    results: z.array(z.object({
      task: z.object({ type: z.string().min(1), name: z.string().optional() }).strict(),
      dataset: z.object({
        type: z.string().min(1), name: z.string().min(1), config: z.string().optional(), split: z.string().optional(),
        revision: z.string().optional(), args: Args.optional(),
      }).strict(),
      metrics: z.array(z.object({
        type: z.string().min(1), value: z.union([z.number(), z.string()]), name: z.string().optional(),
        config: z.string().optional(), args: Args.optional(), verified: z.boolean().optional(),
      }).strict()).min(1),
      source: z.object({ name: z.string(), url: z.string().url().optional() }).strict().optional(),
    }).strict()).min(1),
  }).strict()).length(1),
}).strict();

const dir = mkdtempSync(path.join(tmpdir(), 'medvlm-model-index-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const deps: CliDeps = {
    out: (t) => { out += `${t}\n`; }, err: (t) => { err += `${t}\n`; }, fetch, now: () => 0, env: {}, cwd: dir, version: '0.1.0', isTTY: false,
  };
  const code = await main(argv, deps);
  return { code, out, err };
}

describe('medvlm-bench model-index', () => {
  const run = makeRun([
    { id: 'vqa-rad', correct: firstK(251, 160), unparsed: 3 },
    { id: 'slake', correct: firstK(416, 333) },
  ], { model: 'my-vlm' });
  writeFileSync(path.join(dir, 'results.json'), JSON.stringify(run));

  it('prints a block the documented structure accepts, with the run numbers', async () => {
    const r = await cli(['model-index', 'results.json', '--name', 'acme/my-vlm', '--run-url', 'https://w.example/acme/vision/runs/7']);
    expect(r.code, r.err).toBe(0);
    const block = HubModelIndex.parse(parse(r.out));
    const [entry] = block['model-index'];
    expect(entry!.name).toBe('acme/my-vlm');
    const [vqa, slake] = entry!.results;
    expect(vqa!.dataset).toMatchObject({ type: 'flaviagiammarino/vqa-rad', name: 'VQA-RAD', split: 'test', revision: '74b6acbd67e60def0427836dfef45ed63ef83590' });
    // 160/251 = 63.745…% → 63.75; 333/416 = 80.048…% → 80.05
    expect(vqa!.metrics[0]).toMatchObject({ type: 'accuracy', value: 63.75, verified: false, name: 'Accuracy (%, paper protocol, n=251, 3 unparsed)' });
    expect(slake!.metrics[0]!.value).toBe(80.05);
    expect(vqa!.dataset.args).toMatchObject({ fingerprint: 'a'.repeat(64) });
    expect(vqa!.source).toEqual({ name: 'medvlm-bench 0.1.0', url: 'https://w.example/acme/vision/runs/7' });
    expect(vqa!.task.type).toBe('visual-question-answering');
  });

  it('--json prints the same block; the default name is the model', async () => {
    const r = await cli(['model-index', dir, '--json']);
    const block = HubModelIndex.parse(JSON.parse(r.out));
    expect(block['model-index'][0]!.name).toBe('my-vlm');
  });

  it('a file that is not a results file is refused with the field named', async () => {
    writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ ...run, benchmarks: [] }));
    const r = await cli(['model-index', 'bad.json']);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/bad\.json is not a valid results file:\n\s+benchmarks: /);
  });

  it('the schema rejects a block missing a required field (the check can fail)', () => {
    expect(HubModelIndex.safeParse({ 'model-index': [{ name: 'x', results: [{ task: {}, dataset: { type: 'd', name: 'D' }, metrics: [{ type: 'accuracy', value: 1 }] }] }] }).success).toBe(false);
  });
});
