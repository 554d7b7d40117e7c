/**
 * OmniMedVQA (Hu et al., CVPR 2024, "OmniMedVQA: A New Large-Scale Comprehensive Evaluation Benchmark for
 * Medical LVLM"). Multiple choice (2–4 options) over 73 source datasets and 12 modalities; no single license:
 * each source dataset's license applies.
 *
 * Sources:
 * - HF `foreverbeliever/OmniMedVQA`: `OmniMedVQA.zip` (10.7 GB, read in place). Revision `main` (no commit
 *   verified offline).
 * - Unpacked release: `QA_information/Open-access/*.json` + `Images/` (records: question_id, question,
 *   option_A…D, gt_answer = option text, image_path, question_type, modality_type, dataset). All open-access
 *   files are read in name order (the MedEvalKit convention; a third party counts 88,996 items, UNVERIFIED).
 * - Med-R1 partial splits (shared/data): `Splits/question_type/test/*.json`, records {image, problem:
 *   "<question> A)…, B)…", solution: "<answer> C </answer>"}; question type from the file name; no images.
 *   This is a random third-party subset (17,919 items), NOT the standard evaluation set. When the sibling
 *   modality splits `Splits/modality/test/<modality>_test.json` are present, an item whose image path appears in
 *   them gets that modality (the file name, as OmniMedVQA spells its modality_type, e.g. "CT(Computed Tomography)");
 *   the two split families are independent random subsets, so only part of the items match (3,984 of 17,919 on
 *   shared/data); the rest stay without modality ("unknown" in groups). We do not infer a modality from the source
 *   dataset: RadImageNet and "OCT & X-Ray 2017" mix modalities.
 * Protocol notes: gold is the option letter (gt_answer text mapped to its letter); a gold matching no option is
 * kept as text and excluded by scoring as gold-not-in-options.
 * Changelog: v1 initial; v2 modality from the Med-R1 modality splits (fingerprint and groups change).
 */
import path from 'node:path';
import { missingImage } from '../data/images.js';
import { globFiles } from '../data/local.js';
import { ZipArchive } from '../data/zip.js';
import { UserError } from '../errors.js';
import { fieldError, readJsonArray, str, type RawRecord, type RecordAt } from '../data/records.js';
import { ImageStore } from './common.js';
import { defineBenchmark } from './define.js';
import type { ImageRef } from '../data/images.js';
import type { Sample } from './types.js';
import { CHAIN_SCORER } from '../scoring/scorer.js';

const HINT = 'OmniMedVQA.zip from the HF dataset foreverbeliever/OmniMedVQA, unpacked (QA_information/ + Images/)';
const LETTERS = ['A', 'B', 'C', 'D', 'E', 'F'];

function goldLetter(options: Record<string, string>, gold: string): string {
  const hit = Object.entries(options).find(([, text]) => text.trim() === gold.trim());
  return hit ? hit[0] : gold.trim();
}

function openAccessSample(record: RawRecord, at: RecordAt, image: (name: string) => ImageRef): Sample {
  const options: Record<string, string> = {};
  for (const l of LETTERS) if (typeof record[`option_${l}`] === 'string') options[l] = String(record[`option_${l}`]).trim();
  return {
    id: str(record, 'question_id', at),
    question: str(record, 'question', at).trim(),
    options,
    answer: goldLetter(options, str(record, 'gt_answer', at)),
    images: [image(str(record, 'image_path', at))],
    answerType: 'closed',
    metadata: { omniQuestionType: str(record, 'question_type', at), modality: str(record, 'modality_type', at), dataset: String(record.dataset ?? '') },
  };
}

async function* openAccess(dir: string): AsyncGenerator<Sample> {
  const images = await ImageStore.open(dir, ['.'], [], [], HINT);
  for (const file of globFiles(dir, 'QA_information/Open-access/*.json')) {
    for await (const { record, at } of readJsonArray(file)) yield openAccessSample(record, at, (n) => images.image(n));
  }
}

/** The HF zip read in place: QA json members parsed one at a time, images inflated only when read. */
async function* openAccessZip(dir: string): AsyncGenerator<Sample> {
  const zip = await ZipArchive.open(path.join(dir, 'OmniMedVQA.zip'));
  const qa = [...zip.names()].filter((n) => /(^|\/)QA_information\/Open-access\/[^/]+\.json$/.test(n)).sort();
  if (!qa.length) throw new UserError(`${zip.file}: no QA_information/Open-access/*.json members`);
  const root = qa[0]!.slice(0, qa[0]!.indexOf('QA_information/'));
  for (const member of qa) {
    const data: unknown = JSON.parse(new TextDecoder().decode(await zip.read(member)));
    if (!Array.isArray(data)) throw new UserError(`${zip.file}!${member}: expected a JSON array`);
    for (let i = 0; i < data.length; i++) {
      yield openAccessSample(data[i] as RawRecord, { file: `${zip.file}!${member}`, at: `item ${i}` }, (n) => zip.image(zip.find([root + n, n]), n));
    }
  }
}

/** Splits "What is shown? A)X-ray, B)MRI, C)CT" into the question and {A: X-ray, …}. */
export function splitProblem(problem: string, at: RecordAt): { question: string; options: Record<string, string> } {
  const starts: Array<{ letter: string; index: number; end: number }> = [];
  let from = 0;
  for (const letter of LETTERS) {
    const re = new RegExp(`(^|[\\s,])${letter}\\)`, 'g');
    re.lastIndex = from;
    const m = re.exec(problem);
    if (!m) break;
    const index = m.index + m[1]!.length;
    starts.push({ letter, index, end: index + 2 });
    from = index + 2;
  }
  if (starts.length < 2) throw fieldError(at, 'problem', 'has no "A)…, B)…" options');
  const options: Record<string, string> = {};
  starts.forEach((s, i) => {
    const next = starts[i + 1]?.index ?? problem.length;
    options[s.letter] = problem.slice(s.end, next).trim().replace(/,$/, '').trim();
  });
  return { question: problem.slice(0, starts[0]!.index).trim(), options };
}

function solutionLetter(record: RawRecord, at: RecordAt): string {
  const m = /<answer>\s*([A-Z])\s*<\/answer>/.exec(str(record, 'solution', at));
  if (!m) throw fieldError(at, 'solution', 'must look like "<answer> C </answer>"');
  return m[1]!;
}

/** image path → modality, from Splits/modality/test/<modality>_test.json (empty when those files are absent). */
async function modalityByImage(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const file of globFiles(dir, 'Splits/modality/test/*.json')) {
    const modality = path.basename(file).replace(/_test\.json$/, '');
    for await (const { record, at } of readJsonArray(file)) {
      const image = str(record, 'image', at);
      const seen = out.get(image);
      if (seen !== undefined && seen !== modality) throw fieldError(at, 'image', `${image} is also listed under modality '${seen}'`);
      out.set(image, modality);
    }
  }
  return out;
}

async function* medR1(dir: string): AsyncGenerator<Sample> {
  const modalities = await modalityByImage(dir);
  for (const file of globFiles(dir, 'Splits/question_type/test/*.json')) {
    const category = path.basename(file).replace(/_test\.json$/, '');
    let i = 0;
    for await (const { record, at } of readJsonArray(file)) {
      const { question, options } = splitProblem(str(record, 'problem', at), at);
      yield {
        id: `${category}/${i++}`, question, options, answer: solutionLetter(record, at),
        images: [missingImage(str(record, 'image', at), `${HINT}; the Med-R1 splits ship no images`)], answerType: 'closed',
        metadata: {
          omniQuestionType: category, dataset: str(record, 'image', at).split('/')[1] ?? null,
          modality: modalities.get(str(record, 'image', at)) ?? null,
        },
      };
    }
  }
}

export default defineBenchmark({
  id: 'omnimedvqa',
  description: 'Large multi-modality MCQ benchmark (73 datasets, 12 modalities). Evaluates the open-access QA files.',
  license: 'per source dataset',
  split: 'open-access',
  protocols: ['paper', 'closed', 'full'],
  groupBy: ['questionType', 'omniQuestionType', 'modality'],
  scorer: CHAIN_SCORER,
  folderNames: ['omnimedvqa', 'OmniMedVQA', 'omni-med-vqa', 'omnimed'],
  hf: { repo: 'foreverbeliever/OmniMedVQA', revision: 'main', files: ['OmniMedVQA.zip'], note: 'one 10.7 GB zip, read in place' },
  downloadHint: HINT,
  layouts: [
    { name: 'unpacked release', requires: ['QA_information/Open-access/*.json'], load: openAccess },
    { name: 'HF snapshot (zip)', requires: ['OmniMedVQA.zip'], load: openAccessZip },
    { name: 'Med-R1 question-type splits', requires: ['Splits/question_type/test/*.json'], load: medR1 },
  ],
});
