/** One tiny generated fixture per benchmark, in the exact documented layout, loaded through --data-dir. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BENCHMARKS, getBenchmark } from '../../../action/src/core/benchmarks/index.js';
import { CHAIN_SCORER, MMMU_SCORER } from '../../../action/src/core/scoring/scorer.js';
import type { LoadOptions, Sample } from '../../../action/src/core/benchmarks/types.js';
import { hfParquet, jpeg, png, tempDir, writeTree, zipBytes } from '../data/fixtures.js';

async function load(id: string, opts: Partial<LoadOptions>): Promise<Sample[]> {
  const out: Sample[] = [];
  for await (const s of getBenchmark(id).load({ env: {}, ...opts })) out.push(s);
  return out;
}
const view = (s: Sample) => ({ id: s.id, question: s.question, options: s.options, answer: s.answer, answerType: s.answerType, images: s.images.map((i) => i.name) });

describe('registry', () => {
  it('holds the nine ids in a fixed order, each with sources, groups and protocols', () => {
    expect(BENCHMARKS.map((b) => b.id)).toEqual(['vqa-rad', 'slake', 'pathvqa', 'pmc-vqa', 'omnimedvqa', 'mmmu-med', 'medxpertqa-mm', 'medframeqa', 'custom']);
    for (const b of BENCHMARKS) {
      expect(b.sources.length).toBeGreaterThan(0);
      expect(b.groupBy.length).toBeGreaterThan(0);
      expect(b.protocols).toEqual(['paper', 'closed', 'full']);
    }
    expect(getBenchmark('mmmu-med').scorer).toBe(MMMU_SCORER);
    expect(BENCHMARKS.filter((b) => b.scorer !== CHAIN_SCORER).map((b) => b.id)).toEqual(['mmmu-med']);
    // titles and versions are the catalog's, written out here as the independent record
    expect(Object.fromEntries(BENCHMARKS.map((b) => [b.id, `${b.title} v${b.version}`]))).toEqual({
      'vqa-rad': 'VQA-RAD v2', slake: 'SLAKE v2', pathvqa: 'PathVQA v1', 'pmc-vqa': 'PMC-VQA v1', omnimedvqa: 'OmniMedVQA v2',
      'mmmu-med': 'MMMU Health & Medicine v1', 'medxpertqa-mm': 'MedXpertQA-MM v1', medframeqa: 'MedFrameQA v1', custom: 'Custom manifest v1',
    });
    expect(getBenchmark('slake')).toMatchObject({ languages: ['en', 'zh', 'all'], defaultLanguage: 'en' });
    expect(() => getBenchmark('vqa_rad')).toThrow(/unknown benchmark 'vqa_rad'; valid ids: vqa-rad, slake/);
  });

  it('a data dir without the benchmark names what was looked for, where, and how to get it', async () => {
    const dir = writeTree(tempDir(), { 'VQA_RAD/readme.txt': 'nothing here' });
    const err = await load('vqa-rad', { dataDir: dir }).catch((e: Error) => e.message);
    expect(err).toContain(`no data found in ${dir}`);
    expect(err).toMatch(/Looked for a sub-folder named vqa-rad, vqa_rad/);
    expect(err).toContain('Found ');
    expect(err).toContain('`VQA_RAD Dataset Public.json` + `VQA_RAD Image Folder`');
    expect(err).toMatch(/How to get it: .*osf\.io\/89kps/);
  });

  it('a --data-dir that does not exist: where it looked, the layouts, and how to get the data', async () => {
    const absent = path.join(tempDir(), 'absent');
    const err = await load('vqa-rad', { dataDir: absent }).catch((e: Error) => e.message);
    expect(err).toContain(`vqa-rad: data directory ${absent} does not exist`);
    expect(err).toMatch(/sub-folder named vqa-rad, vqa_rad/);
    expect(err).toContain('`VQA_RAD Dataset Public.json` + `VQA_RAD Image Folder`');
    expect(err).toMatch(/How to get it: .*osf\.io\/89kps/);
    const slake = await load('slake', { dataDir: absent }).catch((e: Error) => e.message);
    expect(slake).toMatch(/How to get it: .*BoKelvin\/SLAKE/i);
  });
});

describe('fixtures per benchmark', () => {
  it('vqa-rad original release: test_* phrase types only, labels trimmed, images from the folder', async () => {
    const rows = [
      { qid: '1', phrase_type: 'freeform', image_name: 'a.jpg', question: 'train q', answer: 'Yes', answer_type: 'CLOSED' },
      { qid: '2', phrase_type: 'test_freeform', image_name: 'a.jpg', question: 'Is it normal?', answer: 'Yes', answer_type: 'CLOSED ', image_organ: 'HEAD' },
      { qid: '3', phrase_type: 'test_para', image_name: 'b.jpg', question: 'What is seen?', answer: 'mass', answer_type: 'OPEN' },
    ];
    const dir = writeTree(tempDir(), { 'vqa_rad/VQA_RAD Dataset Public.json': JSON.stringify(rows), 'vqa_rad/VQA_RAD Image Folder/a.jpg': jpeg('a') });
    const s = await load('vqa-rad', { dataDir: dir });
    expect(s.map(view)).toEqual([
      { id: '2', question: 'Is it normal?', options: undefined, answer: 'Yes', answerType: 'closed', images: ['a.jpg'] },
      { id: '3', question: 'What is seen?', options: undefined, answer: 'mass', answerType: 'open', images: ['b.jpg'] },
    ]);
    expect(s[0]!.metadata.organ).toBe('HEAD');
    expect(await s[1]!.images[0]!.exists()).toBe(false);
    const bad = writeTree(tempDir(), { 'vqa-rad/testset.json': JSON.stringify([{ qid: 1, image_name: 'a.jpg', question: 'q', answer: 'x', answer_type: 'MAYBE' }]), 'vqa-rad/VQA_RAD Image Folder/a.jpg': jpeg('a') });
    await expect(load('vqa-rad', { dataDir: bad })).rejects.toThrow(/testset\.json \(item 0\): field 'answer_type' must be CLOSED or OPEN/);
  });

  it('slake with imgs.zip (HF layout): language filter, zip members with imgs/ prefix', async () => {
    const rec = (qid: number, lang: string, type: string) => ({ img_id: 1, img_name: 'xmlab1/source.jpg', question: `q${qid}`, answer: 'Yes', q_lang: lang, answer_type: type, modality: 'CT', qid });
    const dir = writeTree(tempDir(), { 'SLAKE/test.json': JSON.stringify([rec(1, 'en', 'CLOSED'), rec(2, 'zh', 'OPEN')]), 'SLAKE/imgs.zip': zipBytes({ 'imgs/xmlab1/source.jpg': png('s') }) });
    expect((await load('slake', { dataDir: dir })).map((s) => s.id)).toEqual(['1']);
    const all = await load('slake', { dataDir: dir, language: 'all' });
    expect(all.map((s) => [s.id, s.metadata.language])).toEqual([['1', 'en'], ['2', 'zh']]);
    expect(await all[1]!.images[0]!.read()).toEqual(png('s'));
  });

  it('pathvqa HF parquet snapshot: closed = yes/no answer', async () => {
    const pq = hfParquet([
      { name: 'image', kind: 'image', data: [{ bytes: jpeg('p0'), path: null }, { bytes: jpeg('p1'), path: 'x.jpg' }] },
      { name: 'question', kind: 'string', data: ['is this necrosis?', 'what stain is used?'] },
      { name: 'answer', kind: 'string', data: ['no', 'h&e'] },
    ]);
    const dir = writeTree(tempDir(), { 'path-vqa/data/test-00000-of-00001.parquet': pq });
    const s = await load('pathvqa', { dataDir: dir });
    expect(s.map((x) => [x.id, x.answerType, x.images[0]!.name])).toEqual([['test-0', 'closed', 'image-row0-0'], ['test-1', 'open', 'x.jpg']]);
    expect(await s[0]!.images[0]!.read()).toEqual(jpeg('p0'));
  });

  it('pmc-vqa test_clean.csv + images.zip: "A:" prefixes stripped, gold = Answer_label', async () => {
    const csv = 'Figure_path,Question,Answer,Choice A,Choice B,Choice C,Choice D,Answer_label\n' +
      'PMC1_F1.jpg,"Which modality, exactly?",CT, A:CT , B:MRI, C:PET, D:US,A\n';
    const dir = writeTree(tempDir(), { 'pmc_vqa/test_clean.csv': csv, 'pmc_vqa/images.zip': zipBytes({ 'images/PMC1_F1.jpg': jpeg('f') }) });
    const [s] = await load('pmc-vqa', { dataDir: dir });
    expect(view(s!)).toEqual({ id: 'test_clean-0', question: 'Which modality, exactly?', options: { A: 'CT', B: 'MRI', C: 'PET', D: 'US' }, answer: 'A', answerType: 'closed', images: ['PMC1_F1.jpg'] });
    expect(await s!.images[0]!.read()).toEqual(jpeg('f'));
  });

  it('omnimedvqa: unpacked release (gold text → letter) and the HF zip read in place give the same samples', async () => {
    const qa = [{ question_id: 'q1', question: 'Which organ?', option_A: 'Liver', option_B: 'Lung', gt_answer: 'Lung', image_path: 'Images/X/1.png', question_type: 'Anatomy Identification', modality_type: 'CT', dataset: 'X' }];
    const unpacked = writeTree(tempDir(), { 'OmniMedVQA/QA_information/Open-access/X.json': JSON.stringify(qa), 'OmniMedVQA/Images/X/1.png': png('o') });
    const zipped = writeTree(tempDir(), { 'omnimedvqa/OmniMedVQA.zip': zipBytes({ 'OmniMedVQA/QA_information/Open-access/X.json': JSON.stringify(qa), 'OmniMedVQA/Images/X/1.png': png('o') }) });
    const a = await load('omnimedvqa', { dataDir: unpacked });
    const b = await load('omnimedvqa', { dataDir: zipped });
    expect(view(a[0]!)).toEqual({ id: 'q1', question: 'Which organ?', options: { A: 'Liver', B: 'Lung' }, answer: 'B', answerType: 'closed', images: ['Images/X/1.png'] });
    expect(b.map(view)).toEqual(a.map(view));
    expect(await b[0]!.images[0]!.read()).toEqual(await a[0]!.images[0]!.read());
  });

  it('omnimedvqa Med-R1 splits: modality joined by image path from Splits/modality/test; no match → none; a conflict is an error', async () => {
    const rec = (image: string, q: string) => ({ image, problem: `${q} A)CT, B)MRI`, solution: '<answer> A </answer>' });
    const tree = {
      'omnimedvqa/Splits/question_type/test/Modality Recognition_test.json': JSON.stringify([rec('Images/D/1.png', 'Which?'), rec('Images/D/2.png', 'What?'), rec('Images/E/3.png', 'And?')]),
      'omnimedvqa/Splits/modality/test/CT(Computed Tomography)_test.json': JSON.stringify([rec('Images/D/1.png', 'Other wording')]),
      'omnimedvqa/Splits/modality/test/X-Ray_test.json': JSON.stringify([rec('Images/E/3.png', 'x'), rec('Images/E/9.png', 'y')]),
    };
    const s = await load('omnimedvqa', { dataDir: writeTree(tempDir(), tree) });
    expect(s.map((x) => [x.id, x.metadata.modality])).toEqual([['Modality Recognition/0', 'CT(Computed Tomography)'], ['Modality Recognition/1', null], ['Modality Recognition/2', 'X-Ray']]);
    const conflict = { ...tree, 'omnimedvqa/Splits/modality/test/MR_test.json': JSON.stringify([rec('Images/D/1.png', 'z')]) };
    await expect(load('omnimedvqa', { dataDir: writeTree(tempDir(), conflict) })).rejects.toThrow(/MR_test\.json.*field 'image' Images\/D\/1\.png is also listed under modality 'CT\(Computed Tomography\)'/);
  });

  it('mmmu-med: five subject parquets, Python-literal options, images in image_1..7 order, open items', async () => {
    const files: Record<string, Uint8Array> = {};
    ['Basic_Medical_Science', 'Clinical_Medicine', 'Diagnostics_and_Laboratory_Medicine', 'Pharmacy', 'Public_Health'].forEach((subject, k) => {
      files[`MMMU/${subject}/validation-00000-of-00001.parquet`] = hfParquet([
        { name: 'id', kind: 'string', data: [`validation_${subject}_1`] },
        { name: 'question', kind: 'string', data: [k === 3 ? 'Dose in mg? <image 1>' : 'Which? <image 1> <image 2>'] },
        { name: 'options', kind: 'string', data: [k === 3 ? '[]' : `['it\\'s A', "B \\"quoted\\""]`] },
        { name: 'answer', kind: 'string', data: [k === 3 ? '2' : 'B'] },
        { name: 'question_type', kind: 'string', data: [k === 3 ? 'open' : 'multiple-choice'] },
        { name: 'image_1', kind: 'image', data: [{ bytes: jpeg(`${k}-1`), path: null }] },
        { name: 'image_2', kind: 'image', data: [k === 3 ? null : { bytes: jpeg(`${k}-2`), path: null }] },
      ]);
    });
    const s = await load('mmmu-med', { dataDir: writeTree(tempDir(), files) });
    expect(s).toHaveLength(5);
    expect(s[0]!.options).toEqual({ A: "it's A", B: 'B "quoted"' });
    expect(s[0]!.images).toHaveLength(2);
    expect(await s[0]!.images[1]!.read()).toEqual(jpeg('0-2'));
    expect([s[3]!.answerType, s[3]!.options, s[3]!.images.length, s[3]!.metadata.subject]).toEqual(['open', undefined, 1, 'Pharmacy']);
  });

  it('medxpertqa-mm HF layout (dict options, string label, file-name images) with images.zip', async () => {
    const line = { id: 'MM-7', question: 'Q?\nAnswer Choices: (A) a (B) b', options: { A: 'a', B: 'b' }, label: 'B', images: ['MM-7-a.jpeg'], question_type: 'Understanding', medical_task: 'Diagnosis' };
    const dir = writeTree(tempDir(), { 'MedXpertQA/MM/test.jsonl': JSON.stringify(line) + '\n', 'MedXpertQA/images.zip': zipBytes({ 'images/MM-7-a.jpeg': jpeg('m') }) });
    const [s] = await load('medxpertqa-mm', { dataDir: dir });
    expect([s!.answer, s!.questionType, s!.optionsInQuestion, s!.metadata.medical_task]).toEqual(['B', 'understanding', true, 'Diagnosis']);
    expect(await s!.images[0]!.read()).toEqual(jpeg('m'));
    const bad = writeTree(tempDir(), { 'medxpertqa/medxpertqa_mm_input.jsonl': JSON.stringify({ ...line, label: [] }) + '\n' });
    await expect(load('medxpertqa-mm', { dataDir: bad })).rejects.toThrow(/medxpertqa_mm_input\.jsonl:1: field 'label'/);
  });

  it('medframeqa: MedEvalKit schema (image_1..5, correct_answer) and OctoMed schema (image list, answer text)', async () => {
    const mek = hfParquet([
      { name: 'question', kind: 'string', data: ['Which frame?'] },
      { name: 'options', kind: 'string-list', data: [['A. first', 'B. second', 'C. third']] },
      { name: 'correct_answer', kind: 'string', data: ['C'] },
      { name: 'image_1', kind: 'image', data: [{ bytes: jpeg('1'), path: null }] },
      { name: 'image_2', kind: 'image', data: [{ bytes: jpeg('2'), path: null }] },
      { name: 'image_3', kind: 'image', data: [null] },
    ]);
    const octo = hfParquet([
      { name: 'question_id', kind: 'string', data: ['mf-9'] },
      { name: 'question', kind: 'string', data: ['Which?'] },
      { name: 'options', kind: 'string-list', data: [['alpha', 'beta']] },
      { name: 'answer', kind: 'string', data: ['beta'] },
      { name: 'image', kind: 'image-list', data: [[{ bytes: png('a'), path: 'a.png' }, { bytes: png('b'), path: 'b.png' }]] },
    ]);
    const [a] = await load('medframeqa', { dataDir: writeTree(tempDir(), { 'MedFrameQA/data/test-0.parquet': mek }) });
    expect([a!.options, a!.answer, a!.images.length]).toEqual([{ A: 'first', B: 'second', C: 'third' }, 'C', 2]);
    const [b] = await load('medframeqa', { dataDir: writeTree(tempDir(), { 'medframeqa/test.parquet': octo }) });
    expect([b!.id, b!.answer, b!.images.map((i) => i.name)]).toEqual(['mf-9', 'B', ['a.png', 'b.png']]);
    expect(await b!.images[1]!.read()).toEqual(png('b'));
  });
});
