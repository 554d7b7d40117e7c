/**
 * VQA-RAD (Lau et al., Sci. Data 2018, "A dataset of clinically generated visual questions and answers about
 * radiology images"). Radiology VQA over MedPix images; license CC0 1.0.
 *
 * Sources:
 * - HF `flaviagiammarino/vqa-rad` (parquet: image, question, answer; test 451 rows; lower-cased; no answer type,
 *   so closed = yes/no answer → 251 closed / 200 open). Revision 74b6acbd67e60def0427836dfef45ed63ef83590 is the
 *   commit BENCHMARKS.md cites; file names resolved from the pattern `data/test-*.parquet`.
 * - Original OSF release (osf.io/89kps): `VQA_RAD Dataset Public.json` (test = phrase_type test_freeform |
 *   test_para) + `VQA_RAD Image Folder/`; or the MEVF split `testset.json` (same 451 QA, ids differ).
 * Split: test, 451 items; answer_type CLOSED 272 / OPEN 179; yes/no-answered 251.
 * Protocol notes: paper = the 251 closed yes/no items as MCQ (the paper's n; scoring/paper-subsets.ts); closed also
 * scores "X or Y?" items (271); full adds open items.
 * Answer case is mixed in the original release ("Yes"/"yes"); scoring normalises.
 * Changelog: v1 initial; v2 paper-protocol options: "left or right side" gives left side / right side (review 2-3).
 */
import { fileImageIn } from '../data/images.js';
import { readJsonArray, scalarMetadata, str } from '../data/records.js';
import { answerTypeByYesNo, answerTypeLabel, parquetSamples } from './common.js';
import { defineBenchmark } from './define.js';
import type { Sample } from './types.js';
import path from 'node:path';
import { CHAIN_SCORER } from '../scoring/scorer.js';

const PUBLIC_JSON = 'VQA_RAD Dataset Public.json';
const IMAGE_FOLDER = 'VQA_RAD Image Folder';
const METADATA = ['image_organ', 'question_type', 'phrase_type'];

/** Original release (public json or MEVF testset.json): one record → one sample, image from the folder. */
async function* originalRelease(dir: string, file: string, testOnly: boolean): AsyncGenerator<Sample> {
  const images = path.join(dir, IMAGE_FOLDER);
  for await (const { record, at } of readJsonArray(path.join(dir, file))) {
    if (testOnly && !String(record.phrase_type ?? '').startsWith('test')) continue;
    const answer = str(record, 'answer', at).trim();
    const imageName = str(record, 'image_name', at);
    yield {
      id: str(record, 'qid', at),
      question: str(record, 'question', at).trim(),
      answer,
      images: [fileImageIn(images, imageName)],
      answerType: answerTypeLabel(record, 'answer_type', at),
      metadata: { ...scalarMetadata(record, METADATA), organ: String(record.image_organ ?? '').trim() || null, answerTypeSource: 'label' },
    };
  }
}

export default defineBenchmark({
  id: 'vqa-rad',
  description: 'Radiology VQA (MedPix). Test split: 451 QA (CLOSED 272 / OPEN 179 by answer_type; 251 yes/no answers).',
  license: 'CC0-1.0',
  split: 'test',
  protocols: ['paper', 'closed', 'full'],
  groupBy: ['answerType', 'questionType', 'organ'],
  scorer: CHAIN_SCORER,
  folderNames: ['vqa-rad', 'vqa_rad', 'vqarad', 'VQA_RAD', 'VQA-RAD', 'flaviagiammarino--vqa-rad'],
  hf: { repo: 'flaviagiammarino/vqa-rad', revision: '74b6acbd67e60def0427836dfef45ed63ef83590', files: ['data/test-*.parquet'] },
  downloadHint: 'original release at https://osf.io/89kps/ (json + image folder), or the HF dataset flaviagiammarino/vqa-rad (downloaded automatically when --data-dir is not given).',
  layouts: [
    { name: 'original release', requires: [PUBLIC_JSON, IMAGE_FOLDER], load: (dir) => originalRelease(dir, PUBLIC_JSON, true) },
    { name: 'MEVF split', requires: ['testset.json', IMAGE_FOLDER], load: (dir) => originalRelease(dir, 'testset.json', false) },
    {
      name: 'HF snapshot',
      requires: ['data/test-*.parquet'],
      load: (dir) => parquetSamples(dir, 'data/test-*.parquet', ['image'], ({ record, at, images, index }) => {
        const answer = str(record, 'answer', at).trim();
        return {
          id: `test-${index}`, question: str(record, 'question', at).trim(), answer, images: images.image ?? [],
          answerType: answerTypeByYesNo(answer), metadata: { answerTypeSource: 'yes-no-rule' },
        };
      }),
    },
  ],
});
