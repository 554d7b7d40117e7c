/**
 * The only module that talks to GitHub's API (through @actions/github's Octokit; GITHUB_API_URL picks the server,
 * which is how tests point it at a fake on loopback). Exposes the three things the action needs as plain methods.
 */
import { getOctokit } from '@actions/github';

export interface CheckRunInput {
  name: string;
  headSha: string;
  conclusion: 'success' | 'failure' | 'neutral';
  title: string;
  /** markdown; GitHub caps it at 65,535 characters */
  summary: string;
  detailsUrl?: string | null;
}

export interface GithubApi {
  /** merge-base of two commits via GET /repos/{o}/{r}/compare/{base}...{head} */
  mergeBase(base: string, head: string): Promise<string>;
  /** the body of our own comment carrying `marker` (written by this token's account), if any */
  findComment(issueNumber: number, marker: string): Promise<{ id: number; body: string } | null>;
  /** update the comment carrying `marker` in place, or create it; never leaves two */
  upsertComment(issueNumber: number, marker: string, body: string): Promise<{ id: number; action: 'created' | 'updated' | 'unchanged' }>;
  createCheckRun(input: CheckRunInput): Promise<{ id: number; url: string | null }>;
}

/** The bot account behind the workflow's GITHUB_TOKEN. */
export const ACTIONS_BOT_LOGIN = 'github-actions[bot]';

interface CommentAuthor { user?: { login?: string; type?: string } | null; performed_via_github_app?: unknown }

/**
 * Is this comment ours? Anyone can paste the marker into a comment, so the author must match too: the token's own
 * login when GET /user answers (personal tokens); installation tokens (GITHUB_TOKEN, GitHub Apps) get 403 there,
 * and then only a bot comment qualifies: GitHub Actions' bot, or one posted through a GitHub App.
 */
export function isOwnComment(c: CommentAuthor, self: string | null): boolean {
  if (self) return c.user?.login === self;
  return c.user?.type === 'Bot' && (c.user.login === ACTIONS_BOT_LOGIN || c.performed_via_github_app != null);
}

export function createGithubApi(token: string, owner: string, repo: string): GithubApi {
  const octokit = getOctokit(token);
  let self: Promise<string | null> | null = null;

  /** The token's login, or null for installation tokens (403/401 on GET /user). */
  function whoAmI(): Promise<string | null> {
    self ??= octokit.rest.users.getAuthenticated().then((r) => r.data.login, (e: { status?: number }) => {
      if (e.status === 403 || e.status === 401) return null;
      throw e;
    });
    return self;
  }

  async function findComment(issueNumber: number, marker: string) {
    const [login, comments] = await Promise.all([
      whoAmI(),
      octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: issueNumber, per_page: 100 }),
    ]);
    const mine = comments.find((c) => typeof c.body === 'string' && c.body.includes(marker) && isOwnComment(c, login));
    return mine ? { id: mine.id, body: mine.body ?? '' } : null;
  }

  return {
    async mergeBase(base, head) {
      const { data } = await octokit.rest.repos.compareCommitsWithBasehead({ owner, repo, basehead: `${base}...${head}`, per_page: 1 });
      return data.merge_base_commit.sha;
    },
    findComment,
    async upsertComment(issueNumber, marker, body) {
      const existing = await findComment(issueNumber, marker);
      if (existing && existing.body === body) return { id: existing.id, action: 'unchanged' };
      if (existing) {
        await octokit.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body });
        return { id: existing.id, action: 'updated' };
      }
      const { data } = await octokit.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body });
      return { id: data.id, action: 'created' };
    },
    async createCheckRun(input) {
      const { data } = await octokit.rest.checks.create({
        owner, repo, name: input.name, head_sha: input.headSha, status: 'completed', conclusion: input.conclusion,
        ...(input.detailsUrl ? { details_url: input.detailsUrl } : {}),
        output: { title: input.title.slice(0, 255), summary: input.summary.slice(0, 65_535) },
      });
      return { id: data.id, url: data.html_url ?? null };
    },
  };
}
