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
  /** the body of the comment carrying `marker`, if any (for on-change decisions) */
  findComment(issueNumber: number, marker: string): Promise<{ id: number; body: string } | null>;
  /** update the comment carrying `marker` in place, or create it; never leaves two */
  upsertComment(issueNumber: number, marker: string, body: string): Promise<{ id: number; action: 'created' | 'updated' | 'unchanged' }>;
  createCheckRun(input: CheckRunInput): Promise<{ id: number; url: string | null }>;
}

export function createGithubApi(token: string, owner: string, repo: string): GithubApi {
  const octokit = getOctokit(token);

  async function findComment(issueNumber: number, marker: string) {
    const comments = await octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: issueNumber, per_page: 100 });
    const mine = comments.find((c) => typeof c.body === 'string' && c.body.includes(marker));
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
