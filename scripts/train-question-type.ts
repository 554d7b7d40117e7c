/**
 * Trains the understanding-vs-reasoning classifier on MedXpertQA-MM's labels plus weak labels from the VQA-RAD and
 * SLAKE train splits (question-type-train.ts) and writes action/src/core/scoring/question-type-model.json. Usage:
 *   npm run train:question-type              # train, print CV accuracy, write the weights file
 *   npm run train:question-type -- --check   # train, compare with the committed file, exit 1 when different
 * Data under <repo>/../shared/data (override with MEDVLM_SHARED_DATA=DIR): medxpertqa/medxpertqa_mm_input.jsonl
 * (required), vqa_rad/trainset.json and slake/train.json (all three needed to reproduce the committed weights).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../action/src/core/atomic-write.js';
import { trainQuestionTypeWeights } from '../action/src/core/scoring/question-type-train.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sharedData = process.env.MEDVLM_SHARED_DATA ?? path.resolve(repoRoot, '..', 'shared', 'data');
const input = path.join(sharedData, 'medxpertqa', 'medxpertqa_mm_input.jsonl');
const vqaRad = path.join(sharedData, 'vqa_rad', 'trainset.json');
const slake = path.join(sharedData, 'slake', 'train.json');
const output = path.join(repoRoot, 'action', 'src', 'core', 'scoring', 'question-type-model.json');

if (!existsSync(input)) {
  console.error(`train-question-type: ${input} not found. It is MedXpertQA's eval input (TsinghuaC3I/MedXpertQA, `
    + 'eval/data/medxpertqa/input/medxpertqa_mm_input.jsonl); set MEDVLM_SHARED_DATA to the folder holding medxpertqa/.');
  process.exit(1);
}

const started = Date.now();
const optional = (file: string) => {
  if (existsSync(file)) return readFileSync(file, 'utf8');
  console.warn(`train-question-type: ${file} not found; training without it (the weights will differ from the committed ones)`);
  return null;
};
const model = trainQuestionTypeWeights(
  { medxpertqa: readFileSync(input, 'utf8'), vqaRadTrain: optional(vqaRad), slakeTrain: optional(slake) },
  'medxpertqa/medxpertqa_mm_input.jsonl + vqa_rad/trainset.json + slake/train.json',
);
const t = model.training;
const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
for (const [name, c] of Object.entries(t.sources)) console.log(`${name}: ${c.n} questions (reasoning ${c.reasoning}, understanding ${c.understanding})`);
console.log(`${t.folds}-fold CV accuracy on MedXpertQA: ${pct(t.cvAccuracy)} (folds: ${t.cvAccuracyPerFold.map(pct).join(', ')})`);
console.log(`majority-class baseline: ${pct(t.majorityBaseline)}`);
console.log(`features kept: ${Object.keys(model.weights).length}; ${((Date.now() - started) / 1000).toFixed(1)} s`);

const text = `${JSON.stringify(model, null, 1)}\n`;
if (process.argv.includes('--check')) {
  const same = existsSync(output) && readFileSync(output, 'utf8') === text;
  console.log(same ? 'committed weights reproduced exactly' : 'committed weights DIFFER from a fresh training run');
  process.exit(same ? 0 : 1);
}
writeFileAtomic(output, text);
console.log(`wrote ${path.relative(repoRoot, output)} (${(text.length / 1024).toFixed(0)} KB)`);
