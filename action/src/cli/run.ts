/** `medvlm-bench run`: evaluate an OpenAI-compatible endpoint and write results.json (see docs/runner.md). */
import type { RunResult } from '../../../schemas/results.js';
import { UserError } from '../core/errors.js';
import { enumFlag, intFlag, numberFlag, parseFlags, stringFlag, type FlagValues } from './flags.js';
import { createProgress } from '../runner/progress.js';
import { RUN_DEFAULTS, runEvaluation, type RunOptions } from '../runner/run.js';
import { headerSafeKey } from '../runner/run-options.js';
import type { CliDeps } from './deps.js';

const HELP = `usage: medvlm-bench run --endpoint URL --model NAME [options]

  --endpoint URL          OpenAI-compatible base URL (e.g. http://127.0.0.1:8000/v1)
  --model NAME            model name sent in requests
  --checkpoint LABEL      human label recorded in results (default: the model name)
  --benchmarks IDS|all    comma list of benchmark ids, or all = every benchmark whose data is found (default all)
  --data-dir DIR          local benchmark folders (else Hugging Face download)
  --manifest FILE         JSONL manifest for the custom benchmark
  --protocol paper|closed|full   default paper
  --language L            slake: en (default), zh or all
  --question-types FILE   {id: "reasoning"|"understanding"} overrides
  --out DIR               predictions.jsonl + results.json + report.html (default medvlm-results); rerun to resume
  --no-report             do not write the item report (report.html); \`medvlm-bench report DIR\` builds it later
  --concurrency N         parallel requests (default ${RUN_DEFAULTS.concurrency})
  --max-tokens N          default ${RUN_DEFAULTS.maxTokens}
  --temperature T         default ${RUN_DEFAULTS.temperature} (greedy)
  --top-p P               sent only when given
  --seed S                default ${RUN_DEFAULTS.seed}
  --shard I/N             evaluate shard I of N (1-based); merge the folders with \`medvlm-bench merge\`
  --limit N               only the first N items per benchmark (smoke runs)
  --api-key-env VAR       environment variable holding the endpoint's API key
  --serve "COMMAND"       start the model server, wait until it is ready, stop it at the end (without --endpoint:
                          the port in the command, else that server's default port)
  --serve-timeout S       seconds to wait for the served model (default ${RUN_DEFAULTS.serveTimeoutMs / 1000})
  --serve-stop "COMMAND"  run this to stop the server first (e.g. docker stop "$(cat cid)"; see docs/runner.md)
  --image-formats LIST    formats the server takes (e.g. png,jpeg,webp, or all); others are converted to PNG
                          (default: by the server found: Ollama png,jpeg,webp; llama.cpp png,jpeg,bmp,gif; …)
  --request-timeout S     per request (default ${RUN_DEFAULTS.requestTimeoutMs / 1000})
  --unreachable-timeout S stop when the endpoint gives no answer for this long (default ${RUN_DEFAULTS.unreachableMs / 1000})
  --judge-endpoint URL --judge-model NAME [--judge-api-key-env VAR]
                          full protocol: LLM judge for open items (reported as open_judge_accuracy)`;

const FLAGS = {
  endpoint: { type: 'string' }, model: { type: 'string' }, checkpoint: { type: 'string' }, benchmarks: { type: 'string' },
  'data-dir': { type: 'string' }, manifest: { type: 'string' }, protocol: { type: 'string' }, language: { type: 'string' },
  'question-types': { type: 'string' }, out: { type: 'string' }, concurrency: { type: 'string' }, 'max-tokens': { type: 'string' },
  temperature: { type: 'string' }, 'top-p': { type: 'string' }, seed: { type: 'string' }, shard: { type: 'string' },
  limit: { type: 'string' }, 'api-key-env': { type: 'string' }, serve: { type: 'string' }, 'serve-timeout': { type: 'string' },
  'serve-stop': { type: 'string' }, 'image-formats': { type: 'string' },
  'request-timeout': { type: 'string' }, 'unreachable-timeout': { type: 'string' }, 'judge-endpoint': { type: 'string' },
  'judge-model': { type: 'string' }, 'judge-api-key-env': { type: 'string' }, 'no-report': { type: 'boolean' },
  help: { type: 'boolean' },
} as const;

export async function run(argv: string[], deps: CliDeps): Promise<number> {
  const flags = parseFlags('run', argv, FLAGS);
  if (flags.help) {
    deps.out(HELP);
    return 0;
  }
  const opts = toRunOptions(flags, deps);
  const ctrl = new AbortController();
  const onSignal = (sig: NodeJS.Signals): void => {
    deps.err(`\nreceived ${sig}: stopping; finished items are kept in predictions.jsonl (rerun with the same --out to resume)`);
    ctrl.abort(new UserError(`interrupted by ${sig}`, 130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const { result, resultsPath, predictionsPath } = await runEvaluation({ ...opts, itemReport: !flags['no-report'] }, {
      fetch: deps.fetch, now: deps.now, version: deps.version, signal: ctrl.signal,
      log: (m) => deps.err(m),
      progress: createProgress({ isTTY: deps.isTTY, write: (t) => (deps.isTTY ? process.stderr.write(t) : deps.err(t.replace(/\n$/, ''))), now: deps.now }),
    });
    deps.out(summarize(result));
    deps.out(`results: ${resultsPath}\npredictions: ${predictionsPath}`);
    return 0;
  } catch (e) {
    if (ctrl.signal.aborted && ctrl.signal.reason instanceof UserError) throw ctrl.signal.reason;
    throw e;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function toRunOptions(flags: FlagValues, deps: CliDeps): RunOptions {
  const s = (name: string) => stringFlag(flags, name);
  const protocol = enumFlag(flags, 'protocol', ['paper', 'closed', 'full'] as const, 'paper');
  if (!s('endpoint') && !s('serve')) throw new UserError('--endpoint URL is required (or --serve "COMMAND" to start a server)', 2);
  if (!s('model')) throw new UserError('--model NAME is required (the model name the endpoint serves)', 2);
  if (Boolean(s('judge-endpoint')) !== Boolean(s('judge-model'))) throw new UserError('--judge-endpoint and --judge-model go together', 2);
  const seconds = (name: string, fallbackMs: number) => numberFlag('run', flags, name, fallbackMs / 1000, 0.001) * 1000;
  return {
    endpoint: s('endpoint'), model: s('model')!, checkpoint: s('checkpoint'), serve: s('serve'),
    serveTimeoutMs: seconds('serve-timeout', RUN_DEFAULTS.serveTimeoutMs), serveStop: s('serve-stop'), imageFormats: s('image-formats'),
    benchmarks: s('benchmarks') ?? 'all', protocol, dataDir: s('data-dir'), manifest: s('manifest'), language: s('language'),
    questionTypesFile: s('question-types'), outDir: s('out') ?? 'medvlm-results',
    concurrency: intFlag('run', flags, 'concurrency', RUN_DEFAULTS.concurrency, 1, 4096),
    maxTokens: intFlag('run', flags, 'max-tokens', RUN_DEFAULTS.maxTokens, 1, 1_000_000),
    temperature: numberFlag('run', flags, 'temperature', RUN_DEFAULTS.temperature, 0, 2),
    topP: s('top-p') === undefined ? null : numberFlag('run', flags, 'top-p', 1, 0, 1),
    seed: intFlag('run', flags, 'seed', RUN_DEFAULTS.seed),
    shard: s('shard') ?? null,
    limit: s('limit') === undefined ? null : intFlag('run', flags, 'limit', 0, 1),
    apiKey: apiKey(s('api-key-env'), deps),
    requestTimeoutMs: seconds('request-timeout', RUN_DEFAULTS.requestTimeoutMs),
    unreachableMs: seconds('unreachable-timeout', RUN_DEFAULTS.unreachableMs),
    judge: s('judge-endpoint') ? { endpoint: s('judge-endpoint')!, model: s('judge-model')!, apiKey: apiKey(s('judge-api-key-env'), deps, '--judge-api-key-env') } : null,
    env: deps.env,
    cwd: deps.cwd,
  };
}

function apiKey(envVar: string | undefined, deps: CliDeps, flag = '--api-key-env'): string | null {
  if (!envVar) return null;
  const key = deps.env[envVar];
  if (!key) throw new UserError(`${flag} ${envVar}: that environment variable is not set`, 2);
  return headerSafeKey(key, `${flag} ${envVar}: the value`);
}

function summarize(r: RunResult): string {
  const rows = r.benchmarks.map((b) => {
    const m = b.metrics.map((x) => `${x.name} ${(100 * x.value).toFixed(1)}%${x.ci95 ? ` [${(100 * x.ci95[0]).toFixed(1)}, ${(100 * x.ci95[1]).toFixed(1)}]` : ''} (n=${x.n})`).join('; ');
    return `  ${b.id}: ${m} · unparsed ${b.counts.unparsed} · errors ${b.counts.errors} · truncated ${b.counts.truncated} · excluded ${b.counts.excluded}`;
  });
  return [`${r.model.name} (${r.protocol} protocol)`, ...rows].join('\n');
}
