/** `medvlm-bench serve-baseline`: a chance-level OpenAI-compatible model server, until SIGINT/SIGTERM. */
import { UserError } from '../core/errors.js';
import { startBaselineServer, type BaselineServerOptions } from '../runner/baseline-server.js';
import { parseFlags, intFlag } from './flags.js';
import type { CliDeps } from './deps.js';

const HELP = `usage: medvlm-bench serve-baseline [--port P] [--host 127.0.0.1] [--policy random|constant:VALUE] [--seed S]
                                   [--faults SPEC] [--retry-after S] [--delay-ms MS] [--pad-bytes N]

  A chance-level OpenAI-compatible server (GET /v1/models, POST /v1/chat/completions).
  --policy random       a seeded random valid option letter per prompt, answered as \\boxed{X} (default);
                        yes/no prompts get yes/no, open prompts a short word. Same request → same answer.
  --policy constant:V   always answers V.
  --faults SPEC         inject faults, e.g. "500:0.05,429:0.05,timeout:0.01,reset:0.01,malformed:0.02,empty:0.01";
                        chosen per (request, attempt) from the seed, so a retry can succeed.
  --retry-after S       Retry-After seconds sent with injected 429s (default 0).
  --delay-ms MS         answer each request after MS milliseconds (simulated generation time).
  --pad-bytes N         put about N bytes of filler reasoning before each answer (long-answer benchmarks).
  Prints its URL on start; stops on SIGINT/SIGTERM.`;

export async function run(argv: string[], deps: CliDeps): Promise<number> {
  const flags = parseFlags('serve-baseline', argv, {
    port: { type: 'string' },
    host: { type: 'string' },
    policy: { type: 'string' },
    seed: { type: 'string' },
    faults: { type: 'string' },
    'retry-after': { type: 'string' },
    'delay-ms': { type: 'string' },
    'pad-bytes': { type: 'string' },
    help: { type: 'boolean' },
  });
  if (flags.help) {
    deps.out(HELP);
    return 0;
  }
  const server = await listen({
    port: intFlag('serve-baseline', flags, 'port', 0, 0, 65535),
    host: (flags.host as string | undefined) ?? '127.0.0.1',
    policy: (flags.policy as string | undefined) ?? 'random',
    seed: intFlag('serve-baseline', flags, 'seed', 0),
    faults: flags.faults as string | undefined,
    retryAfterSeconds: intFlag('serve-baseline', flags, 'retry-after', 0, 0, 3600),
    delayMs: intFlag('serve-baseline', flags, 'delay-ms', 0, 0, 600_000),
    padBytes: intFlag('serve-baseline', flags, 'pad-bytes', 0, 0, 10_000_000),
  });
  deps.out(`medvlm-bench baseline model listening on ${server.url}`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await server.close();
  deps.err(`baseline model stopped after ${server.stats.requests} requests`);
  return 0;
}

/** A busy port is a one-line user error (exit 1), not Node's listen stack trace. */
async function listen(opts: BaselineServerOptions) {
  try {
    return await startBaselineServer(opts);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code !== 'EADDRINUSE' && code !== 'EACCES') throw e;
    const where = `${opts.host}:${opts.port}`;
    throw new UserError(code === 'EADDRINUSE'
      ? `port ${opts.port} is in use (${where}); stop what holds it or pass another --port (0 = a free one)`
      : `not allowed to listen on ${where}; pass another --port (0 = a free one)`);
  }
}
