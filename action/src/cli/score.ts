/**
 * `medvlm-bench score <benchmark> --predictions FILE [--data-dir DIR] [--manifest FILE] [--protocol paper|closed|full]
 *  [--language L] [--question-types FILE] [--json]`: scores model responses that already exist (a JSONL of
 * {id, response}, see scoring/read-predictions.ts) with exactly the prompts' protocol, extraction and metrics a
 * `run` uses, without calling any model.
 *
 * JSON: {benchmark, protocol, fingerprint, n, correct, unparsed, accuracy, ci95: [lo, hi], groups, metrics, missing,
 * missingExamples, unknownOverrideIds}. n, correct, unparsed, accuracy and ci95 are the multiple-choice figures
 * (closed items; under --protocol full the open items are NOT in them): n counts the multiple-choice items that
 * have a prediction. `metrics` is the full list with its own n each — accuracy, and under full open_exact_match,
 * open_token_recall, open_token_f1. groups is {key: {value: {n, correct, accuracy, ci95, metrics}}} with the same
 * split. Scored items without a prediction are "missing": counted in `missing`, listed on stderr, and the exit code
 * is 3 unless --allow-missing (a partial file must not pass for a full score). Unknown ids (not in the benchmark)
 * are reported on stderr; predictions for items the protocol excludes are ignored and counted (`ignoredExcluded`).
 * A group with no multiple-choice prediction prints "—" (no figure), not 0/0 = 0.00%.
 */
import path from 'node:path';
import { unpackBits } from '../../../schemas/bitset.js';
import type { BenchmarkId, BenchmarkResult, Metric } from '../../../schemas/results.js';
import { wilson } from '../../../schemas/stats.js';
import { getBenchmark } from '../core/benchmarks/index.js';
import { UserError } from '../core/errors.js';
import { readPredictions, type Prediction } from '../core/scoring/read-predictions.js';
import { buildBenchmarkResult, type ItemOutcome } from '../core/scoring/summary.js';
import { prepareBenchmark, readQuestionTypeOverrides, type PreparedBenchmark } from '../core/suite.js';
import type { CliDeps } from './deps.js';
import { enumFlag, parseFlags, stringFlag } from './flags.js';
import { PROTOCOLS } from './inspect.js';

const USAGE = `usage: medvlm-bench score <benchmark> --predictions FILE [--data-dir DIR] [--manifest FILE]
                            [--protocol paper|closed|full] [--language L] [--question-types FILE] [--allow-missing] [--json]
  --predictions FILE     JSONL, one {"id": …, "response": "…"} per line (optional: reasoning, truncated, error)
  --data-dir DIR         local data folder (default: $MEDVLM_DATA_DIR; else the Hugging Face cache/Hub)
  --manifest FILE        JSONL manifest for the 'custom' benchmark
  --protocol P           paper (default), closed or full
  --language L           language variant (slake: en | zh | all; default en)
  --question-types FILE  JSON {id: "reasoning"|"understanding"}; overrides dataset labels and the classifier
  --allow-missing        exit 0 even when some scored items have no prediction (default: exit 3)
  --json                 print one JSON object`;

const OPTIONS = {
  predictions: { type: 'string' }, 'data-dir': { type: 'string' }, manifest: { type: 'string' }, protocol: { type: 'string' },
  language: { type: 'string' }, 'question-types': { type: 'string' }, 'allow-missing': { type: 'boolean' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
} as const;
const EXAMPLES = 5;
/** exit code for a predictions file that leaves scored items out */
export const MISSING_EXIT = 3;

export async function run(argv: string[], deps: CliDeps): Promise<number> {
  const flags = parseFlags('score', argv, OPTIONS, true);
  if (flags.help) {
    deps.out(USAGE);
    return 0;
  }
  const s = (name: string) => stringFlag(flags, name);
  if (flags._.length !== 1) throw new UserError(`expected exactly one benchmark id\n${USAGE}`, 2);
  if (!s('predictions')) throw new UserError(`--predictions FILE is required\n${USAGE}`, 2);
  const protocol = enumFlag(flags, 'protocol', PROTOCOLS, 'paper');
  const def = getBenchmark(flags._[0]!);
  const resolve = (p: string | undefined) => (p ? path.resolve(deps.cwd, p) : undefined);
  const predictionsFile = resolve(s('predictions'))!;
  const { byId, otherBenchmark } = await readPredictions(predictionsFile, def.id);
  const overridesFile = resolve(s('question-types'));
  const pb = await prepareBenchmark(def.id as BenchmarkId, {
    protocol, dataDir: resolve(s('data-dir') ?? deps.env.MEDVLM_DATA_DIR), manifest: resolve(s('manifest')),
    language: s('language'), env: deps.env, hf: { fetch: deps.fetch }, log: () => {},
    questionTypeOverrides: overridesFile ? await readQuestionTypeOverrides(overridesFile) : undefined,
  });
  const { outcomes, missing, unknown, ignoredExcluded } = scoreAll(pb, byId);
  reportMismatches(deps, predictionsFile, { missing, unknown, otherBenchmark, scored: pb.items.length });
  if (outcomes.every((o) => !o.present)) {
    throw new UserError(`${predictionsFile}: no prediction matches a scored item of ${def.id} (${pb.items.length} scored items)`);
  }
  const result = buildBenchmarkResult(pb, outcomes);
  const summary = { ...scoreJson(pb, result, missing), ignoredExcluded };
  deps.out(flags.json ? JSON.stringify(summary, null, 2) : humanReport(result, summary));
  if (missing.length && !flags['allow-missing']) {
    deps.err(`${predictionsFile}: ${missing.length} scored item(s) have no prediction: exit 3 (pass --allow-missing to score a partial file)`);
    return MISSING_EXIT;
  }
  return 0;
}

/** Outcomes in scored-item order, plus the scored ids without a prediction and the predicted ids not in the data. */
export function scoreAll(pb: PreparedBenchmark, byId: Map<string, Prediction>) {
  const missing: string[] = [];
  const outcomes = pb.items.map((item): ItemOutcome => {
    const p = byId.get(item.sample.id);
    if (!p) {
      missing.push(item.sample.id);
      return { present: false, correct: false, unparsed: false, error: false, truncated: false };
    }
    if (p.error !== null) return { present: true, correct: false, unparsed: false, error: true, truncated: p.truncated };
    const s = pb.def.scorer.score(item, { content: p.response, reasoning: p.reasoning, truncated: p.truncated });
    return { present: true, correct: s.correct, unparsed: s.extracted === null, error: false, truncated: p.truncated, graded: s.graded };
  });
  const known = new Set(pb.samples.map((s) => s.id));
  const unknown = [...byId.keys()].filter((id) => !known.has(id));
  const ignoredExcluded = pb.excluded.filter((e) => byId.has(e.sample.id)).length;
  return { outcomes, missing, unknown, ignoredExcluded };
}

function reportMismatches(
  deps: CliDeps, file: string, r: { missing: string[]; unknown: string[]; otherBenchmark: number; scored: number },
): void {
  const first = (ids: string[]) => ids.slice(0, EXAMPLES).map((id) => JSON.stringify(id)).join(', ') + (ids.length > EXAMPLES ? ', …' : '');
  if (r.unknown.length) deps.err(`${file}: ${r.unknown.length} id(s) not in this benchmark, ignored: ${first(r.unknown)}`);
  if (r.missing.length) deps.err(`${file}: ${r.missing.length} of ${r.scored} scored item(s) have no prediction (missing, not in n): ${first(r.missing)}`);
  if (r.otherBenchmark) deps.err(`${file}: ${r.otherBenchmark} line(s) belong to other benchmarks, skipped`);
}

interface Tally { n: number; correct: number; accuracy: number; ci95: [number, number] }

/** Multiple-choice items present (optionally within a group's members): the figures n/correct/accuracy report. */
function tally(mcq: Uint8Array, present: Uint8Array, correct: Uint8Array, members?: Uint8Array): Tally {
  let n = 0;
  let k = 0;
  for (let i = 0; i < present.length; i++) {
    if (!mcq[i] || !present[i] || (members && !members[i])) continue;
    n++;
    k += correct[i]!;
  }
  return { n, correct: k, accuracy: n ? k / n : 0, ci95: wilson(k, n) };
}

export function scoreJson(pb: PreparedBenchmark, result: BenchmarkResult, missing: string[] = []) {
  const n = result.outcomes.n;
  const mcq = Uint8Array.from(pb.items, (it) => (it.kind === 'mcq' ? 1 : 0));
  const present = unpackBits(result.outcomes.present, n);
  const correct = unpackBits(result.outcomes.correct, n);
  const unparsedBits = unpackBits(result.outcomes.unparsed, n);
  const overall = tally(mcq, present, correct);
  const groups: Record<string, Record<string, Tally & { metrics: Metric[] }>> = {};
  for (const g of result.groups) {
    (groups[g.key] ??= {})[g.value] = { ...tally(mcq, present, correct, unpackBits(g.members, n)), metrics: g.metrics };
  }
  let unparsed = 0;
  for (let i = 0; i < n; i++) if (mcq[i] && unparsedBits[i]) unparsed++;
  return {
    benchmark: pb.def.id, protocol: pb.protocol, fingerprint: pb.fingerprint,
    n: overall.n, correct: overall.correct, unparsed, accuracy: overall.accuracy, ci95: overall.ci95, groups,
    metrics: result.metrics, unparsedAll: result.counts.unparsed,
    missing: missing.length, missingExamples: missing.slice(0, EXAMPLES), unknownOverrideIds: pb.unknownOverrideIds,
  };
}

function humanReport(result: BenchmarkResult, s: ReturnType<typeof scoreJson> & { ignoredExcluded: number }): string {
  const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
  const ci = (c: [number, number] | null) => (c ? ` [${pct(c[0])}, ${pct(c[1])}]` : '');
  const lines = [
    `${s.benchmark} (protocol ${s.protocol}, extraction ${result.extraction}) fingerprint ${s.fingerprint}`,
    `multiple choice: correct ${s.correct}/${s.n} = ${pct(s.accuracy)}${ci(s.ci95)} · unparsed ${s.unparsed} · errors ${result.counts.errors} · excluded ${result.counts.excluded} · missing ${s.missing}`,
    ...(s.ignoredExcluded ? [`${s.ignoredExcluded} prediction(s) were for items excluded under the ${s.protocol} protocol and were ignored`] : []),
    ...(s.unknownOverrideIds.length ? [`question-type overrides: ${s.unknownOverrideIds.length} id(s) match no item (e.g. ${s.unknownOverrideIds.slice(0, EXAMPLES).join(', ')})`] : []),
    ...result.metrics.map((m) => `  ${m.name.padEnd(20)} ${pct(m.value)}${ci(m.ci95)} (n ${m.n})`),
    ...(result.chanceAccuracy === null ? [] : [`  ${'chance'.padEnd(20)} ${pct(result.chanceAccuracy)}`]),
    'groups (multiple-choice accuracy):',
    ...Object.entries(s.groups).flatMap(([key, values]) => Object.entries(values)
      .map(([value, t]) => `  ${key}=${value}: ${t.n ? `${t.correct}/${t.n} = ${pct(t.accuracy)}${ci(t.ci95)}` : '— (n 0)'}`)),
  ];
  return lines.join('\n');
}
