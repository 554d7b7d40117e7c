/**
 * `medvlm-bench upload RESULTS.json --aggregator-url URL [--token-env VAR] [--repository owner/name] [--commit SHA]
 * [--ref REF]`: send a results.json written by `run` or `merge` to the aggregator worker with an API token (the path
 * for uploaders outside GitHub Actions). The file is checked against the RunResult schema first; identity flags
 * replace what `run` recorded (e.g. a clone of a local path has no GitHub owner/name).
 */
import path from 'node:path';
import { Identity, RunResult } from '../../../schemas/results.js';
import { AggregatorError, uploadRun } from '../github-action/aggregator.js';
import { UserError } from '../core/errors.js';
import type { CliDeps } from './deps.js';
import { parseFlags, stringFlag, USAGE_EXIT, type FlagValues } from './flags.js';
import { readResult, resultsFile } from './results-file.js';

const HELP = `usage: medvlm-bench upload RESULTS.json --aggregator-url URL [--token-env VAR] [--repository owner/name]
                             [--commit SHA] [--ref REF]

  Uploads a results.json (or a run's --out folder holding one) to the aggregator worker.
  --aggregator-url URL   the worker, e.g. http://127.0.0.1:8787
  --token-env VAR        environment variable holding the API token (default MEDVLM_TOKEN; create one with
                         \`npm run token -- create --repo owner/name\`)
  --repository O/N       record the run under this repository (the token must be scoped to it)
  --commit SHA           40-hex commit the run evaluated
  --ref REF              branch or tag, e.g. refs/heads/main`;

const FLAGS = {
  'aggregator-url': { type: 'string' }, 'token-env': { type: 'string' }, repository: { type: 'string' },
  commit: { type: 'string' }, ref: { type: 'string' }, help: { type: 'boolean', short: 'h' },
} as const;

/** What each refusal means for someone uploading by hand; the worker's own message follows. */
const STATUS_HINTS: Record<number, string> = {
  400: 'the aggregator refused the results',
  401: 'the aggregator did not accept the token (unknown, revoked or missing)',
  403: 'the token may not upload for this repository (pass --repository, or create a token scoped to it)',
  409: 'the upload conflicts with a run already stored',
  413: 'the results file is larger than the aggregator accepts',
  422: 'the aggregator could not process the results',
};

export async function run(argv: string[], deps: CliDeps): Promise<number> {
  const flags = parseFlags('upload', argv, FLAGS, true);
  if (flags.help) {
    deps.out(HELP);
    return 0;
  }
  if (flags._.length !== 1) throw new UserError(`expected exactly one results.json (or run folder)\n${HELP}`, USAGE_EXIT);
  const baseUrl = stringFlag(flags, 'aggregator-url');
  if (!baseUrl || !/^https?:\/\/[^/]/.test(baseUrl)) throw new UserError('--aggregator-url URL is required (an http(s) URL of the worker)', USAGE_EXIT);
  const tokenEnv = stringFlag(flags, 'token-env') ?? 'MEDVLM_TOKEN';
  const token = deps.env[tokenEnv];
  if (!token) throw new UserError(`--token-env ${tokenEnv}: that environment variable is not set (create a token with \`npm run token -- create --repo owner/name\`)`, USAGE_EXIT);
  const file = resultsFile(path.resolve(deps.cwd, flags._[0]!));
  const result = withIdentity(readResult(file), flags);
  if (result.status === 'failed') {
    throw new UserError(`${file}: the run failed (${result.failure?.reason ?? 'stopped early'}); a failed run is not uploaded: fix the cause and run again`);
  }
  try {
    const up = await uploadRun({ baseUrl, fetch: deps.fetch }, result, token);
    deps.out(`${up.created ? 'uploaded' : 'already stored:'} run ${up.id}`);
    deps.out(up.url ?? `${baseUrl.replace(/\/+$/, '')}/api/v1/runs/${up.id}`);
    return 0;
  } catch (e) {
    if (!(e instanceof AggregatorError)) throw e;
    if (e.status === null) throw new UserError(e.message, 3);
    const detail = e.message.replace(/^.*? → \d+ /, '');
    throw new UserError(`${STATUS_HINTS[e.status] ?? 'upload failed'} (HTTP ${e.status}): ${detail}`);
  }
}

/** Identity flags win over the recorded identity; each is checked with the schema's own rule. */
function withIdentity(result: RunResult, flags: FlagValues): RunResult {
  const identity = { ...result.identity };
  for (const key of ['repository', 'commit', 'ref'] as const) {
    const v = stringFlag(flags, key);
    if (v === undefined) continue;
    const check = Identity.shape[key].safeParse(v);
    if (!check.success) throw new UserError(`--${key} '${v}' ${check.error.issues[0]?.message ?? 'is not valid'}`, USAGE_EXIT);
    identity[key] = v;
  }
  return { ...result, identity };
}
