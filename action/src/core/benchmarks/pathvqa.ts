/**
 * PathVQA (He et al., 2020, "PathVQA: 30000+ Questions for Medical Visual Question Answering"). Pathology VQA
 * from textbooks and PEIR; license MIT (image copyrights stay with the publishers and PEIR).
 *
 * Sources:
 * - HF `flaviagiammarino/path-vqa` (parquet: image, question, answer), revision
 *   12d11bc4ecfb8779899e7b8e95105b7812b63469 (cited in BENCHMARKS.md); files `data/test-*.parquet`.
 * - Local: `DERIVED_hf_test_6719.jsonl` (question → image manifest of the HF test split, shared/data) +
 *   `images/test/`; or the third-party HF dump `test.json` whose entries [6259, 12978) are the HF test split
 *   (only that half has correct images, verified against the official grouping; see shared/data/SOURCES.md).
 * Split: HF test, 6,719 QA; yes/no-answered 3,362 (= closed). No answer-type label in HF: closed = yes/no answer.
 * Protocol notes: paper scores the 3,362 yes/no items; full adds open items (EM, token recall/F1).
 * Changelog: v1 initial.
 */
import path from 'node:path';
import { fileImageIn, missingImage } from '../data/images.js';
import { readJsonArray, readJsonLines, str, type RawRecord, type RecordAt } from '../data/records.js';
import { answerTypeByYesNo, parquetSamples } from './common.js';
import { defineBenchmark } from './define.js';
import type { ImageRef } from '../data/images.js';
import type { Sample } from './types.js';
import { CHAIN_SCORER } from '../scoring/scorer.js';

const MANIFEST = 'DERIVED_hf_test_6719.jsonl';
/** Entries of the third-party test.json before this index are the HF validation split (with wrong images). */
const TEST_JSON_TEST_START = 6259;

function toSample(record: RawRecord, at: RecordAt, id: string, image: ImageRef): Sample {
  const answer = str(record, 'answer', at).trim();
  return {
    id, question: str(record, 'question', at).trim(), answer, images: [image],
    answerType: answerTypeByYesNo(answer), metadata: { answerTypeSource: 'yes-no-rule' },
  };
}

async function* fromManifest(dir: string): AsyncGenerator<Sample> {
  for await (const { record, at } of readJsonLines(path.join(dir, MANIFEST))) {
    const image = str(record, 'image', at);
    yield toSample(record, at, `test-${str(record, 'hf_test_row', at)}`, fileImageIn(dir, image));
  }
}

async function* fromTestJson(dir: string): AsyncGenerator<Sample> {
  let i = 0;
  for await (const { record, at } of readJsonArray(path.join(dir, 'test.json'))) {
    const index = i++;
    if (index < TEST_JSON_TEST_START) continue;
    const image = str(record, 'image_path', at).replace(/\\/g, '/');
    yield toSample(record, at, `test-${index - TEST_JSON_TEST_START}`, fileImageIn(dir, image));
  }
}

export default defineBenchmark({
  id: 'pathvqa',
  description: 'Pathology VQA. HF test split: 6,719 QA, 3,362 yes/no (closed) and 3,357 open.',
  license: 'MIT',
  split: 'test',
  protocols: ['paper', 'closed', 'full'],
  groupBy: ['answerType', 'questionType'],
  scorer: CHAIN_SCORER,
  folderNames: ['pathvqa', 'path-vqa', 'path_vqa', 'PathVQA', 'flaviagiammarino--path-vqa'],
  hf: { repo: 'flaviagiammarino/path-vqa', revision: '12d11bc4ecfb8779899e7b8e95105b7812b63469', files: ['data/test-*.parquet'] },
  downloadHint: 'the HF dataset flaviagiammarino/path-vqa (downloaded automatically when --data-dir is not given)',
  layouts: [
    { name: 'HF snapshot', requires: ['data/test-*.parquet'], load: (dir) => parquetSamples(dir, 'data/test-*.parquet', ['image'], ({ record, at, images, index }) => toSample(record, at, `test-${index}`, images.image?.[0] ?? missingImage(`row ${index}`, 'the parquet row has no image'))) },
    { name: 'derived manifest', requires: [MANIFEST, 'images/test'], load: fromManifest },
    { name: 'HF dump (test half)', requires: ['test.json', 'images/test'], load: fromTestJson },
  ],
});
