/**
 * The only file that reads action inputs (action.yml documents each one). Every value is checked here, so a typo
 * fails the step at once with the input's name and the accepted values, before any GPU work.
 */
import * as core from '@actions/core';
import { parseBaselineSpec, type BaselineSpec } from './aggregator.js';
import { UserError } from '../core/errors.js';

export interface ActionInputs {
  endpoint: string | null;
  model: string | null;
  checkpoint: string | null;
  serveCommand: string | null;
  serveStop: string | null;
  benchmarks: string;
  protocol: 'paper' | 'closed' | 'full';
  dataDir: string | null;
  manifest: string | null;
  hfToken: string | null;
  apiKey: string | null;
  /** full protocol: LLM judge for open-ended items */
  judge: { endpoint: string; model: string; apiKey: string | null } | null;
  concurrency: number;
  /** "I/N", 1-based, validated by the runner */
  shard: string | null;
  /** items per benchmark (smoke runs) */
  limit: number | null;
  mergeShards: string | null;
  gates: string;
  aggregatorUrl: string | null;
  aggregatorAuth: 'oidc' | 'token';
  aggregatorToken: string | null;
  oidcAudience: string;
  baseline: BaselineSpec;
  comment: 'always' | 'on-change' | 'never';
  githubToken: string | null;
  failOn: 'gate' | 'never';
  aggregatorRequired: boolean;
  resultsDir: string;
}

export type GetInput = (name: string) => string;

export function readInputs(get: GetInput = (n) => core.getInput(n)): ActionInputs {
  const s = (name: string) => get(name).trim() || null;
  const inputs: ActionInputs = {
    endpoint: s('endpoint'),
    model: s('model'),
    checkpoint: s('checkpoint'),
    serveCommand: s('serve-command'),
    serveStop: s('serve-stop'),
    benchmarks: s('benchmarks') ?? 'all',
    protocol: oneOf(get, 'protocol', ['paper', 'closed', 'full'], 'paper'),
    dataDir: s('data-dir'),
    manifest: s('manifest'),
    hfToken: s('hf-token'),
    apiKey: s('api-key'),
    judge: judge(get),
    concurrency: int(get, 'concurrency', 32, 1, 4096),
    shard: s('shard'),
    limit: s('limit') === null ? null : int(get, 'limit', 0, 1, 10_000_000),
    mergeShards: s('merge-shards'),
    gates: get('gates'),
    aggregatorUrl: url(get, 'aggregator-url'),
    aggregatorAuth: oneOf(get, 'aggregator-auth', ['oidc', 'token'], 'oidc'),
    aggregatorToken: s('aggregator-token'),
    oidcAudience: s('oidc-audience') ?? 'medvlm-bench',
    baseline: baseline(get),
    comment: oneOf(get, 'comment', ['always', 'on-change', 'never'], 'on-change'),
    githubToken: s('github-token'),
    failOn: oneOf(get, 'fail-on', ['gate', 'never'], 'gate'),
    aggregatorRequired: bool(get, 'aggregator-required', false),
    resultsDir: s('results-dir') ?? 'medvlm-bench-results',
  };
  checkCombinations(inputs);
  return inputs;
}

function checkCombinations(i: ActionInputs): void {
  if (!i.mergeShards && !i.endpoint && !i.serveCommand) {
    throw new UserError('input `endpoint` is required (or `serve-command` to start the model server, or `merge-shards` for a fan-in job)');
  }
  if (!i.mergeShards && !i.model) throw new UserError('input `model` is required: the model name the endpoint serves');
  if (i.mergeShards && i.shard) throw new UserError('inputs `shard` and `merge-shards` cannot be combined: run shards in one job, merge in another');
  if (i.aggregatorAuth === 'token' && i.aggregatorUrl && !i.aggregatorToken) {
    throw new UserError('input `aggregator-token` is required when `aggregator-auth: token`');
  }
  if (i.judge && i.protocol !== 'full') throw new UserError('inputs `judge-endpoint`/`judge-model` need `protocol: full` (the other protocols have no open-ended items)');
  if (i.aggregatorRequired && !i.aggregatorUrl) throw new UserError('`aggregator-required: true` needs `aggregator-url`');
}

function oneOf<T extends string>(get: GetInput, name: string, allowed: readonly T[], fallback: T): T {
  const v = get(name).trim();
  if (v === '') return fallback;
  if (!(allowed as readonly string[]).includes(v)) throw new UserError(`input \`${name}\`: '${v}' is not one of ${allowed.join(', ')}`);
  return v as T;
}

function int(get: GetInput, name: string, fallback: number, min: number, max: number): number {
  const v = get(name).trim();
  if (v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new UserError(`input \`${name}\`: '${v}' must be an integer from ${min} to ${max}`);
  return n;
}

function bool(get: GetInput, name: string, fallback: boolean): boolean {
  const v = get(name).trim().toLowerCase();
  if (v === '') return fallback;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new UserError(`input \`${name}\`: '${v}' must be true or false`);
}

function url(get: GetInput, name: string): string | null {
  const v = get(name).trim();
  if (v === '') return null;
  try {
    const u = new URL(v);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('scheme');
    return v.replace(/\/+$/, '');
  } catch {
    throw new UserError(`input \`${name}\`: '${v}' is not an http(s) URL`);
  }
}

function judge(get: GetInput): ActionInputs['judge'] {
  const endpoint = url(get, 'judge-endpoint');
  const model = get('judge-model').trim() || null;
  const apiKey = get('judge-api-key').trim() || null;
  if (!endpoint && !model) return null;
  if (!endpoint || !model) throw new UserError('inputs `judge-endpoint` and `judge-model` go together');
  return { endpoint, model, apiKey };
}

function baseline(get: GetInput): BaselineSpec {
  const v = get('baseline');
  const spec = parseBaselineSpec(v);
  if (!spec) throw new UserError(`input \`baseline\`: '${v.trim()}' must be merge-base, sha:<commit>, ref:<branch> or run:<id>`);
  return spec;
}
