/**
 * The Action's logic entry, as in GitHub's TypeScript action template: `run()` reads the inputs, wires the real side
 * effects, runs the core and sets the outputs. index.ts (bundled to action/dist/index.js) only calls it, so tools
 * that import the logic entry and call `run()` themselves (`@github/local-action`) work. The core lives in run.ts so
 * it can be tested without the Actions runtime.
 */
import { appendFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import * as core from '@actions/core';
import { runAction } from './run.js';
import { UserError } from '../core/errors.js';
import { createGithubApi } from './github/client.js';
import { createArtifactUploader } from './artifact.js';
import { readInputs } from './inputs.js';

export async function run(): Promise<void> {
  try {
    const inputs = readInputs();
    for (const secret of [inputs.hfToken, inputs.apiKey, inputs.judge?.apiKey]) if (secret) core.setSecret(secret);
    if (inputs.aggregatorToken) core.setSecret(inputs.aggregatorToken);
    const outcome = await runAction(inputs, {
      fetch: globalThis.fetch,
      now: () => Date.now(),
      fs: { existsSync, readdirSync, readFileSync, appendFileSync },
      log: { info: core.info, warning: core.warning, error: core.error },
      github: createGithubApi,
      getIdToken: (audience) => core.getIDToken(audience),
      env: process.env,
      cwd: process.cwd(),
      uploadArtifact: createArtifactUploader(process.env, core.info),
    });
    for (const [name, value] of Object.entries(outcome.outputs)) core.setOutput(name, value);
    if (outcome.failure) core.setFailed(outcome.failure);
  } catch (e) {
    core.setFailed(e instanceof UserError ? e.message : ((e as Error).stack ?? String(e)));
  }
}

