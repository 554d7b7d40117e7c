/**
 * `medvlm-bench score <benchmark> --predictions FILE [--data-dir DIR] [--manifest FILE] [--protocol paper|full]
 *  [--language L] [--question-types FILE] [--json]`: scores model responses that already exist (a JSONL of
 * {id, response}, see scoring/read-predictions.ts) with exactly the prompts' protocol, extraction and metrics a
 * `run` uses, without calling any model.
 *
 * JSON: {benchmark, protocol, fingerprint, n, correct, unparsed, accuracy, ci95: [lo, hi], groups} where n counts
 * the scored items that have a prediction, `correct` counts multiple-choice letter matches plus (full protocol) open
 * items that are correct (normalised exact match; MMMU official rule for mmmu-med), and groups is
 * {key: {value: {n, correct, accuracy, ci95}}}. Scored items without a prediction are "missing": reported on stderr,
 * not in n. Unknown ids (not in the benchmark) are reported on stderr; predictions for excluded items are ignored.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { unpackBits } from '../../../schemas/bitset.js';
import type { BenchmarkId, BenchmarkResult } from '../../../schemas/results.js';
import { wilson } from '../../../schemas/stats.js';
import { getBenchmark } from '../benchmarks/index.js';
import { UserError } from '../errors.js';
import { readPredictions, type Prediction } from '../scoring/read-predictions.js';
import { scoreResponse } from '../scoring/score.js';
import { buildBenchmarkResult, type ItemOutcome } from '../scoring/summary.js';
import { prepareBenchmark, readQuestionTypeOverrides, type PreparedBenchmark } from '../suite.js';
import type { CliDeps } from './deps.js';

const USAGE = `usage: medvlm-bench score <benchmark> --predictions FILE [--data-dir DIR] [--manifest FILE]
                            [--protocol paper|full] [--language L] [--question-types FILE] [--json]
  --predictions FILE     JSONL, one {"id": …, "response": "…"} per line (optional: reasoning, truncated, error)
  --data-dir DIR         local data folder (default: $MEDVLM_DATA_DIR; else the Hugging Face cache/Hub)
  --manifest FILE        JSONL manifest for the 'custom' benchmark
  --protocol P           paper (default) or full
  --language L           language variant (slake: en | zh | all; default en)
  --question-types FILE  JSON {id: "reasoning"|"understanding"} overriding the classifier
  --json                 print one JSON object`;

const OPTIONS = {
  predictions: { type: 'string' }, 'data-dir': { type: 'string' }, manifest: { type: 'string' }, protocol: { type: 'string' },
  language: { type: 'string' }, 'question-types': { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
} as const;
const EXAMPLES = 5;

export async function run(argv: string[], deps: CliDeps): Promise<number> {
  const { values, positionals } = parseFlags(argv);
  if (values.help) {
    deps.out(USAGE);
    return 0;
  }
  if (positionals.length !== 1) throw new UserError(`expected exactly one benchmark id\n${USAGE}`, 2);
  if (!values.predictions) throw new UserError(`--predictions FILE is required\n${USAGE}`, 2);
  const protocol = values.protocol ?? 'paper';
  if (protocol !== 'paper' && protocol !== 'full') throw new UserError(`--protocol must be paper or full, found '${protocol}'`, 2);
  const def = getBenchmark(positionals[0]!);
  const resolve = (p: string | undefined) => (p ? path.resolve(deps.cwd, p) : undefined);
  const predictionsFile = resolve(values.predictions)!;
  const { byId, otherBenchmark } = await readPredictions(predictionsFile, def.id);
  const overridesFile = resolve(values['question-types']);
  const pb = await prepareBenchmark(def.id as BenchmarkId, {
    protocol, dataDir: resolve(values['data-dir'] ?? deps.env.MEDVLM_DATA_DIR), manifest: resolve(values.manifest),
    language: values.language, env: deps.env, hf: { fetch: deps.fetch }, log: () => {},
    questionTypeOverrides: overridesFile ? await readQuestionTypeOverrides(overridesFile) : undefined,
  });
  const { outcomes, missing, unknown } = scoreAll(pb, byId);
  reportMismatches(deps, predictionsFile, { missing, unknown, otherBenchmark, scored: pb.items.length });
  if (outcomes.every((o) => !o.present)) {
    throw new UserError(`${predictionsFile}: no prediction matches a scored item of ${def.id} (${pb.items.length} scored items)`);
  }
  const result = buildBenchmarkResult(pb, outcomes);
  const summary = scoreJson(pb, result);
  deps.out(values.json ? JSON.stringify(summary, null, 2) : humanReport(result, summary));
  return 0;
}

function parseFlags(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UserError(`${(e as Error).message}\n${USAGE}`, 2);
  }
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
    const s = scoreResponse(item, { content: p.response, reasoning: p.reasoning, truncated: p.truncated }, pb.def.extraction);
    return { present: true, correct: s.correct, unparsed: s.extracted === null, error: false, truncated: p.truncated, graded: s.graded };
  });
  const known = new Set(pb.samples.map((s) => s.id));
  const unknown = [...byId.keys()].filter((id) => !known.has(id));
  return { outcomes, missing, unknown };
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

function tally(present: Uint8Array, correct: Uint8Array, members?: Uint8Array): Tally {
  let n = 0;
  let k = 0;
  for (let i = 0; i < present.length; i++) {
    if (!present[i] || (members && !members[i])) continue;
    n++;
    k += correct[i]!;
  }
  return { n, correct: k, accuracy: n ? k / n : 0, ci95: wilson(k, n) };
}

export function scoreJson(pb: PreparedBenchmark, result: BenchmarkResult) {
  const n = result.outcomes.n;
  const present = unpackBits(result.outcomes.present, n);
  const correct = unpackBits(result.outcomes.correct, n);
  const overall = tally(present, correct);
  const groups: Record<string, Record<string, Tally>> = {};
  for (const g of result.groups) (groups[g.key] ??= {})[g.value] = tally(present, correct, unpackBits(g.members, n));
  return {
    benchmark: pb.def.id, protocol: pb.protocol, fingerprint: pb.fingerprint,
    n: overall.n, correct: overall.correct, unparsed: result.counts.unparsed, accuracy: overall.accuracy, ci95: overall.ci95, groups,
  };
}

function humanReport(result: BenchmarkResult, s: ReturnType<typeof scoreJson>): string {
  const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
  const ci = (c: [number, number] | null) => (c ? ` [${pct(c[0])}, ${pct(c[1])}]` : '');
  const lines = [
    `${s.benchmark} (protocol ${s.protocol}, extraction ${result.extraction}) fingerprint ${s.fingerprint}`,
    `correct ${s.correct}/${s.n} = ${pct(s.accuracy)}${ci(s.ci95)} · unparsed ${s.unparsed} · errors ${result.counts.errors} · excluded ${result.counts.excluded}`,
    ...result.metrics.map((m) => `  ${m.name.padEnd(20)} ${pct(m.value)}${ci(m.ci95)} (n ${m.n})`),
    ...(result.chanceAccuracy === null ? [] : [`  ${'chance'.padEnd(20)} ${pct(result.chanceAccuracy)}`]),
    'groups:',
    ...Object.entries(s.groups).flatMap(([key, values]) => Object.entries(values)
      .map(([value, t]) => `  ${key}=${value}: ${t.correct}/${t.n} = ${pct(t.accuracy)}${ci(t.ci95)}`)),
  ];
  return lines.join('\n');
}
