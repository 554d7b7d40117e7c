/**
 * CLI entry (`medvlm-bench <command> …`). Each command lives in commands/<name>.ts and exports
 * `run(argv, deps): Promise<number>` (the exit code). Errors that users can fix are thrown as UserError and
 * printed without a stack.
 */
import { UserError } from '../core/errors.js';
import { defaultDeps, type CliDeps } from './deps.js';

const COMMANDS: Record<string, { summary: string; load: () => Promise<{ run(argv: string[], deps: CliDeps): Promise<number> }> }> = {
  list: { summary: 'list benchmarks, their sources and protocols', load: () => import('./list.js') },
  inspect: { summary: 'count items, groups, exclusions and missing images; print the fingerprint', load: () => import('./inspect.js') },
  score: { summary: 'score a JSONL of {id, response} without calling a model', load: () => import('./score.js') },
  run: { summary: 'evaluate an OpenAI-compatible endpoint and write results.json', load: () => import('./run.js') },
  merge: { summary: 'merge shard result folders into one', load: () => import('./merge.js') },
  upload: { summary: 'upload a results.json to the aggregator worker with an API token', load: () => import('./upload.js') },
  'serve-baseline': { summary: 'serve a chance-level OpenAI-compatible baseline model', load: () => import('./serve-baseline.js') },
  'model-index': { summary: 'print the model-index block of a Hugging Face model card for a results.json', load: () => import('./model-index.js') },
  report: { summary: 'write report.html: every item with its response, filters, and changes vs a baseline', load: () => import('./report.js') },
  plan: { summary: 'what each gate can detect (80% power) and how many items a benchmark needs', load: () => import('./plan.js') },
  demo: { summary: 'start a local worker + baseline model, evaluate a main and a PR run, compare and gate', load: () => import('./demo.js') },
};

export async function main(argv: string[], deps: CliDeps = defaultDeps()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    deps.out(usage());
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-V') {
    deps.out(deps.version);
    return 0;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    deps.err(`medvlm-bench: unknown command '${name}'.\n\n${usage()}`);
    return 2;
  }
  try {
    return await (await cmd.load()).run(rest, deps);
  } catch (e) {
    if (e instanceof UserError) {
      deps.err(`medvlm-bench ${name}: ${e.message}`);
      return e.exitCode;
    }
    throw e;
  }
}

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  const lines = Object.entries(COMMANDS).map(([k, v]) => `  ${k.padEnd(width)}  ${v.summary}`);
  return ['usage: medvlm-bench <command> [options]', '', 'commands:', ...lines, '', 'Run `medvlm-bench <command> --help` for its options.'].join('\n');
}
