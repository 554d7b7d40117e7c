/**
 * `verified` = the listed workflow, at the listed ref, in the listed repository, on the default branch. Tokens from
 * the local OIDC issuer (tests/helpers/oidc.ts) with GitHub's claims for each situation; the answer is read back
 * from GET /api/v1/runs/:id.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { TestIssuer } from '../../helpers/oidc.js';
import { makeRun } from '../../helpers/run-fixture.js';
import { call, json, postRun, setupIssuer } from '../support.js';

const WF = 'acme/vision/.github/workflows/bench.yml';
let issuer: TestIssuer;
let vars: Record<string, string>;
beforeAll(async () => {
  ({ issuer, vars } = await setupIssuer());
  vars = { ...vars, ALLOWED_OWNERS: 'acme,mallory' };
});

let n = 0;
/** Uploads a run as the token describes it and returns its `verified`. */
async function verifiedFor(trusted: string, claims: { repository?: string; ref: string; workflow_ref: string; job_workflow_ref: string }) {
  const sha = (++n).toString(16).padStart(40, 'a');
  const repository = claims.repository ?? 'acme/vision';
  const ids = repository === 'acme/vision' ? {} : { repository_id: '5005', repository_owner_id: '6006' };
  const token = await issuer.mint({ ...claims, ...ids, repository, sha });
  const res = await postRun(makeRun({ repository, commit: sha, ref: claims.ref }), token, { ...vars, TRUSTED_WORKFLOWS: trusted });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await json(await call(`/api/v1/runs/${(await json(res)).id}`))).verified as boolean;
}

const onRef = (ref: string, wfRef = ref) => ({ ref, workflow_ref: `${WF}@${wfRef}`, job_workflow_ref: `${WF}@${wfRef}` });

describe('verified', () => {
  it('path-only entry: a push to main is verified', async () => {
    expect(await verifiedFor(WF, onRef('refs/heads/main'))).toBe(true);
  });

  it('path-only entry: pushes to another branch or a tag are not', async () => {
    expect(await verifiedFor(WF, onRef('refs/heads/feature'))).toBe(false);
    expect(await verifiedFor(WF, onRef('refs/tags/v1.0'))).toBe(false);
  });

  it('an entry naming another default branch verifies that branch only', async () => {
    expect(await verifiedFor(`${WF}@refs/heads/master`, onRef('refs/heads/master'))).toBe(true);
    expect(await verifiedFor(`${WF}@refs/heads/master`, onRef('refs/heads/main'))).toBe(false);
  });

  it('another repository calling the trusted reusable workflow pinned @refs/heads/main is not verified', async () => {
    expect(await verifiedFor(`${WF}@refs/heads/main`, {
      repository: 'mallory/fork', ref: 'refs/heads/main',
      workflow_ref: 'mallory/fork/.github/workflows/ci.yml@refs/heads/main', job_workflow_ref: `${WF}@refs/heads/main`,
    })).toBe(false);
  });

  it('this repository\'s feature branch calling its own reusable workflow pinned @main is not verified', async () => {
    expect(await verifiedFor(`${WF}@refs/heads/main`, {
      ref: 'refs/heads/feature', workflow_ref: 'acme/vision/.github/workflows/ci.yml@refs/heads/feature',
      job_workflow_ref: `${WF}@refs/heads/main`,
    })).toBe(false);
  });

  it('this repository\'s main calling its own trusted reusable workflow is verified (job_workflow_ref)', async () => {
    expect(await verifiedFor(`${WF}@refs/heads/main`, {
      ref: 'refs/heads/main', workflow_ref: 'acme/vision/.github/workflows/ci.yml@refs/heads/main',
      job_workflow_ref: `${WF}@refs/heads/main`,
    })).toBe(true);
  });

  it('the workflow at another ref than the listed one is not verified, nor an unlisted workflow', async () => {
    expect(await verifiedFor(`${WF}@refs/heads/main`, { ref: 'refs/heads/main',
      workflow_ref: 'acme/vision/.github/workflows/ci.yml@refs/heads/main', job_workflow_ref: `${WF}@refs/tags/v1` })).toBe(false);
    expect(await verifiedFor(WF, { ref: 'refs/heads/main', workflow_ref: 'acme/vision/.github/workflows/other.yml@refs/heads/main',
      job_workflow_ref: 'acme/vision/.github/workflows/other.yml@refs/heads/main' })).toBe(false);
  });
});
