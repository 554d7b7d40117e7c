/**
 * The workflow run's context from GITHUB_* variables and the event payload file, read through injected env/fs so
 * tests can describe any event. Only pull_request(-like) and push payload fields we use are read.
 */
import { z } from 'zod';

const Sha = z.string().regex(/^[0-9a-f]{40}$/);

const PullRequestPayload = z.object({
  pull_request: z.object({
    number: z.number().int(),
    base: z.object({ sha: Sha, ref: z.string() }),
    head: z.object({ sha: Sha, ref: z.string(), repo: z.object({ full_name: z.string(), fork: z.boolean().optional() }).nullable().optional() }),
  }),
});
const PushPayload = z.object({ before: Sha, ref: z.string() });

export interface PullRequestInfo {
  number: number;
  baseSha: string;
  baseRef: string;
  headSha: string;
  headRef: string;
  /** true when the head branch lives in another repository: no OIDC token, read-only GITHUB_TOKEN */
  fromFork: boolean;
}

export interface GithubContext {
  owner: string | null;
  repo: string | null;
  /** "owner/name" */
  repository: string | null;
  /** GITHUB_SHA: for pull_request events this is the test merge commit */
  sha: string | null;
  ref: string | null;
  eventName: string | null;
  pr: PullRequestInfo | null;
  /** the previous tip of the branch for push events (a natural baseline) */
  pushBefore: string | null;
  /** links back to the workflow run, for the check run */
  runUrl: string | null;
  workspace: string;
}

export interface ContextFs {
  existsSync(p: string): boolean;
  readFileSync(p: string, encoding: 'utf8'): string;
}

export function readGithubContext(env: Record<string, string | undefined>, fs: ContextFs, cwd: string): GithubContext {
  const repository = env.GITHUB_REPOSITORY ?? null;
  const [owner, repo] = repository?.split('/') ?? [];
  const payload = readPayload(env.GITHUB_EVENT_PATH, fs);
  const pr = PullRequestPayload.safeParse(payload);
  const push = PushPayload.safeParse(payload);
  const server = env.GITHUB_SERVER_URL ?? 'https://github.com';
  return {
    owner: owner ?? null,
    repo: repo ?? null,
    repository,
    sha: env.GITHUB_SHA ?? null,
    ref: env.GITHUB_REF ?? null,
    eventName: env.GITHUB_EVENT_NAME ?? null,
    pr: pr.success ? toPr(pr.data.pull_request, repository) : null,
    pushBefore: push.success && !/^0+$/.test(push.data.before) ? push.data.before : null,
    runUrl: repository && env.GITHUB_RUN_ID ? `${server}/${repository}/actions/runs/${env.GITHUB_RUN_ID}` : null,
    workspace: env.GITHUB_WORKSPACE ?? cwd,
  };
}

function toPr(p: z.infer<typeof PullRequestPayload>['pull_request'], repository: string | null): PullRequestInfo {
  const headRepo = p.head.repo?.full_name ?? null;
  return {
    number: p.number,
    baseSha: p.base.sha,
    baseRef: p.base.ref,
    headSha: p.head.sha,
    headRef: p.head.ref,
    fromFork: Boolean(p.head.repo?.fork) || (headRepo !== null && repository !== null && headRepo !== repository),
  };
}

function readPayload(path: string | undefined, fs: ContextFs): unknown {
  if (!path || !fs.existsSync(path)) return null;
  try {
    return JSON.parse(fs.readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}
