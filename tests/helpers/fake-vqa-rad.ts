/**
 * A generated VQA-RAD folder in the MEVF-split layout (`testset.json` + `VQA_RAD Image Folder/`), so tests of the
 * runner, the CLI and shard merging run without ../shared/data. Its counts are known by construction: every
 * `openEvery`-th item is OPEN (answer "liver"), the others are CLOSED yes/no (mixed case, as in the real release).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { jpeg } from '../core/data/fixtures.js';

export interface FakeVqaRad {
  /** the data root to pass as --data-dir (holds vqa_rad/) */
  root: string;
  /** the benchmark folder itself */
  dir: string;
  items: number;
  /** CLOSED items with a yes/no answer: what the paper protocol scores */
  yesNo: number;
  open: number;
  /** the qids of the yes/no items, in file order */
  yesNoIds: string[];
  /** the raw answer of each item by qid */
  answers: Map<string, string>;
}

export function writeFakeVqaRad(items = 300, openEvery = 5): FakeVqaRad {
  const root = mkdtempSync(path.join(tmpdir(), 'medvlm-fake-rad-'));
  const dir = path.join(root, 'vqa_rad');
  mkdirSync(path.join(dir, 'VQA_RAD Image Folder'), { recursive: true });
  for (let k = 0; k < 7; k++) writeFileSync(path.join(dir, 'VQA_RAD Image Folder', `synpic${k}.jpg`), jpeg(`fake-rad-${k}`));
  const rows = Array.from({ length: items }, (_, i) => {
    const open = i % openEvery === openEvery - 1;
    return {
      qid: 1000 + i, image_name: `synpic${i % 7}.jpg`, image_organ: i % 2 ? 'CHEST' : 'HEAD', phrase_type: 'test_freeform',
      question_type: open ? 'ORGAN' : 'PRES',
      question: open ? `What organ is enlarged in scan ${i}?` : `Is there a lesion in scan ${i}?`,
      answer: open ? 'liver' : ['yes', 'No', 'no', 'Yes'][i % 4]!, answer_type: open ? 'OPEN' : 'CLOSED',
    };
  });
  writeFileSync(path.join(dir, 'testset.json'), JSON.stringify(rows));
  const closed = rows.filter((r) => r.answer_type === 'CLOSED');
  return {
    root, dir, items, yesNo: closed.length, open: items - closed.length, yesNoIds: closed.map((r) => String(r.qid)),
    answers: new Map(rows.map((r) => [String(r.qid), r.answer])),
  };
}
