/**
 * `--serve "COMMAND"`: start the model server the run needs, wait until GET /v1/models answers, and make sure it is
 * gone afterwards. The command runs in its own process group (detached) so stopping it also stops the workers it
 * forks (vLLM spawns several); TERM first, KILL after a grace period. An exit hook kills the group even when the
 * runner itself dies of an uncaught error, and a watchdog inside the group (a shell loop polling the runner's pid
 * once a second) kills the group when the runner is killed outright (SIGKILL runs no hook). The readiness wait
 * listens on the run's abort signal, so SIGINT/SIGTERM while a model loads stops at once.
 *
 * Before spawning, the endpoint is asked once: if anything already answers there (a server left over from an
 * earlier job), the run refuses, because it would otherwise evaluate that server instead of the one it starts.
 * While waiting, the served process exiting ends the wait at once (raced against each poll and sleep).
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { UserError } from '../core/errors.js';
import { modelsUrl } from './http/client.js';
import { sleep } from './retry.js';

export interface ServedModel {
  pid: number;
  logPath: string;
  stop(): Promise<void>;
}

export interface ServeOptions {
  command: string;
  endpoint: string;
  logPath: string;
  /** how long to wait for /v1/models (model loading can take minutes) */
  readyTimeoutMs: number;
  graceMs?: number;
  fetch: typeof fetch;
  log: (msg: string) => void;
  pollMs?: number;
  /** aborting (SIGINT/SIGTERM) ends the readiness wait at once and stops the server */
  signal?: AbortSignal;
}

/**
 * Runs in the served process group: a background loop that kills the whole group (itself included) once the
 * runner's pid is gone, then the user's command exec'd in place of this shell (so the leader pid is the server's).
 * The command arrives through the environment, so no quoting of user text into shell source is needed.
 */
const SERVE_WRAPPER =
  '(while kill -0 "$MEDVLM_RUNNER_PID" 2>/dev/null; do sleep 1; done; kill -9 0) </dev/null >/dev/null 2>&1 & ' +
  'exec /bin/sh -c "$MEDVLM_SERVE_COMMAND"';

export async function startServedModel(o: ServeOptions): Promise<ServedModel> {
  await refuseIfServing(o);
  const logFd = openSync(o.logPath, 'a');
  const env = { ...process.env, MEDVLM_RUNNER_PID: String(process.pid), MEDVLM_SERVE_COMMAND: o.command };
  const child = spawn('/bin/sh', ['-c', SERVE_WRAPPER], { detached: true, stdio: ['ignore', logFd, logFd], env });
  closeSync(logFd);
  const pid = child.pid;
  if (pid === undefined) throw new UserError(`--serve: could not start '${o.command}'`);
  let exited: { code: number | null; signal: string | null } | null = null;
  const exitedPromise = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      resolve();
    }),
  );
  const killOnExit = (): void => signalGroup(pid, 'SIGKILL');
  process.once('exit', killOnExit);
  const stop = async (): Promise<void> => {
    process.off('exit', killOnExit);
    if (exited) return signalGroup(pid, 'SIGKILL'); // the leader is gone; stray children may not be
    signalGroup(pid, 'SIGTERM');
    const cancel = new AbortController(); // so the grace timer does not keep the process alive once the server exits
    const timer = sleep(o.graceMs ?? 10_000, cancel.signal).then(() => 'timeout' as const, () => 'cancelled' as const);
    const first = await Promise.race([exitedPromise.then(() => 'exited' as const), timer]);
    cancel.abort();
    if (first === 'timeout') o.log(`--serve: server (pid ${pid}) ignored SIGTERM for ${Math.round((o.graceMs ?? 10_000) / 1000)} s; sending SIGKILL`);
    signalGroup(pid, 'SIGKILL');
  };
  o.log(`--serve: started '${o.command}' (pid ${pid}, log ${o.logPath}); waiting for ${modelsUrl(o.endpoint)}`);
  try {
    await waitUntilReady(o, () => exited, exitedPromise);
  } catch (e) {
    await stop();
    throw e;
  }
  return { pid, logPath: o.logPath, stop };
}

/** Any HTTP answer at /v1/models means another server holds the endpoint: refuse (exit 3) before starting ours. */
async function refuseIfServing(o: ServeOptions): Promise<void> {
  const url = modelsUrl(o.endpoint);
  let status: number;
  try {
    const res = await o.fetch(url, { signal: AbortSignal.timeout(2000) });
    await res.arrayBuffer().catch(() => undefined);
    status = res.status;
  } catch {
    return; // nothing answers: the endpoint is free for the served command
  }
  throw new UserError(
    `--serve: something is already serving at ${url} (HTTP ${status}) before '${o.command}' was started; ` +
      'stop it or use another port (--endpoint), so the run does not evaluate a server it did not start',
    3,
  );
}

type Exit = { code: number | null; signal: string | null };

async function waitUntilReady(o: ServeOptions, exited: () => Exit | null, exitedPromise: Promise<void>): Promise<void> {
  const deadline = Date.now() + o.readyTimeoutMs;
  const url = modelsUrl(o.endpoint);
  const exitError = (ex: Exit) =>
    new UserError(`--serve: the server exited (code ${ex.code ?? ex.signal}) before answering ${url}.\n${logTail(o.logPath)}`);
  for (;;) {
    if (o.signal?.aborted) throw o.signal.reason;
    const before = exited();
    if (before) throw exitError(before);
    const ready = await Promise.race([probe(o, url), exitedPromise.then(() => false)]);
    // an answer that arrives after our process died came from someone else: never count it as ready
    const after = exited();
    if (after) throw exitError(after);
    if (ready) return;
    if (Date.now() >= deadline) {
      throw new UserError(
        `--serve: ${url} did not answer within ${Math.round(o.readyTimeoutMs / 1000)} s (raise --serve-timeout if the model loads slowly).\n${logTail(o.logPath)}`,
      );
    }
    await pause(o, exitedPromise);
  }
}

/** The poll interval, cut short when the served process exits (the timer is cancelled, so nothing lingers). */
async function pause(o: ServeOptions, exitedPromise: Promise<void>): Promise<void> {
  const cancel = new AbortController();
  const signal = o.signal ? AbortSignal.any([o.signal, cancel.signal]) : cancel.signal;
  const slept = sleep(o.pollMs ?? 500, signal).catch((e: unknown) => {
    if (o.signal?.aborted) throw e;
  });
  try {
    await Promise.race([slept, exitedPromise]);
  } finally {
    cancel.abort();
  }
}

async function probe(o: ServeOptions, url: string): Promise<boolean> {
  try {
    const timeout = AbortSignal.timeout(5000);
    const res = await o.fetch(url, { signal: o.signal ? AbortSignal.any([timeout, o.signal]) : timeout });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false; // not listening yet
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

export function logTail(path: string, lines = 30): string {
  try {
    const text = readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    return text ? `last lines of ${path}:\n${text}` : `(${path} is empty)`;
  } catch {
    return `(no log at ${path})`;
  }
}
