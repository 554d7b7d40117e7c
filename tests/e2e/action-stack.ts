/**
 * The e2e stack the action talks to, started once per test file: the action built from source (fresh-bundle.ts), a
 * real local worker (workerd + local D1) trusting a loopback OIDC issuer, and the fake GitHub API. `act()` runs the
 * bundle as the runner does for one job; each job's OIDC token names its own commit and ref, as GitHub's do.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BaselineServer } from '../../action/src/runner/baseline-server.js';
import { startLocalWorker, type LocalWorker } from '../../scripts/local-worker.mjs';
import { startFakeGithub, type FakeGithub } from '../helpers/fake-github.js';
import type { GithubClaims } from '../helpers/oidc.js';
import { startOidcServer, type OidcServer } from '../helpers/oidc-server.js';
import { runBundle, type BundleRun } from './action-harness.js';
import { buildFreshBundle, type FreshBundle } from './fresh-bundle.js';

export interface Job {
  model: string;
  server: BaselineServer;
  event: unknown;
  /** GITHUB_SHA */
  sha: string;
  /** GITHUB_REF */
  ref: string;
  inputs?: Record<string, string>;
  /** extra environment; `oidc: false` leaves the ID-token variables out (a fork PR's job) */
  env?: Record<string, string>;
  oidc?: boolean;
  /** GITHUB_RUN_ID (default: a new one per job; a matrix shares one) */
  runId?: string;
}

export interface Stack {
  worker: LocalWorker;
  oidc: OidcServer;
  github: FakeGithub;
  workspace: string;
  act(job: Job): Promise<BundleRun>;
  /** the run ids the worker holds for a commit (all models), read through its public API */
  runIdsAt(commit: string): Promise<string[]>;
  stop(): Promise<void>;
}

export async function startStack(): Promise<Stack> {
  const claims: Partial<GithubClaims> = {};
  const oidc = await startOidcServer(claims);
  const [worker, github, fresh] = await Promise.all([
    startLocalWorker({ vars: { OIDC_ISSUER: oidc.url, OIDC_JWKS_URL: oidc.jwksUrl, ALLOWED_OWNERS: 'acme' } }),
    startFakeGithub(),
    buildFreshBundle(),
  ]);
  const workspace = mkdtempSync(path.join(tmpdir(), 'medvlm-ws-'));
  let jobs = 0;
  const act = async (j: Job): Promise<BundleRun> => {
    const n = jobs++;
    const runId = j.runId ?? String(700 + n);
    Object.assign(claims, { sha: j.sha, ref: j.ref, run_id: runId });
    return runBundle({
      bundle: fresh.bundle, workspace, event: j.event,
      inputs: {
        endpoint: `${j.server.url}/v1`, model: j.model, benchmarks: 'custom', 'aggregator-url': worker.url,
        'github-token': 'fake-token', comment: 'always', 'results-dir': `results-${n}`, concurrency: '8', ...j.inputs,
      },
      env: {
        GITHUB_REPOSITORY: 'acme/vision', GITHUB_SHA: j.sha, GITHUB_REF: j.ref, GITHUB_API_URL: github.url, GITHUB_RUN_ID: runId,
        GITHUB_EVENT_NAME: j.ref.startsWith('refs/pull/') ? 'pull_request' : 'push',
        ...(j.oidc === false ? {} : oidc.env), ...j.env,
      },
    });
  };
  const runIdsAt = async (commit: string) => {
    const res = await fetch(`${worker.url}/api/v1/repos/acme/vision/runs?sha=${commit}&limit=50`);
    return ((await res.json()) as { runs: Array<{ id: string }> }).runs.map((r) => r.id);
  };
  return {
    worker, oidc, github, workspace, act, runIdsAt,
    stop: async () => {
      await Promise.all([worker.stop(), github.close(), oidc.close()]);
      rmSync(workspace, { recursive: true, force: true });
      fresh.remove();
    },
  };
}

/** The id at the end of a run-url output (`…/acme/vision/runs/<id>`). */
export const runIdOf = (r: BundleRun) => /\/runs\/([0-9a-f]{16})$/.exec(r.outputs['run-url'] ?? '')?.[1] ?? null;
