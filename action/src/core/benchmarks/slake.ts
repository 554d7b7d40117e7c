/**
 * SLAKE 1.0 (Liu et al., ISBI 2021, "SLAKE: A Semantically-Labeled Knowledge-Enhanced Dataset for Medical VQA").
 * Bilingual (English/Chinese) radiology VQA; license CC BY 4.0.
 *
 * Sources:
 * - HF `BoKelvin/SLAKE`: `test.json` + `imgs.zip` (members `imgs/<img_name>` or `<img_name>`). Revision: `main`
 *   (no commit could be verified offline; pass a pinned revision through LoadOptions.hf when you need one).
 * - Original release / checkout layout: `test.json` + `imgs/` (e.g. imgs/xmlab102/source.jpg).
 * Split: test, 2,094 QA = English 1,061 (CLOSED 416 / OPEN 645) + Chinese 1,033. Language: en (default) | zh | all.
 * Protocol notes: 61 English CLOSED answers are not yes/no ("Lung", "T2"…); paper scores all 416 English closed
 * items ("X or Y?" as options; qid 12130, gold outside its alternatives, gets them plus the gold: scoring/paper-subsets.ts),
 * closed scores the 415 with derivable options; original casing ("Yes") is normalised by scoring.
 * Changelog: v1 initial; v2 Chinese closed items: options from X或者Y哪个, X和Y哪个/谁, X还是Y without a comma (zh 372 → 410 of 420 scored under paper).
 */
import path from 'node:path';
import { readJsonArray, scalarMetadata, str } from '../data/records.js';
import { answerTypeLabel, ImageStore } from './common.js';
import { defineBenchmark } from './define.js';
import type { LoadOptions, Sample } from './types.js';
import { CHAIN_SCORER } from '../scoring/scorer.js';

const HINT = 'SLAKE 1.0 from https://www.med-vqa.com/slake/ or the HF dataset BoKelvin/SLAKE (test.json + imgs.zip)';
const METADATA = ['modality', 'location', 'content_type', 'base_type'];

async function* slakeTest(dir: string, _opts: LoadOptions): AsyncGenerator<Sample> {
  const images = await ImageStore.open(dir, ['imgs'], ['imgs.zip'], ['imgs/', 'Slake1.0/imgs/'], HINT);
  for await (const { record, at } of readJsonArray(path.join(dir, 'test.json'))) {
    const lang = str(record, 'q_lang', at).trim();
    yield {
      id: str(record, 'qid', at),
      question: str(record, 'question', at).trim(),
      answer: str(record, 'answer', at).trim(),
      images: [images.image(str(record, 'img_name', at))],
      answerType: answerTypeLabel(record, 'answer_type', at),
      metadata: { ...scalarMetadata(record, METADATA), language: lang, answerTypeSource: 'label' },
    };
  }
}

export default defineBenchmark({
  id: 'slake',
  description: 'Bilingual radiology VQA. Test split: 2,094 QA; English 1,061 (CLOSED 416 / OPEN 645), Chinese 1,033.',
  license: 'CC-BY-4.0',
  split: 'test',
  protocols: ['paper', 'closed', 'full'],
  languages: ['en', 'zh', 'all'],
  defaultLanguage: 'en',
  groupBy: ['answerType', 'questionType', 'modality', 'content_type'],
  scorer: CHAIN_SCORER,
  folderNames: ['slake', 'Slake1.0', 'slake-1.0', 'SLAKE', 'BoKelvin--SLAKE'],
  hf: { repo: 'BoKelvin/SLAKE', revision: 'main', files: ['test.json', 'imgs.zip'], note: 'revision not pinned (no verified commit)' },
  downloadHint: HINT,
  layouts: [
    { name: 'original release', requires: ['test.json', 'imgs'], load: slakeTest },
    { name: 'HF snapshot', requires: ['test.json', 'imgs.zip'], load: slakeTest },
  ],
});
