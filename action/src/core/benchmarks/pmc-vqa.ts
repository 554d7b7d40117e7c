/**
 * PMC-VQA (Zhang et al., 2023, "PMC-VQA: Visual Instruction Tuning for Medical Visual Question Answering").
 * Multiple choice (A–D) over PubMed Central figures; license CC BY-SA 4.0.
 *
 * Sources:
 * - HF `xmcmic/PMC-VQA`, revision ff2098cad195b86eed2b3e2f9f42eeae1dbc410a: `test_clean.csv` (2,000 questions
 *   over 1,440 figures, manually verified; columns Figure_path, Question, Answer, Choice A…D, Answer_label) +
 *   `images.zip` (18.9 GB, members `images/<Figure_path>`, read lazily in place).
 * - Local: `test_clean.csv` + `images/` or `figures/` folder or `images.zip`.
 * Split: test_clean, 2,000 items (the set EvalScope and the HuatuoGPT-Vision eval use; MedEvalKit's test_2.csv
 * is a different, larger v2 set and is not comparable).
 * Protocol notes: choice strings carry a "A:" prefix which is stripped; gold = Answer_label.
 * Changelog: v1 initial.
 */
import path from 'node:path';
import { readCsvRecords } from '../data/csv.js';
import { fieldError, str, type RawRecord, type RecordAt } from '../data/records.js';
import { ImageStore } from './common.js';
import { defineBenchmark } from './define.js';
import type { Sample } from './types.js';
import { CHAIN_SCORER } from '../scoring/scorer.js';

const HINT = 'test_clean.csv + images.zip from the HF dataset xmcmic/PMC-VQA';
const LETTERS = ['A', 'B', 'C', 'D'];

/** "B:Magnetic resonance imaging " → "Magnetic resonance imaging" (only a prefix naming this very letter). */
export function stripChoicePrefix(letter: string, text: string): string {
  return text.trim().replace(new RegExp(`^${letter}\\s*[:.)]\\s*`), '').trim();
}

function toSample(record: RawRecord, at: RecordAt, index: number, images: ImageStore): Sample {
  const options: Record<string, string> = {};
  for (const l of LETTERS) {
    const v = record[`Choice ${l}`];
    if (typeof v === 'string' && v.trim()) options[l] = stripChoicePrefix(l, v);
  }
  if (Object.keys(options).length < 2) throw fieldError(at, 'Choice A', 'choice columns Choice A…D are missing or empty');
  const label = str(record, 'Answer_label', at).trim();
  const figure = str(record, 'Figure_path', at).trim();
  return {
    id: `test_clean-${index}`,
    question: str(record, 'Question', at).trim(),
    options,
    answer: label,
    images: [images.image(figure)],
    answerType: 'closed',
    metadata: { figure },
  };
}

async function* pmcVqa(dir: string): AsyncGenerator<Sample> {
  const images = await ImageStore.open(dir, ['images', 'figures'], ['images.zip'], ['images/', 'figures/'], HINT);
  let index = 0;
  for await (const { record, at } of readCsvRecords(path.join(dir, 'test_clean.csv'))) yield toSample(record, at, index++, images);
}

export default defineBenchmark({
  id: 'pmc-vqa',
  description: 'Multiple choice (A–D) over PubMed Central figures. test_clean: 2,000 questions over 1,440 figures.',
  license: 'CC-BY-SA-4.0',
  split: 'test_clean',
  protocols: ['paper', 'closed', 'full'],
  groupBy: ['questionType'],
  scorer: CHAIN_SCORER,
  folderNames: ['pmc-vqa', 'pmc_vqa', 'pmcvqa', 'PMC-VQA', 'xmcmic--PMC-VQA'],
  hf: { repo: 'xmcmic/PMC-VQA', revision: 'ff2098cad195b86eed2b3e2f9f42eeae1dbc410a', files: ['test_clean.csv', 'images.zip'] },
  downloadHint: `${HINT} (downloaded automatically when --data-dir is not given; images.zip is 18.9 GB)`,
  layouts: [{ name: 'HF snapshot / release', requires: ['test_clean.csv'], load: pmcVqa }],
});
