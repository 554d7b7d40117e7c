/**
 * Choosing the baseline run, and saying how it was chosen. Default: the run at the PR's merge-base (from GitHub's
 * compare endpoint: `pull_request.base.sha` is the base branch tip when the event fired, which may include commits
 * the PR has never seen), then the base branch's latest run, then none.
 */
import { fetchRun, findMatchingRun, type AggregatorClient, type Baseline, type BaselineSpec } from './aggregator.js';
import { cell } from './report/format.js';
import type { RunResult } from '../../../schemas/results.js';
import type { GithubContext } from './github/context.js';
import type { GithubApi } from './github/client.js';

export interface BaselineDeps {
  client: AggregatorClient;
  github: GithubApi | null;
  warn(msg: string): void;
}

const short = (sha: string) => `\`${sha.slice(0, 7)}\``;

export async function resolveBaseline(spec: BaselineSpec, head: RunResult, ctx: GithubContext, deps: BaselineDeps): Promise<Baseline> {
  const who = cell(head.model.checkpoint ?? head.model.name);
  switch (spec.kind) {
    case 'run': {
      const run = await fetchRun(deps.client, spec.id);
      return { run, id: spec.id, note: `run ${spec.id} (chosen with \`baseline: run:${spec.id}\`)` };
    }
    case 'sha': {
      const found = await findMatchingRun(deps.client, head, { sha: spec.sha });
      return found
        ? { ...found, note: `run ${found.id} at ${short(found.run.identity.commit ?? spec.sha)} (chosen with \`baseline: sha:\`)` }
        : none(`no run of ${who} with the same fingerprints at ${short(spec.sha)}: absolute gates only`);
    }
    case 'ref': {
      const found = await findMatchingRun(deps.client, head, { ref: spec.ref });
      return found
        ? { ...found, note: `latest run on ${cell(spec.ref)}: run ${found.id} at ${short(found.run.identity.commit ?? '???????')}` }
        : none(`no run of ${who} with the same fingerprints on ${cell(spec.ref)}: absolute gates only`);
    }
    case 'merge-base':
      return mergeBaseBaseline(head, ctx, deps, who);
  }
}

async function mergeBaseBaseline(head: RunResult, ctx: GithubContext, deps: BaselineDeps, who: string): Promise<Baseline> {
  const fallbackRef = ctx.pr?.baseRef ?? branchOf(ctx.ref);
  const anchor = await mergeBaseSha(ctx, deps);
  let missed = anchor.why;
  if (anchor.sha) {
    const found = await findMatchingRun(deps.client, head, { sha: anchor.sha });
    if (found) return { ...found, note: `run ${found.id} at ${anchor.what} ${short(anchor.sha)} (same model, same dataset fingerprints)` };
    missed = `no run of ${who} with the same fingerprints at ${anchor.what} ${short(anchor.sha)}`;
  }
  if (fallbackRef) {
    const found = await findMatchingRun(deps.client, head, { ref: fallbackRef });
    if (found) {
      const at = found.run.identity.commit ? ` at ${short(found.run.identity.commit)}` : '';
      return { ...found, note: `${missed}; fell back to the latest run on ${cell(fallbackRef)}: run ${found.id}${at}` };
    }
    return none(`${missed}, and none on ${cell(fallbackRef)}: absolute gates only`);
  }
  return none(`${missed}: absolute gates only`);
}

/** The PR's merge-base via GitHub; for pushes, the previous tip of the branch (`what` names which, for the note). */
async function mergeBaseSha(ctx: GithubContext, deps: BaselineDeps): Promise<{ sha: string | null; why: string; what?: string }> {
  if (ctx.pr) {
    if (!deps.github) return { sha: null, why: 'merge-base unknown (no `github-token`)' };
    try {
      return { sha: await deps.github.mergeBase(ctx.pr.baseSha, ctx.pr.headSha), why: '', what: 'the merge-base' };
    } catch (e) {
      deps.warn(`could not compute the merge-base with the GitHub API: ${(e as Error).message}`);
      return { sha: null, why: 'merge-base unknown (GitHub API error)' };
    }
  }
  if (ctx.pushBefore) return { sha: ctx.pushBefore, why: '', what: 'the branch\'s previous tip' };
  return { sha: null, why: noAnchorReason(ctx) };
}

/** Why there is no commit to compare against, in the event's own terms. */
function noAnchorReason(ctx: GithubContext): string {
  if (ctx.eventName === 'push') {
    // GitHub sends before = 000… when the push created the branch or tag: there is no previous tip
    return 'push with no previous commit (`before` is 000…: the push created the branch or tag), so no baseline commit';
  }
  if (ctx.eventName) return `a \`${ctx.eventName}\` event has no merge-base (only pull requests and pushes do)`;
  return 'no pull request or push payload in the event (GITHUB_EVENT_NAME unset), so no merge-base';
}

function branchOf(ref: string | null): string | null {
  return ref?.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : null;
}

function none(note: string): Baseline {
  return { run: null, id: null, note };
}

