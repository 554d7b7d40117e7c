/**
 * `medvlm-bench report DIR [--baseline RESULTS.json [--baseline-predictions FILE] | --baseline-run ID --aggregator-url
 * URL] [-o FILE]`: (re)builds DIR/report.html, the item-level report of a run folder (results.json, predictions.jsonl,
 * run-config.json), optionally with a "changes" view against a baseline run. See docs/report.md.
 */
import path from 'node:path';
import { UserError } from '../core/errors.js';
import { AggregatorError, fetchRun } from '../github-action/aggregator.js';
import { localBaseline, rebuildItemReport, type ReportBaseline } from '../runner/report/index.js';
import type { CliDeps } from './deps.js';
import { parseFlags, stringFlag } from './flags.js';

const HELP = `usage: medvlm-bench report DIR [--baseline RESULTS.json [--baseline-predictions FILE]]
                             [--baseline-run ID --aggregator-url URL [--token-env VAR]] [-o FILE]

  Writes DIR/report.html: every evaluated item of the run in DIR with its images, question, options, gold answer,
  extracted answer and how it was read, the response and its flags; filters by outcome and group, search by id.
  One self-contained file: it loads nothing from the network. It holds questions and responses: keep it private.
  The benchmark data is read again from the locations in DIR/run-config.json (as the run read it).

  --baseline FILE             a baseline results.json: adds a "changes" view (correct → wrong, wrong → correct)
  --baseline-predictions F    the baseline's predictions.jsonl, to show its responses too (default: the one
                              beside --baseline, when present)
  --baseline-run ID           a run stored on the aggregator instead (its outcome bits; responses never leave a runner)
  --aggregator-url URL        the aggregator holding --baseline-run
  --token-env VAR             environment variable with an API token for a private aggregator (default MEDVLM_TOKEN,
                              used when set)
  -o, --out FILE              where to write (default DIR/report.html)`;

const OPTIONS = {
  baseline: { type: 'string' }, 'baseline-predictions': { type: 'string' }, 'baseline-run': { type: 'string' },
  'aggregator-url': { type: 'string' }, 'token-env': { type: 'string' }, out: { type: 'string', short: 'o' }, help: { type: 'boolean', short: 'h' },
} as const;

export async function run(argv: string[], deps: CliDeps): Promise<number> {
  const flags = parseFlags('report', argv, OPTIONS, true);
  if (flags.help) {
    deps.out(HELP);
    return 0;
  }
  if (flags._.length !== 1) throw new UserError(`expected one run folder (holding results.json)\n${HELP}`, 2);
  const resolve = (p: string) => path.resolve(deps.cwd, p);
  const dir = resolve(flags._[0]!);
  const baseline = await readBaseline(flags, deps, resolve);
  const out = stringFlag(flags, 'out');
  const r = await rebuildItemReport({ dir, baseline, outFile: out ? resolve(out) : undefined, env: deps.env, log: (m) => deps.err(m), now: deps.now });
  deps.out(`wrote ${r.file} (${r.items} items, ${(r.bytes / 1e6).toFixed(1)} MB)${baseline ? ` with changes vs ${baseline.label}` : ''}`);
  return 0;
}

async function readBaseline(flags: ReturnType<typeof parseFlags>, deps: CliDeps, resolve: (p: string) => string): Promise<ReportBaseline | null> {
  const file = stringFlag(flags, 'baseline');
  const runId = stringFlag(flags, 'baseline-run');
  const preds = stringFlag(flags, 'baseline-predictions');
  if (file && runId) throw new UserError('give --baseline FILE or --baseline-run ID, not both', 2);
  if (file) return localBaseline(resolve(file), preds ? resolve(preds) : null);
  if (!runId) {
    if (preds) throw new UserError('--baseline-predictions needs --baseline or --baseline-run', 2);
    return null;
  }
  const url = stringFlag(flags, 'aggregator-url');
  if (!url) throw new UserError('--baseline-run needs --aggregator-url URL', 2);
  const token = deps.env[stringFlag(flags, 'token-env') ?? 'MEDVLM_TOKEN'];
  try {
    const result = await fetchRun({ baseUrl: url.replace(/\/+$/, ''), fetch: deps.fetch, readAuth: token ? `Bearer ${token}` : null, retryDelaysMs: [500] }, runId);
    return { result, label: `run ${runId} on ${url}`, predictionsFile: preds ? resolve(preds) : null };
  } catch (e) {
    if (e instanceof AggregatorError) throw new UserError(`--baseline-run ${runId}: ${e.message}`);
    throw e;
  }
}
