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
 * While waiting, the served process exiting ends the wait at once (raced against each poll and sleep). Every probe
 * sends the API key (vLLM --api-key, SGLang and LMDeploy guard /v1/models); a 401/403 stops at once, naming the key.
 * After the wait, `died` is aborted the moment the process exits on its own, with its exit code and log tail, so a
 * server crashing mid-run stops the run at once instead of after the unreachable bound.
 *
 * `stopCommand` (--serve-stop) runs first whenever the server is stopped — at the end, on SIGINT/SIGTERM, from the
 * exit hook and from the watchdog — for servers the process group cannot stop by itself: `docker run` does not pass
 * SIGKILL on to the container, so `--serve-stop 'docker stop "$(cat cid)"'` frees the GPU.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { UserError } from '../core/errors.js';
import { modelsUrl } from './http/client.js';
import { refuseAuth } from './preflight.js';
import { sleep } from './retry.js';
import { portMismatch } from './serve-endpoint.js';

export interface ServedModel {
  pid: number;
  logPath: string;
  stop(): Promise<void>;
  /** aborted (reason: a UserError with the exit code and log tail) when the server exits before stop() */
  died: AbortSignal;
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
  /** sent as a bearer token on every probe */
  apiKey?: string | null;
  /** --serve-stop: a shell command run before the group is signalled (docker stop …) */
  stopCommand?: string | null;
  /** how long --serve-stop may take (default 60 s) */
  stopTimeoutMs?: number;
}

/**
 * Runs in the served process group: a background loop that kills the whole group (itself included) once the
 * runner's pid is gone, then the user's command exec'd in place of this shell (so the leader pid is the server's).
 * The command arrives through the environment, so no quoting of user text into shell source is needed.
 */
const SERVE_WRAPPER =
  '(while kill -0 "$MEDVLM_RUNNER_PID" 2>/dev/null; do sleep 1; done; ' +
  '[ -z "$MEDVLM_SERVE_STOP" ] || timeout 60 /bin/sh -c "$MEDVLM_SERVE_STOP"; kill -9 0) </dev/null >/dev/null 2>&1 & ' +
  'exec /bin/sh -c "$MEDVLM_SERVE_COMMAND"';

export async function startServedModel(o: ServeOptions): Promise<ServedModel> {
  await refuseIfServing(o);
  const mismatch = portMismatch(o.command, o.endpoint);
  if (mismatch) o.log(mismatch);
  const logFd = openSync(o.logPath, 'a');
  const env = { ...process.env, MEDVLM_RUNNER_PID: String(process.pid), MEDVLM_SERVE_COMMAND: o.command, MEDVLM_SERVE_STOP: o.stopCommand ?? '' };
  const child = spawn('/bin/sh', ['-c', SERVE_WRAPPER], { detached: true, stdio: ['ignore', logFd, logFd], env });
  closeSync(logFd);
  const pid = child.pid;
  if (pid === undefined) throw new UserError(`--serve: could not start '${o.command}'`);
  let exited: { code: number | null; signal: string | null } | null = null;
  let stopping = false;
  const died = new AbortController();
  const exitedPromise = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      if (!stopping) died.abort(new UserError(`--serve: the server (pid ${pid}) exited (code ${code ?? signal}) during the run.\n${logTail(o.logPath)}`, 3));
      resolve();
    }),
  );
  const killOnExit = (): void => {
    if (o.stopCommand) spawnSync('/bin/sh', ['-c', o.stopCommand], { stdio: 'ignore', timeout: 30_000 });
    signalGroup(pid, 'SIGKILL');
  };
  process.once('exit', killOnExit);
  const stop = async (): Promise<void> => {
    stopping = true;
    process.off('exit', killOnExit);
    if (o.stopCommand) await runStopCommand(o);
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
  return { pid, logPath: o.logPath, stop, died: died.signal };
}

/** --serve-stop, output appended to the serve log, bounded so a hung `docker stop` cannot hold the runner. */
async function runStopCommand(o: ServeOptions): Promise<void> {
  const logFd = openSync(o.logPath, 'a');
  const child = spawn('/bin/sh', ['-c', o.stopCommand!], { stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  const limit = o.stopTimeoutMs ?? 60_000;
  const timer = setTimeout(() => child.kill('SIGKILL'), limit);
  const code = await new Promise<number | null>((resolve) => {
    child.once('exit', (c) => resolve(c));
    child.once('error', () => resolve(null));
  });
  clearTimeout(timer);
  if (code !== 0) o.log(`--serve-stop '${o.stopCommand}' exited with ${code ?? 'a signal'} (see ${o.logPath}); stopping the process group anyway`);
}

/** Any HTTP answer at /v1/models means another server holds the endpoint: refuse (exit 3) before starting ours. */
async function refuseIfServing(o: ServeOptions): Promise<void> {
  const url = modelsUrl(o.endpoint);
  let status: number;
  try {
    const res = await o.fetch(url, { headers: authHeader(o), signal: AbortSignal.timeout(2000) });
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
  let answer: { status: number; text: string };
  try {
    const timeout = AbortSignal.timeout(5000);
    const res = await o.fetch(url, { headers: authHeader(o), signal: o.signal ? AbortSignal.any([timeout, o.signal]) : timeout });
    answer = { status: res.status, text: await res.text() };
  } catch {
    return false; // not listening yet
  }
  refuseAuth(url, answer, o.apiKey ?? null); // a refused key never becomes ready: say so now, not after the timeout
  return answer.status >= 200 && answer.status < 300;
}

function authHeader(o: ServeOptions): Record<string, string> {
  return o.apiKey ? { authorization: `Bearer ${o.apiKey}` } : {};
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
