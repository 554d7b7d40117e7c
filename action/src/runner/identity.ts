/**
 * Who produced a run: from the GITHUB_* variables inside Actions, else from the local git checkout. Never throws:
 * anything unknown is null (a run on a laptop without git is still a valid run).
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import type { Identity } from '../../../schemas/results.js';

type Env = Record<string, string | undefined>;

export async function resolveIdentity(env: Env, cwd: string): Promise<Identity> {
  const fromGit = env.GITHUB_REPOSITORY && env.GITHUB_SHA ? null : await gitIdentity(cwd);
  const ref = env.GITHUB_REF || fromGit?.ref || null;
  return {
    repository: validRepo(env.GITHUB_REPOSITORY) ?? fromGit?.repository ?? null,
    commit: validSha(env.GITHUB_SHA) ?? fromGit?.commit ?? null,
    ref: ref ? ref.slice(0, 255) : null,
    prNumber: (await prFromEvent(env.GITHUB_EVENT_PATH)) ?? prFromRef(env.GITHUB_REF),
    baseRef: env.GITHUB_BASE_REF || null,
    workflowRef: env.GITHUB_WORKFLOW_REF ? env.GITHUB_WORKFLOW_REF.slice(0, 512) : null,
    runId: runIdOf(env),
  };
}

/**
 * "<run id>-<attempt>" when the attempt is known: a re-run of a workflow keeps GITHUB_RUN_ID, and each attempt is
 * its own run for the worker (its run key includes runId). Capped at the schema's 64 characters.
 */
export function runIdOf(env: Env): string | null {
  const id = env.GITHUB_RUN_ID?.trim();
  if (!id) return null;
  const attempt = env.GITHUB_RUN_ATTEMPT?.trim();
  const withAttempt = attempt ? `${id}-${attempt}` : id;
  return (withAttempt.length <= 64 ? withAttempt : id).slice(0, 64);
}

function validRepo(x: string | undefined | null): string | null {
  return x && /^[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/.test(x) ? x : null;
}

function validSha(x: string | undefined | null): string | null {
  return x && /^[0-9a-f]{40}$/.test(x) ? x : null;
}

/** refs/pull/123/merge → 123 */
export function prFromRef(ref: string | undefined): number | null {
  const m = ref ? /^refs\/pull\/(\d+)\//.exec(ref) : null;
  return m ? Number(m[1]) : null;
}

async function prFromEvent(path: string | undefined): Promise<number | null> {
  if (!path) return null;
  try {
    const ev = JSON.parse(await readFile(path, 'utf8')) as { pull_request?: { number?: unknown }; number?: unknown };
    const n = ev.pull_request?.number ?? (ev.pull_request ? ev.number : undefined);
    return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : null;
  } catch {
    return null;
  }
}

/** owner/name from an origin URL: https://github.com/o/n(.git), git@github.com:o/n.git, ssh://…/o/n */
export function repoFromRemote(url: string): string | null {
  const m = /[/:]([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+?)(?:\.git)?\/?$/.exec(url.trim());
  return m ? validRepo(`${m[1]}/${m[2]}`) : null;
}

async function gitIdentity(cwd: string): Promise<{ repository: string | null; commit: string | null; ref: string | null }> {
  const [remote, sha, branch] = await Promise.all([
    git(cwd, ['remote', 'get-url', 'origin']),
    git(cwd, ['rev-parse', 'HEAD']),
    git(cwd, ['symbolic-ref', '-q', 'HEAD']),
  ]);
  return { repository: remote ? repoFromRemote(remote) : null, commit: validSha(sha), ref: branch };
}

function git(cwd: string, args: string[]): Promise<string | null> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, timeout: 5000 }, (err, stdout) => resolve(err ? null : stdout.trim() || null));
  });
}

/** host[:port] of the endpoint; never credentials, path or query. */
export function endpointHost(endpoint: string): string | null {
  try {
    return new URL(endpoint).host || null;
  } catch {
    return null;
  }
}
