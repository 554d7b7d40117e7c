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

/**
 * A trusted workflow entry matches a workflow ref exactly, or — when the entry has no "@ref" — the same workflow at
 * any branch or tag. Never a workflow that ran from a pull-request ref, nor any run whose token ref is one.
 */
export function isVerifiedWorkflow(trusted: string[], workflowRefs: (string | null)[], tokenRef: string | null): boolean {
  if (isPullRequestRef(tokenRef)) return false;
  return workflowRefs.some((wf) => {
    if (wf === null) return false;
    const [path, at = ''] = wf.toLowerCase().split('@');
    if (isPullRequestRef(at)) return false;
    return trusted.some((t) => (t.includes('@') ? wf.toLowerCase() === t : path === t));
  });
}

function mismatch(field: string, claimed: string, claim: string, signed: string): ApiError {
  return new ApiError(403, 'identity_mismatch',
    `${field} is "${claimed}" but the OIDC token was issued for ${claim} "${signed}": a run must be uploaded by the ` +
    'workflow run that produced it', { field, run: claimed, token: signed });
}
