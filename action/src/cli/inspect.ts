/**
 * `medvlm-bench inspect <benchmark> [--data-dir DIR] [--manifest FILE] [--protocol paper|closed|full] [--language L]
 *  [--question-types FILE] [--json]`: loads a benchmark exactly as `run` would and reports item counts overall and
 * per group, scored/excluded (with reasons), missing image files (counted, not fatal here), the fingerprint and
 * one sample preview. JSON: {benchmark, version, protocol, fingerprint, items, scored, excluded, groups, …}.
 */
import path from 'node:path';
import type { BenchmarkId, Protocol } from '../../../schemas/results.js';
import { getBenchmark } from '../core/benchmarks/index.js';
import type { GroupKey, Sample } from '../core/benchmarks/types.js';
import { UserError } from '../core/errors.js';
import { questionTypeConfidence } from '../core/scoring/classify.js';
import { enumFlag, parseFlags, stringFlag } from './flags.js';
import { prepareBenchmark, readQuestionTypeOverrides, type PreparedBenchmark } from '../core/suite.js';
import { countImageFormats } from '../runner/images/formats.js';
import type { CliDeps } from './deps.js';

const USAGE = `usage: medvlm-bench inspect <benchmark> [--data-dir DIR] [--manifest FILE] [--protocol paper|closed|full]
                              [--language L] [--question-types FILE] [--json]
  --data-dir DIR         local data folder (default: $MEDVLM_DATA_DIR; else the Hugging Face cache/Hub)
  --manifest FILE        JSONL manifest for the 'custom' benchmark
  --protocol P           paper (default), closed or full
  --language L           language variant (slake: en | zh | all; default en)
  --question-types FILE  JSON {id: "reasoning"|"understanding"}; wins over dataset labels and the classifier
  --json                 print one JSON object`;

const OPTIONS = {
  'data-dir': { type: 'string' }, manifest: { type: 'string' }, protocol: { type: 'string' }, language: { type: 'string' },
  'question-types': { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
} as const;

export const PROTOCOLS: readonly Protocol[] = ['paper', 'closed', 'full'];

function groupValue(s: Sample, key: GroupKey): string | null {
  const v = key === 'answerType' ? s.answerType : key === 'questionType' ? s.questionType : s.metadata[key];
  return v === undefined || v === null || v === '' ? null : String(v);
}

/** {key: {value: count}} over the given samples, for every declared key (+ questionType always). */
export function countGroups(samples: readonly Sample[], keys: readonly GroupKey[]): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const key of new Set([...keys, 'questionType'])) {
    const counts: Record<string, number> = {};
    for (const s of samples) {
      const v = groupValue(s, key);
      if (v !== null) counts[v] = (counts[v] ?? 0) + 1;
    }
    if (Object.keys(counts).length) out[key] = counts;
  }
  return out;
}

function excludedReasons(pb: PreparedBenchmark): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of pb.excluded) out[e.reason] = (out[e.reason] ?? 0) + 1;
  return out;
}

/** The first few excluded ids per reason, so a 'gold-not-in-options' count can be traced to items. */
function excludedExamples(pb: PreparedBenchmark): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const e of pb.excluded) {
    const ids = (out[e.reason] ??= []);
    if (ids.length < 5) ids.push(e.sample.id);
  }
  return out;
}

export function inspectJson(pb: PreparedBenchmark) {
  return {
    benchmark: pb.def.id, version: pb.def.version, protocol: pb.protocol, fingerprint: pb.fingerprint,
    items: pb.samples.length, scored: pb.items.length, excluded: pb.excluded.length,
    groups: countGroups(pb.samples, pb.def.groupBy),
    scoredGroups: countGroups(pb.items.map((i) => i.sample), pb.def.groupBy),
    language: pb.language, promptVersion: pb.promptVersion, excludedReasons: excludedReasons(pb),
    missingImages: pb.missingImages.length, missingImageExamples: pb.missingImages.slice(0, 5),
    excludedExamples: excludedExamples(pb), unknownOverrideIds: pb.unknownOverrideIds,
    questionTypeConfidence: questionTypeConfidence(pb.samples),
  };
}

async function preview(pb: PreparedBenchmark): Promise<string[]> {
  const item = pb.items[0];
  if (!item) return ['preview: no scored item'];
  const s = item.sample;
  const images = await Promise.all(s.images.map(async (im) => {
    if (!(await im.exists())) return `${im.name} (missing)`;
    const bytes = await im.read();
    return `${im.name} (${im.mime}, ${(bytes.length / 1024).toFixed(1)} kB)`;
  }));
  const choices = item.choices ? Object.entries(item.choices).map(([k, v]) => `${k}. ${v}`).join(' | ') : '(open)';
  return [
    `preview (scored item 0, id ${s.id}):`,
    `  question: ${s.question.length > 300 ? `${s.question.slice(0, 300)}…` : s.question}`,
    `  ${item.kind === 'mcq' ? `choices:  ${choices}` : 'kind:     open'}`,
    `  gold:     ${item.gold}`,
    `  type:     ${s.questionType ?? 'unknown'} (${describeQuestionType(s.metadata)})`,
    `  images:   ${images.join(', ') || 'none'}`,
    `  prompt:   ${JSON.stringify(item.prompt.length > 400 ? `${item.prompt.slice(0, 400)}…` : item.prompt)}`,
  ];
}

/** Items without a value for the key belong to no group: say how many, so the counts visibly add up. */
function unlabelled(counts: Record<string, number>, items: number): string {
  const labelled = Object.values(counts).reduce((a, b) => a + b, 0);
  return labelled < items ? ` (${labelled} of ${items} items labelled; ${items - labelled} without a value)` : '';
}

function formatCounts(counts: Record<string, number>): string {
  return Object.entries(counts).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ');
}

async function humanReport(pb: PreparedBenchmark, sources: string[], formats: Record<string, number>): Promise<string> {
  const j = inspectJson(pb);
  const lines = [
    `${pb.def.id} v${pb.def.version} — ${pb.def.title} (protocol ${pb.protocol}${pb.language ? `, language ${pb.language}` : ''}, prompt v${pb.promptVersion})`,
    ...sources.map((s) => `source: ${s}`),
    `items ${j.items} · scored ${j.scored} · excluded ${j.excluded}${j.excluded ? ` (${formatCounts(j.excludedReasons)})` : ''}`,
    j.missingImages
      ? `missing image files: ${j.missingImages} (e.g. ${pb.missingImages.slice(0, 3).map((m) => `${m.sampleId}: ${m.image}`).join('; ')}) — \`run\` refuses to start until they are present`
      : 'missing image files: 0',
    ...(j.excludedExamples['gold-not-in-options'] ? [`gold not in options (e.g.): ${j.excludedExamples['gold-not-in-options'].join(', ')}`] : []),
    ...(j.unknownOverrideIds.length ? [`question-type overrides: ${j.unknownOverrideIds.length} id(s) match no item (e.g. ${j.unknownOverrideIds.slice(0, 5).join(', ')})`] : []),
    `fingerprint: ${pb.fingerprint}`,
    // which images a server may refuse (Ollama: JPEG/PNG/WebP only; llama.cpp: no WebP/TIFF): `run` converts those
    `image formats (distinct images): ${formatCounts(formats) || 'none'}`,
    'groups (all items):',
    ...Object.entries(j.groups).map(([k, v]) => `  ${k}: ${formatCounts(v)}${unlabelled(v, j.items)}`),
    ...(await preview(pb)),
  ];
  return lines.join('\n');
}

export async function run(argv: string[], deps: CliDeps): Promise<number> {
  const flags = parseFlags('inspect', argv, OPTIONS, true);
  if (flags.help) {
    deps.out(USAGE);
    return 0;
  }
  if (flags._.length !== 1) throw new UserError(`expected exactly one benchmark id\n${USAGE}`, 2);
  const def = getBenchmark(flags._[0]!);
  const protocol = enumFlag(flags, 'protocol', PROTOCOLS, 'paper');
  const s = (name: string) => stringFlag(flags, name);
  const resolve = (p: string | undefined) => (p ? path.resolve(deps.cwd, p) : undefined);
  const dataDir = resolve(s('data-dir') ?? deps.env.MEDVLM_DATA_DIR);
  const overridesFile = resolve(s('question-types'));
  const sources: string[] = [];
  const pb = await prepareBenchmark(def.id as BenchmarkId, {
    protocol, dataDir, manifest: resolve(s('manifest')), language: s('language'), env: deps.env,
    hf: { fetch: deps.fetch }, log: (m) => sources.push(m),
    questionTypeOverrides: overridesFile ? await readQuestionTypeOverrides(overridesFile) : undefined,
  });
  const formats = await countImageFormats(pb.samples);
  deps.out(flags.json ? JSON.stringify({ ...inspectJson(pb), imageFormats: formats }, null, 2) : await humanReport(pb, sources, formats));
  return 0;
}

/** "classifier, P(reasoning) 0.83" / "label" / "override": where the question type came from and how sure it is. */
function describeQuestionType(m: Record<string, unknown>): string {
  const p = m.questionTypeProbability;
  return `${String(m.questionTypeSource ?? 'unknown')}${typeof p === 'number' ? `, P(reasoning) ${p.toFixed(3)}` : ''}`;
}
