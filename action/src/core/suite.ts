/**
 * The one glue function every command uses (inspect, score, run, demo): load a benchmark's samples, fill in
 * question types, apply the protocol (scored items vs exclusions with reasons) and fingerprint the content.
 */
import type { BenchmarkId, Protocol } from '../../../schemas/results.js';
import type { BenchmarkDef } from './benchmarks/define.js';
import { getBenchmark } from './benchmarks/index.js';
import { resolveLanguage } from './benchmarks/define.js';
import { computeFingerprint } from './benchmarks/fingerprint.js';
import type { LoadOptions, QuestionType, Sample } from './benchmarks/types.js';
import { readJsonFile } from './data/records.js';
import { UserError } from './errors.js';
import { classifyWithProbability } from './scoring/classify.js';
import { isExclusion, prepareItem, PROMPT_VERSION, type Exclusion, type PreparedItem } from './scoring/protocol.js';
import type { PreparedForSummary } from './scoring/summary.js';

export interface PreparedBenchmark extends PreparedForSummary {
  def: BenchmarkDef;
  missingImages: { sampleId: string; image: string }[];
  /** ids in the question-type override file that match no item of this benchmark (empty without a file) */
  unknownOverrideIds: string[];
}

export interface PrepareOptions extends LoadOptions {
  protocol: Protocol;
  /** sample id → question type; explicit user intent, so it beats both a label from the data and the classifier */
  questionTypeOverrides?: Record<string, QuestionType>;
}

const QUESTION_TYPES: readonly string[] = ['reasoning', 'understanding'];

/** Reads a `--question-types FILE`: a JSON object {id: "reasoning" | "understanding"}. */
export async function readQuestionTypeOverrides(file: string): Promise<Record<string, QuestionType>> {
  const data = await readJsonFile(file);
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    throw new UserError(`${file}: expected a JSON object mapping item ids to "reasoning" or "understanding"`);
  }
  const out: Record<string, QuestionType> = {};
  for (const [id, v] of Object.entries(data)) {
    const t = typeof v === 'string' ? v.trim().toLowerCase() : v;
    if (typeof t !== 'string' || !QUESTION_TYPES.includes(t)) {
      throw new UserError(`${file}: id ${JSON.stringify(id)}: value must be "reasoning" or "understanding", found ${JSON.stringify(v)}`);
    }
    out[id] = t as QuestionType;
  }
  return out;
}

/** Collects samples, refusing duplicate ids (outcomes are keyed by id and position). */
async function collectSamples(def: BenchmarkDef, opts: LoadOptions): Promise<Sample[]> {
  const samples: Sample[] = [];
  const seen = new Set<string>();
  for await (const s of def.load(opts)) {
    if (seen.has(s.id)) throw new UserError(`${def.id}: duplicate item id ${JSON.stringify(s.id)}; ids must be unique`);
    seen.add(s.id);
    samples.push(s);
  }
  return samples;
}

/**
 * Precedence: the override file (explicit user intent) wins; then a label from the data; then the classifier.
 * Records where each type came from (metadata.questionTypeSource) and returns the override ids matching no item.
 */
function fillQuestionTypes(samples: Sample[], overrides: Record<string, QuestionType> | undefined): string[] {
  for (const s of samples) {
    const override = overrides && Object.hasOwn(overrides, s.id) ? overrides[s.id] : undefined;
    if (override) {
      s.questionType = override;
      s.metadata.questionTypeSource = 'override';
    } else if (s.questionType) {
      s.metadata.questionTypeSource ??= 'label';
    } else {
      const c = classifyWithProbability(s);
      s.questionType = c.type;
      s.metadata.questionTypeSource = 'classifier';
      s.metadata.questionTypeProbability = c.pReasoning;
    }
  }
  if (!overrides) return [];
  const ids = new Set(samples.map((s) => s.id));
  return Object.keys(overrides).filter((id) => !ids.has(id));
}

export async function prepareBenchmark(id: BenchmarkId, opts: PrepareOptions): Promise<PreparedBenchmark> {
  const def = getBenchmark(id);
  if (!def.protocols.includes(opts.protocol)) {
    throw new UserError(`${id}: protocol '${opts.protocol}' is not supported; choose one of ${def.protocols.join(', ')}`);
  }
  const language = resolveLanguage(def, opts.language);
  const samples = await collectSamples(def, opts);
  if (!samples.length) throw new UserError(`${id}: the data source yielded no items`);
  const unknownOverrideIds = fillQuestionTypes(samples, opts.questionTypeOverrides);
  if (unknownOverrideIds.length) opts.log?.(`question-type overrides: ${unknownOverrideIds.length} id(s) not in this benchmark were ignored`);
  const items: PreparedItem[] = [];
  const excluded: Exclusion[] = [];
  /** verdicts[i]: what the protocol made of samples[i] — fingerprinted, then dropped */
  const verdicts = new Array<PreparedItem | Exclusion>(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const r = prepareItem(samples[i]!, opts.protocol, def, items.length);
    if (isExclusion(r)) excluded.push(r);
    else items.push(r);
    verdicts[i] = r;
  }
  const promptVersion = PROMPT_VERSION[opts.protocol];
  const { fingerprint, missingImages } = await computeFingerprint(samples, {
    benchmarkId: def.id, version: def.version, protocol: opts.protocol, promptVersion, extraction: def.scorer.extractionId, prepared: verdicts,
  });
  return { def, protocol: opts.protocol, language, samples, items, excluded, fingerprint, promptVersion, missingImages, unknownOverrideIds };
}
