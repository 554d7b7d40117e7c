/** Custom manifests (line-numbered errors) and the dataset fingerprint's sensitivity to every item field. */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeFingerprint } from '../../../action/src/core/benchmarks/fingerprint.js';
import { getBenchmark } from '../../../action/src/core/benchmarks/index.js';
import { fileStamp, knownDigest } from '../../../action/src/core/data/image-digests.js';
import type { Sample } from '../../../action/src/core/benchmarks/types.js';
import { TEMPLATES } from '../../../action/src/core/scoring/prompts.js';
import { prepareBenchmark } from '../../../action/src/core/suite.js';
import { jpeg, tempDir, writeTree } from '../data/fixtures.js';

async function loadManifest(file: string): Promise<Sample[]> {
  const out: Sample[] = [];
  for await (const s of getBenchmark('custom').load({ manifest: file, env: {} })) out.push(s);
  return out;
}

const ITEMS = [
  { id: 'c1', question: 'Is there a fracture?', answer: 'yes', images: ['img/1.jpg'], modality: 'X-Ray' },
  { id: 2, question: 'Which lobe?', options: { B: 'Lower', A: 'Upper' }, answer: 'Lower', images: ['img/2.jpg', 'img/1.jpg'], questionType: 'Reasoning' },
  { id: 'c3', question: 'Describe the lesion.', answer: 'round mass', answerType: 'open' },
];

function manifestDir(items: unknown[] = ITEMS, image2 = jpeg('two')): string {
  return writeTree(tempDir('manifest-'), {
    'm.jsonl': items.map((i) => JSON.stringify(i)).join('\n') + '\n',
    'img/1.jpg': jpeg('one'),
    'img/2.jpg': image2,
  });
}

const fp = async (samples: Sample[], protocol: 'paper' | 'full' = 'paper', promptVersion = 1) =>
  (await computeFingerprint(samples, { benchmarkId: 'custom', version: 1, protocol, promptVersion })).fingerprint;

describe('custom manifest', () => {
  it('reads items: option text answer → letter, defaults for answerType, extra fields → metadata, images relative to the manifest', async () => {
    const dir = manifestDir();
    const s = await loadManifest(path.join(dir, 'm.jsonl'));
    expect(s.map((x) => [x.id, x.answer, x.answerType, x.questionType])).toEqual([
      ['c1', 'yes', 'closed', undefined], ['2', 'B', 'closed', 'reasoning'], ['c3', 'round mass', 'open', undefined],
    ]);
    expect(Object.keys(s[1]!.options!)).toEqual(['A', 'B']);
    expect(s[0]!.metadata).toEqual({ modality: 'X-Ray' });
    expect(await s[1]!.images[0]!.read()).toEqual(jpeg('two'));
  });

  it.each([
    [{ question: 'q', answer: 'a' }, /m\.jsonl:2: field 'id' is missing/],
    [{ id: 'x', question: 'q', answer: 'a', options: { A: 'only' } }, /m\.jsonl:2: field 'options' needs at least two options/],
    [{ id: 'x', question: 'q', answer: 'a', options: { a: 'x', b: 'y' } }, /m\.jsonl:2: field 'options\.a' keys must be single capital letters/],
    [{ id: 'x', question: 'q', answer: 'a', answerType: 'short' }, /m\.jsonl:2: field 'answerType' must be one of closed, open/],
    [{ id: 'x', question: 'q', answer: 'a', images: ['/abs.jpg'] }, /m\.jsonl:2: field 'images\[0\]' must be relative/],
    [{ id: 'x', question: '', answer: 'a' }, /m\.jsonl:2: field 'question' is empty/],
  ])('rejects malformed line 2 (%j) naming file, line and field', async (bad, message) => {
    const dir = manifestDir([ITEMS[0], bad]);
    await expect(loadManifest(path.join(dir, 'm.jsonl'))).rejects.toThrow(message);
  });

  it('a missing manifest or none at all is a clear error', async () => {
    await expect(loadManifest(path.join(tempDir(), 'nope.jsonl'))).rejects.toThrow(/custom: manifest .*nope\.jsonl does not exist/);
    const none = getBenchmark('custom').load({ env: {} })[Symbol.asyncIterator]().next();
    await expect(none).rejects.toThrow(/pass --manifest FILE/);
  });
});

describe('fingerprint', () => {
  it('is identical for identical content loaded twice from different folders', async () => {
    const a = await loadManifest(path.join(manifestDir(), 'm.jsonl'));
    const b = await loadManifest(path.join(manifestDir(), 'm.jsonl'));
    expect(await fp(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(await fp(a)).toBe(await fp(b));
  });

  it('changes when any item field, one image byte, the protocol or the prompt version changes', async () => {
    const base = await fp(await loadManifest(path.join(manifestDir(), 'm.jsonl')));
    const variants: unknown[][] = [
      ITEMS.map((x, i) => (i === 0 ? { ...x, id: 'c1b' } : x)),
      ITEMS.map((x, i) => (i === 0 ? { ...x, question: 'Is there a fracture ?' } : x)),
      ITEMS.map((x, i) => (i === 1 ? { ...x, options: { A: 'Upper', B: 'Lower ' + 'x' } } : x)),
      ITEMS.map((x, i) => (i === 2 ? { ...x, answer: 'round  mass' } : x)),
      [ITEMS[1], ITEMS[0], ITEMS[2]],
    ];
    const seen = new Set([base]);
    for (const v of variants) seen.add(await fp(await loadManifest(path.join(manifestDir(v), 'm.jsonl'))));
    const oneByte = jpeg('two');
    oneByte[5] = oneByte[5]! ^ 1;
    const samples = await loadManifest(path.join(manifestDir(ITEMS, oneByte), 'm.jsonl'));
    seen.add(await fp(samples));
    const same = await loadManifest(path.join(manifestDir(), 'm.jsonl'));
    seen.add(await fp(same, 'full'));
    seen.add(await fp(same, 'paper', 2));
    expect(seen.size).toBe(variants.length + 4);
  });

  it('counts missing images and hashes them as missing:<name>, which differs from a present image', async () => {
    const dir = manifestDir();
    const present = await loadManifest(path.join(dir, 'm.jsonl'));
    writeFileSync(path.join(dir, 'img', '2.jpg'), '');
    const r1 = await computeFingerprint(present, { benchmarkId: 'custom', version: 1, protocol: 'paper', promptVersion: 1 });
    const gone = writeTree(tempDir(), { 'm.jsonl': ITEMS.map((i) => JSON.stringify(i)).join('\n'), 'img/1.jpg': jpeg('one') });
    const r2 = await computeFingerprint(await loadManifest(path.join(gone, 'm.jsonl')), { benchmarkId: 'custom', version: 1, protocol: 'paper', promptVersion: 1 });
    expect(r1.missingImages).toEqual([]);
    expect(r2.missingImages).toEqual([{ sampleId: '2', image: 'img/2.jpg' }]);
    expect(r2.fingerprint).not.toBe(r1.fingerprint);
  });
});

describe('image hashes remembered for the runner', () => {
  it('remembers each file\'s SHA-256 under its stamp, and hashes a rewritten file again', async () => {
    const dir = manifestDir();
    const img = path.join(dir, 'img', '1.jpg');
    const before = await fp(await loadManifest(path.join(dir, 'm.jsonl')));
    expect(knownDigest(img, fileStamp(img))).toBe(createHash('sha256').update(readFileSync(img)).digest('hex'));
    writeFileSync(img, Buffer.concat([jpeg('one'), Buffer.from('changed')])); // new size: a new stamp
    expect(knownDigest(img, fileStamp(img))).toBeNull();
    const after = await fp(await loadManifest(path.join(dir, 'm.jsonl')));
    expect(after).not.toBe(before);
    expect(knownDigest(img, fileStamp(img))).toBe(createHash('sha256').update(readFileSync(img)).digest('hex'));
  });
});

describe('fingerprint of the prepared benchmark (what is asked and scored)', () => {
  const prepared = async (items: unknown[] = ITEMS, protocol: 'paper' | 'full' = 'paper') =>
    prepareBenchmark('custom', { protocol, manifest: path.join(manifestDir(items), 'm.jsonl'), env: {} });

  it('identical content in two folders → identical fingerprint', async () => {
    expect((await prepared()).fingerprint).toBe((await prepared()).fingerprint);
  });

  it('flipping answerType changes the scored set and the fingerprint', async () => {
    const base = await prepared();
    const flipped = await prepared(ITEMS.map((x, i) => (i === 0 ? { ...x, answerType: 'open' } : x)));
    expect([base.items.length, flipped.items.length]).toEqual([2, 1]);
    expect(flipped.fingerprint).not.toBe(base.fingerprint);
  });

  it('optionsInQuestion (prompt without the options block) changes the fingerprint', async () => {
    const base = await prepared();
    const inQuestion = await prepared(ITEMS.map((x, i) => (i === 1 ? { ...x, optionsInQuestion: true } : x)));
    expect(inQuestion.items[1]!.prompt).not.toBe(base.items[1]!.prompt);
    expect(inQuestion.fingerprint).not.toBe(base.fingerprint);
  });

  it('editing a prompt template without bumping PROMPT_VERSION still changes the fingerprint', async () => {
    const base = await prepared();
    const original = TEMPLATES.en.mcqInstruction;
    try {
      TEMPLATES.en.mcqInstruction = `${original} Be brief.`;
      const edited = await prepared();
      expect(edited.promptVersion).toBe(base.promptVersion);
      expect(edited.items[0]!.prompt.endsWith('Be brief.')).toBe(true);
      expect(edited.fingerprint).not.toBe(base.fingerprint);
    } finally {
      TEMPLATES.en.mcqInstruction = original;
    }
    expect((await prepared()).fingerprint).toBe(base.fingerprint);
  });

  it('items[i].prompt is the documented template (docs/scoring.md), rebuilt on every read, never stored', async () => {
    const pb = await prepared();
    const documented = 'Is there a fracture?\n\nOptions:\nA. yes\nB. no\n\n'
      + 'Think through the question step by step. Then give your final answer as the letter of the correct option inside \\boxed{}.';
    expect(pb.items[0]!.prompt).toBe(documented);
    expect(Object.keys(pb.items[0]!)).not.toContain('prompt');
    const original = TEMPLATES.en.mcqInstruction;
    try {
      TEMPLATES.en.mcqInstruction = 'Reply with one letter.';
      // the same prepared item: a stored string would still end with the old instruction
      expect(pb.items[0]!.prompt).toBe('Is there a fracture?\n\nOptions:\nA. yes\nB. no\n\nReply with one letter.');
    } finally {
      TEMPLATES.en.mcqInstruction = original;
    }
    expect(pb.items[0]!.prompt).toBe(documented);
  });
});
