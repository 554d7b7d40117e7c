/** `medvlm-bench demo`: the README's main command (see action/src/cli/demo/run-demo.ts). */
import path from 'node:path';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { intFlag, parseFlags, stringFlag } from './flags.js';
import { createProgress } from '../runner/progress.js';
import { renderComparison, renderGates, renderReports } from './demo/print.js';
import { runDemo } from './demo/run-demo.js';
import type { CliDeps } from './deps.js';

const HELP = `usage: medvlm-bench demo [options]

Starts a local aggregator Worker (workerd, in-memory D1) and the built-in chance-level baseline model, evaluates a
"main" run and a "PR" run, uploads both, and prints the paired comparison, the gate verdict and the URLs.

  --data-dir DIR     benchmark folders (default: $MEDVLM_DATA_DIR, else ../shared/data beside the checkout,
                     else VQA-RAD is downloaded from the Hugging Face Hub)
  --hub              ignore local folders and download VQA-RAD from the Hugging Face Hub (HF_ENDPOINT, HF_HOME
                     and HF_TOKEN are honoured)
  --benchmarks IDS   comma list (default: vqa-rad, slake, pathvqa — those whose folders are found)
  --limit N          only the first N items per benchmark
  --port P           worker port (default 8787; 0 = any free port)
  --out DIR          results folders (default .medvlm-demo)
  --keep-serving     keep the worker up after the summary until Ctrl+C (default on a terminal)
  --exit             stop right after the summary (default without a terminal, e.g. in CI)`;

const FLAGS = {
  'data-dir': { type: 'string' }, benchmarks: { type: 'string' }, limit: { type: 'string' }, port: { type: 'string' },
  out: { type: 'string' }, hub: { type: 'boolean' }, 'keep-serving': { type: 'boolean' }, exit: { type: 'boolean' }, help: { type: 'boolean' },
} as const;

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export async function run(argv: string[], deps: CliDeps): Promise<number> {
  const flags = parseFlags('demo', argv, FLAGS);
  if (flags.help) {
    deps.out(HELP);
    return 0;
  }
  const shared = path.resolve(REPO_ROOT, '..', 'shared', 'data');
  const local = stringFlag(flags, 'data-dir') ?? deps.env.MEDVLM_DATA_DIR ?? (existsSync(shared) ? shared : null);
  const dataDir = flags.hub === true ? null : local;
  const list = stringFlag(flags, 'benchmarks');
  const { portIsFree, startLocalWorker } = await import('../../../scripts/local-worker.mjs');
  const outcome = await runDemo({
    dataDir: dataDir ? path.resolve(deps.cwd, dataDir) : null,
    workDir: path.resolve(deps.cwd, stringFlag(flags, 'out') ?? '.medvlm-demo'),
    port: intFlag('demo', flags, 'port', 8787, 0, 65535),
    limit: flags.limit === undefined ? null : intFlag('demo', flags, 'limit', 0, 1),
    benchmarks: list ? list.split(',').map((s) => s.trim()).filter(Boolean) : null,
    concurrency: 32,
  }, {
    fetch: deps.fetch, now: deps.now, log: (m) => deps.err(m),
    progress: () => createProgress({ isTTY: deps.isTTY, write: (t: string) => process.stderr.write(t), now: deps.now }),
    startWorker: async ({ port, vars }) => {
      let chosen = port;
      if (port !== 0 && !(await portIsFree(port))) {
        deps.err(`port ${port} is in use (another demo or \`npm run dev\`?); using a free port instead (choose one with --port)`);
        chosen = 0;
      }
      return startLocalWorker({ port: chosen, vars });
    },
  });
  deps.out(`\nPaired comparison from the worker (GET /api/v1/compare), PR vs main:\n${renderComparison(outcome.compare)}`);
  deps.out(`\n${renderGates(outcome.gates)}`);
  deps.out(`\n${renderReports(outcome.reports, outcome.compare, deps.cwd)}`);
  const keep = flags['keep-serving'] === true || (deps.isTTY && flags.exit !== true);
  const heading = keep ? 'Open these while the worker runs:'
    : 'The worker stops when the demo exits; run `npm run demo -- --keep-serving` to browse these:';
  deps.out(['', heading, `  dashboard    ${outcome.urls.dashboard}`, `  compare      ${outcome.urls.compare}`,
    `  badge        ${outcome.urls.badge}`, `  leaderboard  ${outcome.urls.leaderboard}`,
    `  API          ${outcome.workerUrl}/api/v1/runs/${outcome.pr.id}`].join('\n'));
  if (keep) {
    deps.out('\nThe worker keeps serving; press Ctrl+C to stop.');
    await new Promise<void>((resolve) => { process.once('SIGINT', resolve); process.once('SIGTERM', resolve); });
  }
  await outcome.stop();
  return outcome.gates.passed ? 0 : 1;
}
