/** `score` through the CLI entry with captured output: a generated custom manifest, and VQA-RAD from ../shared/data. */
import path from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { wilson } from '../../schemas/stats.js';
import { main } from '../../action/src/cli/main.js';
import type { CliDeps } from '../../action/src/cli/deps.js';
import { prepareBenchmark } from '../../action/src/core/suite.js';
import { sharedData } from '../helpers/shared-data.js';
import { tempDir, writeTree } from '../core/data/fixtures.js';

function deps() {
  const out: string[] = [];
  const err: string[] = [];
  const d: CliDeps = { out: (t) => out.push(t), err: (t) => err.push(t), fetch: globalThis.fetch, now: () => 0, env: {}, cwd: process.cwd(), version: '0', isTTY: false };
  return { d, out, err };
}

const ITEMS = [
  { id: 'm1', question: 'Which organ?', options: { A: 'Lung', B: 'Liver', C: 'Heart' }, answer: 'B', modality: 'CT' },
  { id: 'm2', question: 'Which organ?', options: { A: 'Lung', B: 'Liver', C: 'Heart' }, answer: 'C', modality: 'CT' },
  { id: 'y1', question: 'Is there a mass?', answer: 'yes', modality: 'MRI' },
  { id: 'y2', question: 'Is there a mass?', answer: 'no', modality: 'MRI' },
  { id: 'x1', question: 'Is the lesion hyperdense or hypodense?', answer: 'hypodense', answerType: 'closed', modality: 'CT' },
  { id: 'o1', question: 'What organ is enlarged?', answer: 'left kidney', answerType: 'open', modality: 'CT' },
  { id: 'm3', question: 'Which organ?', options: { A: 'Lung', B: 'Liver' }, answer: 'A', modality: 'CT' },
];

function fixture(predictions: object[] | string) {
  const body = typeof predictions === 'string' ? predictions : predictions.map((p) => JSON.stringify(p)).join('\n');
  const dir = writeTree(tempDir(), { 'm.jsonl': ITEMS.map((l) => JSON.stringify(l)).join('\n'), 'p.jsonl': body });
  return { manifest: path.join(dir, 'm.jsonl'), predictions: path.join(dir, 'p.jsonl') };
}

const PREDICTIONS = [
  { id: 'm1', response: 'The liver is enlarged. \\boxed{B}' },                   // correct
  { id: 'm2', response: '<think>maybe C</think>The answer is A.' },             // wrong
  { id: 'y1', response: 'Yes, a mass is present.', reasoning: 'The answer is no' }, // correct (reasoning not searched)
  { id: 'y2', response: 'I cannot determine this from the image.' },           // unparsed
  { id: 'x1', response: '\\boxed{hypodense}', truncated: false },              // correct
  { id: 'o1', response: '\\boxed{the left kidney}' },                           // open: excluded in paper
  { id: 'zz', response: 'B' },                                                  // unknown id
];                                                                              // m3: missing

async function score(args: string[]) {
  const { d, out, err } = deps();
  const code = await main(['score', 'custom', ...args], d);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('score', () => {
  it('--json: exact shape and counts; unknown and missing ids reported', async () => {
    const f = fixture(PREDICTIONS);
    const r = await score(['--manifest', f.manifest, '--predictions', f.predictions, '--json', '--allow-missing']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(Object.keys(j)).toEqual(['benchmark', 'protocol', 'fingerprint', 'n', 'correct', 'unparsed', 'accuracy', 'ci95', 'groups',
      'metrics', 'unparsedAll', 'missing', 'missingExamples', 'unknownOverrideIds', 'ignoredExcluded']);
    expect(j).toMatchObject({ benchmark: 'custom', protocol: 'paper', n: 5, correct: 3, unparsed: 1, accuracy: 0.6, missing: 1, missingExamples: ['m3'] });
    expect(j.ignoredExcluded).toBe(1); // o1 is open-ended: excluded under the paper protocol
    expect(j.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(j.ci95).toEqual(wilson(3, 5));
    expect(j.groups.modality.CT).toMatchObject({ n: 3, correct: 2, accuracy: 2 / 3, ci95: wilson(2, 3) });
    expect(j.groups.modality.MRI).toMatchObject({ n: 2, correct: 1 });
    expect(r.err).toContain('1 id(s) not in this benchmark, ignored: "zz"');
    expect(r.err).toContain('1 of 6 scored item(s) have no prediction (missing, not in n): "m3"');
  });

  it('full protocol: n/correct/accuracy are multiple-choice only; open metrics listed with their own n', async () => {
    const f = fixture([...PREDICTIONS, { id: 'm3', response: 'B' }, { id: 'o2', response: 'x' }]);
    const r = await score(['--manifest', f.manifest, '--predictions', f.predictions, '--protocol', 'full', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    // m1 m2 y1 y2 x1 m3 are multiple choice (3 correct); o1 is the one open item (exact match)
    expect(j).toMatchObject({ protocol: 'full', n: 6, correct: 3, unparsed: 1, accuracy: 0.5, missing: 0 });
    expect(j.ci95).toEqual(wilson(3, 6));
    const byName = Object.fromEntries(j.metrics.map((m: { name: string }) => [m.name, m]));
    expect(Object.keys(byName)).toEqual(['accuracy', 'open_exact_match', 'open_token_recall', 'open_token_f1']);
    expect(byName.accuracy).toMatchObject({ n: 6, value: 0.5 });
    expect(byName.open_exact_match).toMatchObject({ n: 1, value: 1 });
    expect(byName.open_token_recall).toMatchObject({ n: 1, value: 1 });
    expect(byName.open_token_f1).toMatchObject({ n: 1, value: 1, ci95: null });
    expect(j.groups.modality.CT).toMatchObject({ n: 4, correct: 2 });
    expect(j.groups.modality.CT.metrics.map((m: { name: string; n: number }) => [m.name, m.n]))
      .toEqual([['accuracy', 4], ['open_exact_match', 1], ['open_token_recall', 1], ['open_token_f1', 1]]);
  });

  it('missing predictions: exit 3 with the count in JSON and on stderr, unless --allow-missing', async () => {
    const f = fixture(PREDICTIONS);
    const r = await score(['--manifest', f.manifest, '--predictions', f.predictions, '--json']);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.out)).toMatchObject({ missing: 1, missingExamples: ['m3'] });
    expect(r.err).toContain('pass --allow-missing');
    expect((await score(['--manifest', f.manifest, '--predictions', f.predictions, '--allow-missing'])).code).toBe(0);
    const complete = fixture([...PREDICTIONS, { id: 'm3', response: 'A' }]);
    expect((await score(['--manifest', complete.manifest, '--predictions', complete.predictions])).code).toBe(0);
  });

  it('question-type overrides beat dataset labels; ids matching no item are reported', async () => {
    const f = fixture(PREDICTIONS);
    const labelled = path.join(path.dirname(f.manifest), 'labelled.jsonl');
    writeFileSync(labelled, ITEMS.map((l, i) => JSON.stringify(i === 0 ? { ...l, questionType: 'understanding' } : l)).join('\n'));
    const overrides = path.join(path.dirname(f.manifest), 'qt.json');
    const all = Object.fromEntries(ITEMS.map((l) => [l.id, 'reasoning']));
    writeFileSync(overrides, JSON.stringify({ ...all, ghost1: 'understanding', ghost2: 'reasoning' }));
    const r = await score(['--manifest', labelled, '--predictions', f.predictions, '--question-types', overrides, '--json', '--allow-missing']);
    const j = JSON.parse(r.out);
    expect(j.unknownOverrideIds).toEqual(['ghost1', 'ghost2']);
    // every item is reasoning, including m1 whose data label says understanding
    expect(Object.keys(j.groups.questionType)).toEqual(['reasoning']);
    expect(j.groups.questionType.reasoning).toMatchObject({ n: 5, correct: 3 });
    const pb = await prepareBenchmark('custom', { protocol: 'paper', manifest: labelled, questionTypeOverrides: { m1: 'reasoning' } });
    expect(pb.samples[0]).toMatchObject({ questionType: 'reasoning', metadata: { questionTypeSource: 'override' } });
    const human = await score(['--manifest', labelled, '--predictions', f.predictions, '--question-types', overrides, '--allow-missing']);
    expect(human.out).toContain('question-type overrides: 2 id(s) match no item (e.g. ghost1, ghost2)');
  });

  it('an errored prediction counts as wrong, and a later retry of it replaces it', async () => {
    const errored = [{ id: 'm1', response: null, error: 'HTTP 500' }, { id: 'm2', response: 'C' }];
    const f1 = fixture(errored);
    expect(JSON.parse((await score(['--manifest', f1.manifest, '--predictions', f1.predictions, '--json'])).out)).toMatchObject({ n: 2, correct: 1 });
    const f2 = fixture([...errored, { id: 'm1', response: 'B' }]);
    expect(JSON.parse((await score(['--manifest', f2.manifest, '--predictions', f2.predictions, '--json'])).out)).toMatchObject({ n: 2, correct: 2 });
  });

  it('malformed lines and duplicate ids fail with file:line', async () => {
    const f = fixture(['{"id": "m1", "response": "B"}', '{not json', '', '{"id": "m1", "response": "C"}', '{"id": "m2"}'].join('\n'));
    const r = await score(['--manifest', f.manifest, '--predictions', f.predictions]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('3 problem(s)');
    expect(r.err).toContain(`${f.predictions}:2: not valid JSON`);
    expect(r.err).toContain(`${f.predictions}:4: duplicate id "m1" (first on line 1)`);
    expect(r.err).toContain(`${f.predictions}:5: field "response" must be a string`);
  });

  it('usage errors exit 2; an unreadable file and no matching id exit 1', async () => {
    const f = fixture(PREDICTIONS);
    expect((await score(['--manifest', f.manifest])).code).toBe(2);
    expect((await score(['--manifest', f.manifest, '--predictions', f.predictions, '--protocol', 'nope'])).code).toBe(2);
    const missing = await score(['--manifest', f.manifest, '--predictions', path.join(tempDir(), 'none.jsonl')]);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('cannot read (ENOENT)');
    const g = fixture([{ id: 'zz', response: 'A' }]);
    const none = await score(['--manifest', g.manifest, '--predictions', g.predictions]);
    expect(none.code).toBe(1);
    expect(none.err).toContain('no prediction matches a scored item');
  });

  it('human output: excluded-item predictions are counted; a group without predictions shows — not 0.00%', async () => {
    const f = fixture([{ id: 'm1', response: '\\boxed{B}' }, { id: 'o1', response: 'kidney' }]);
    const r = await score(['--manifest', f.manifest, '--predictions', f.predictions, '--allow-missing']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('1 prediction(s) were for items excluded under the paper protocol and were ignored');
    expect(r.out).toContain('modality=MRI: — (n 0)');
    expect(r.out).not.toMatch(/0\/0 = /);
    expect(r.out).toContain('modality=CT: 1/1 = 100.00%');
    const full = await score(['--manifest', f.manifest, '--predictions', f.predictions, '--allow-missing', '--protocol', 'full', '--json']);
    expect(JSON.parse(full.out).ignoredExcluded).toBe(0); // o1 is scored under full
  });

  it('human output lists metrics and groups', async () => {
    const f = fixture(PREDICTIONS);
    const r = await score(['--manifest', f.manifest, '--predictions', f.predictions, '--protocol', 'full']);
    expect(r.out).toContain('multiple choice: correct 3/5 = 60.00%');
    expect(r.out).toContain('missing 1');
    expect(r.out).toMatch(/open_token_f1\s+100\.00% \(n 1\)/);
    expect(r.out).toContain('modality=MRI: 1/2 = 50.00%');
  });
});

const rad = sharedData('vqa_rad');
describe.skipIf(!rad.available)('score on real VQA-RAD (../shared/data)', () => {
  it('gold answers for even items, a refusal for odd ones: exact counts from the raw release', async () => {
    // the paper protocol's items, read from the raw release with JSON.parse: test QA that are CLOSED with a yes/no answer
    type Raw = { qid: number; phrase_type: string; answer: string | number; answer_type: string };
    const raw = (JSON.parse(readFileSync(path.join(rad.dir, 'VQA_RAD Dataset Public.json'), 'utf8')) as Raw[])
      .filter((r) => r.phrase_type.startsWith('test') && r.answer_type.trim() === 'CLOSED' && /^(yes|no)$/i.test(String(r.answer).trim()));
    expect(raw).toHaveLength(251);
    const lines = raw.map((r, i) => JSON.stringify({
      id: String(r.qid),
      response: i % 2 === 0 ? `Looking at the image carefully.\n\\boxed{${String(r.answer).trim().toLowerCase()}}` : 'I am unable to interpret this image.',
    }));
    const file = path.join(tempDir(), 'p.jsonl');
    writeFileSync(file, lines.join('\n'));
    const { d, out } = deps();
    expect(await main(['score', 'vqa-rad', '--data-dir', rad.root, '--predictions', file, '--json'], d)).toBe(0);
    const j = JSON.parse(out.join(''));
    expect(j).toMatchObject({ benchmark: 'vqa-rad', n: 251, correct: 126, unparsed: 125, missing: 0 });
    expect(j.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });
});
