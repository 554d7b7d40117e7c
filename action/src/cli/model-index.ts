/**
 * `medvlm-bench model-index RESULTS.json [--name NAME] [--run-url URL] [--json]`: the `model-index` block of a
 * Hugging Face model card for a run, following the Hub's documented metadata (hub-docs modelcard.md: per result a
 * task {type, name}, a dataset {type, name, split, revision, args} and metrics [{type, value, name, args,
 * verified}], plus source {name, url} as huggingface_hub's EvalResult writes it). Values are percentages with two
 * decimals, as leaderboards print them; n, the protocol, the unparsed count and the fingerprint go into args and
 * the metric name, so a reader can tell two cards' numbers apart.
 */
import path from 'node:path';
import { stringify } from 'yaml';
import type { BenchmarkResult, RunResult } from '../../../schemas/results.js';
import { getBenchmark } from '../core/benchmarks/index.js';
import type { CliDeps } from './deps.js';
import { parseFlags, stringFlag, usageError } from './flags.js';
import { readResult, resultsFile } from './results-file.js';

const USAGE = `usage: medvlm-bench model-index RESULTS.json [--name NAME] [--run-url URL] [--json]

Prints the model-index block for a Hugging Face model card (paste it into the YAML header of the model's README.md).
  --name NAME     model id shown on the card (default: the run's checkpoint label, else its model name)
  --run-url URL   link the results to the run page on your medvlm-bench worker (source.url)
  --json          the same block as JSON`;

/** Hub metric ids (hf.co/metrics) for our metric names. */
const METRIC_TYPES: Record<string, { type: string; title: string }> = {
  accuracy: { type: 'accuracy', title: 'Accuracy' },
  open_exact_match: { type: 'exact_match', title: 'Open-ended exact match' },
  open_token_recall: { type: 'recall', title: 'Open-ended token recall' },
  open_token_f1: { type: 'f1', title: 'Open-ended token F1' },
  open_judge_accuracy: { type: 'accuracy', title: 'Open-ended LLM-judge accuracy' },
};

export async function run(argv: string[], deps: CliDeps): Promise<number> {
  const flags = parseFlags('model-index', argv, {
    name: { type: 'string' }, 'run-url': { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
  }, true);
  if (flags.help) {
    deps.out(USAGE);
    return 0;
  }
  if (flags._.length !== 1) throw usageError('model-index', 'give one results.json (or the folder holding it)');
  const result = readResult(resultsFile(path.resolve(deps.cwd, flags._[0]!)));
  const block = modelIndex(result, { name: stringFlag(flags, 'name'), runUrl: stringFlag(flags, 'run-url') });
  deps.out(flags.json === true ? JSON.stringify(block, null, 2) : stringify(block, { lineWidth: 0 }));
  return 0;
}

function modelIndex(r: RunResult, opts: { name?: string; runUrl?: string }) {
  const source = { name: `medvlm-bench ${r.tool.version}`, ...(opts.runUrl ? { url: opts.runUrl } : {}) };
  const results = r.benchmarks.map((b) => ({
    task: { type: 'visual-question-answering', name: 'Visual Question Answering' },
    dataset: datasetOf(b),
    metrics: b.metrics.filter((m) => m.n > 0 && METRIC_TYPES[m.name]).map((m) => ({
      type: METRIC_TYPES[m.name]!.type,
      value: Math.round(m.value * 10_000) / 100,
      name: `${METRIC_TYPES[m.name]!.title} (%, ${b.protocol} protocol, n=${m.n}${m.name === 'accuracy' ? `, ${b.counts.unparsed} unparsed` : ''})`,
      args: { n: m.n, ...(m.ci95 ? { ci95: m.ci95.map((v) => Math.round(v * 10_000) / 100) } : {}) },
      verified: false,
    })),
    source,
  })).filter((x) => x.metrics.length > 0);
  return { 'model-index': [{ name: opts.name ?? r.model.checkpoint ?? r.model.name, results }] };
}

/** The Hub dataset a benchmark reads (its pinned repository and revision), or a plain name for a custom manifest. */
function datasetOf(b: BenchmarkResult) {
  const def = getBenchmark(b.id);
  const hf = def.sources.find((s) => s.kind === 'hf');
  const args = { protocol_version: b.promptVersion, benchmark_version: b.version, fingerprint: b.fingerprint, ...(b.language ? { language: b.language } : {}) };
  return {
    type: hf?.kind === 'hf' ? hf.repo : b.id,
    name: def.title,
    ...(def.split ? { split: def.split } : {}),
    ...(hf?.kind === 'hf' && /^[0-9a-f]{40}$/.test(hf.revision) ? { revision: hf.revision } : {}),
    args,
  };
}
