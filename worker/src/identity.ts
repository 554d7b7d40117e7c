/**
 * Binding a run's identity to the OIDC token that uploads it. GitHub signs the token's `sha`, `ref` and `run_id`;
 * the body's `identity` is whatever the uploader wrote. So: a run must claim the token's commit and ref (or leave
 * them out, and then gets the token's), the pull-request number follows from a refs/pull/N/… ref, and `verified`
 * needs a trusted workflow that did not run from a pull-request ref (a PR can edit the workflow it runs).
 */
import type { RunResult } from '../../schemas/results.js';
import { ApiError } from './errors.js';

export interface TokenIdentity { sha: string | null; ref: string | null; runId: string | null }

const PR_REF = /^refs\/pull\/(\d+)\//;

/** "main" → "refs/heads/main"; full refs unchanged. */
export function fullRef(ref: string): string {
  return ref.startsWith('refs/') ? ref : `refs/heads/${ref}`;
}

export function isPullRequestRef(ref: string | null): boolean {
  return ref !== null && ref.startsWith('refs/pull/');
}

/**
 * The run as stored: identity checked against the token (403 `identity_mismatch` naming both values), gaps filled
 * from the token, prNumber derived from the ref when absent. Returns the input unchanged when nothing changes, so
 * the stored body is the uploaded one.
 */
export function bindIdentity(run: RunResult, token: TokenIdentity | null): RunResult {
  const id = run.identity;
  if (token) {
    if (token.sha && id.commit && token.sha.toLowerCase() !== id.commit.toLowerCase()) {
      throw mismatch('identity.commit', id.commit, 'sha', token.sha);
    }
    if (token.ref && id.ref && fullRef(token.ref) !== fullRef(id.ref)) {
      throw mismatch('identity.ref', id.ref, 'ref', token.ref);
    }
  }
  const commit = id.commit ?? (token?.sha && /^[0-9a-f]{40}$/.test(token.sha) ? token.sha : null);
  const ref = id.ref ?? token?.ref ?? null;
  const prFromRef = ref ? PR_REF.exec(ref)?.[1] : undefined;
  const prNumber = id.prNumber ?? (prFromRef ? Number(prFromRef) : null);
  const runId = id.runId ?? token?.runId ?? null;
  if (commit === id.commit && ref === id.ref && prNumber === id.prNumber && runId === id.runId) return run;
  return { ...run, identity: { ...id, commit, ref, prNumber, runId } };
}

/** What the OIDC token says about the workflow run that produced an upload. */
export interface WorkflowClaims {
  repository: string;
  ref: string | null;
  workflowRef: string | null;
  jobWorkflowRef: string | null;
}

/** A TRUSTED_WORKFLOWS entry without "@ref" means the workflow on this branch. */
export const DEFAULT_TRUSTED_REF = 'refs/heads/main';

/**
 * `verified` = the listed workflow, at the listed ref, in the listed repository, on the default branch. An entry is
 * `owner/repo/.github/workflows/x.yml[@refs/heads/<default branch>]` (no "@ref": @refs/heads/main). A run is
 * verified when some entry has
 *   - its repository = the token's `repository` (the repository that ran: another repository calling this
 *     repository's reusable workflow is not it);
 *   - its ref = the token's `ref` (the run is on the listed branch, not another branch or tag);
 *   - its workflow at its ref = the token's `job_workflow_ref` or `workflow_ref`.
 * A pull-request ref never verifies (a pull request can edit the workflow it runs). Compared case-insensitively,
 * like GitHub's owner and repository names.
 */
export function isVerifiedWorkflow(trusted: string[], claims: WorkflowClaims): boolean {
  if (claims.ref === null || isPullRequestRef(claims.ref)) return false;
  const runRef = fullRef(claims.ref).toLowerCase();
  const ran = [claims.jobWorkflowRef, claims.workflowRef].filter((w): w is string => w !== null).map((w) => w.toLowerCase());
  const repository = claims.repository.toLowerCase();
  return trusted.some((entry) => {
    const [path = '', at = DEFAULT_TRUSTED_REF] = entry.toLowerCase().split('@');
    const entryRepo = path.split('/').slice(0, 2).join('/');
    return entryRepo === repository && at === runRef && ran.includes(`${path}@${at}`);
  });
}

function mismatch(field: string, claimed: string, claim: string, signed: string): ApiError {
  return new ApiError(403, 'identity_mismatch',
    `${field} is "${claimed}" but the OIDC token was issued for ${claim} "${signed}": a run must be uploaded by the ` +
    'workflow run that produced it', { field, run: claimed, token: signed });
}
