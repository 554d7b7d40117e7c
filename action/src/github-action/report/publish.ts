/**
 * Publishing the report to GitHub: the sticky PR comment (per the `comment` input) and a check run with the
 * verdict. Failures here are warnings: a missing `pull-requests: write` permission must not hide the gate result.
 */
import type { GithubApi } from '../github/client.js';
import type { GithubContext } from '../github/context.js';
import type { GateReport } from '../gates/evaluate.js';
import { commentMarker, headline, modelLabel, renderComment, type ReportInput } from './markdown.js';

export type CommentMode = 'always' | 'on-change' | 'never';

export interface PublishResult {
  comment: 'created' | 'updated' | 'unchanged' | 'skipped' | 'failed';
  commentReason: string;
  checkRunUrl: string | null;
}

export async function publishReport(
  input: ReportInput, mode: CommentMode, github: GithubApi | null, ctx: GithubContext, warn: (m: string) => void,
): Promise<PublishResult> {
  const out: PublishResult = { comment: 'skipped', commentReason: '', checkRunUrl: null };
  if (!github) {
    out.commentReason = 'no github-token';
    return out;
  }
  await publishComment(input, mode, github, ctx, warn, out);
  const headSha = ctx.pr?.headSha ?? ctx.sha;
  if (headSha) {
    try {
      const r = await github.createCheckRun({
        name: `medvlm-bench (${modelLabel(input.head)})`,
        headSha,
        conclusion: checkConclusion(input.gates, input.failOn),
        title: headline(input).replace(/^(✅|❌|⚠️) /u, ''),
        summary: renderComment(input, 65_535),
        detailsUrl: input.links.compare ?? input.links.run ?? null,
      });
      out.checkRunUrl = r.url;
    } catch (e) {
      warn(`could not create the check run: ${githubFailure(e, 'checks: write', ctx.pr?.fromFork)}`);
    }
  }
  return out;
}

async function publishComment(
  input: ReportInput, mode: CommentMode, github: GithubApi, ctx: GithubContext, warn: (m: string) => void, out: PublishResult,
): Promise<void> {
  if (mode === 'never' || !ctx.pr) {
    out.commentReason = mode === 'never' ? 'comment: never' : 'not a pull request';
    return;
  }
  const body = renderComment(input);
  try {
    if (mode === 'on-change' && !worthSaying(input)) {
      // quiet PRs stay quiet, but an existing comment is still refreshed so it never shows stale numbers
      const existing = await github.findComment(ctx.pr.number, commentMarker(modelLabel(input.head)));
      if (!existing) {
        out.commentReason = 'on-change: nothing changed significantly and all gates passed';
        return;
      }
    }
    const r = await github.upsertComment(ctx.pr.number, commentMarker(modelLabel(input.head)), body);
    out.comment = r.action;
    out.commentReason = `comment ${r.action}`;
  } catch (e) {
    out.comment = 'failed';
    out.commentReason = (e as Error).message;
    warn(`could not write the PR comment: ${githubFailure(e, 'pull-requests: write', ctx.pr?.fromFork)}`);
  }
}

/**
 * Blame permissions only when GitHub said so (401/403, or 404, which GitHub answers for a resource the token may not
 * see); a network failure (DNS, reset, timeout) or a 5xx is reported as what it is.
 */
function githubFailure(e: unknown, permission: string, fromFork = false): string {
  const status = (e as { status?: unknown }).status;
  const message = (e as Error).message ?? String(e);
  if (status === 401 || status === 403 || status === 404) {
    const fork = fromFork ? '; this PR comes from a fork, whose GITHUB_TOKEN is read-only' : '';
    return `GitHub answered ${status} (the job needs \`permissions: ${permission}\`${fork}): ${message}`;
  }
  if (typeof status === 'number') return `GitHub answered ${status}: ${message}`;
  const code = (e as { code?: unknown; cause?: { code?: unknown } }).code ?? (e as { cause?: { code?: unknown } }).cause?.code;
  return `could not reach the GitHub API${typeof code === 'string' ? ` (${code})` : ''}: ${message}`;
}

/** on-change: comment when a gate failed, a score moved significantly, or something needs attention. */
function worthSaying(input: ReportInput): boolean {
  if (!input.gates.passed || input.uploadNote) return true;
  const alpha = input.gates.config.alpha;
  return (input.gates.rows ?? []).some((r) => r.pAdjusted !== null && r.pAdjusted < alpha);
}

function checkConclusion(g: GateReport, failOn: 'gate' | 'never'): 'success' | 'failure' | 'neutral' {
  if (g.passed) return 'success';
  return failOn === 'never' ? 'neutral' : 'failure';
}
