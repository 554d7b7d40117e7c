/**
 * Client of the aggregator worker's API: upload a run (OIDC or API token), and find the baseline run to gate against.
 * Baseline search: the run at the PR's merge-base with the same model label and dataset fingerprints; else the base
 * branch's latest such run (stated); else none (absolute gates only, stated). All over injected `fetch`.
 */
import { CompareResult } from '../../../schemas/compare.js';
import { RunResult } from '../../../schemas/results.js';

export interface AggregatorClient {
  baseUrl: string;
  fetch: typeof fetch;
  /** Authorization header value for reads on private deployments (uploads pass their own) */
  readAuth?: string | null;
  /** waits before each retry of a 5xx or unreachable answer (default RETRY_DELAYS_MS) */
  retryDelaysMs?: readonly number[];
}

/**
 * A 5xx (the worker's key set fetch failed, D1 busy, a deploy in progress) or no answer is retried after these
 * waits (plus up to 25% jitter). Uploads are idempotent: the same body again answers 200 with the same run id.
 */
export const RETRY_DELAYS_MS = [1_000, 4_000, 10_000] as const;

export class AggregatorError extends Error {
  constructor(message: string, readonly status: number | null) {
    super(message);
    this.name = 'AggregatorError';
  }
}

export interface UploadResult { id: string; url: string | null; created: boolean }

/** `bearer` null sends no Authorization header: only for a local worker run with ALLOW_UNAUTHENTICATED_UPLOADS. */
export async function uploadRun(client: AggregatorClient, run: RunResult, bearer: string | null): Promise<UploadResult> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (bearer !== null) headers.authorization = `Bearer ${bearer}`;
  const res = await call(client, '/api/v1/runs', { method: 'POST', headers, body: JSON.stringify(run) });
  const body = (await res.json()) as { id?: unknown; url?: unknown };
  if (typeof body.id !== 'string') throw new AggregatorError('upload response has no run id', res.status);
  return { id: body.id, url: typeof body.url === 'string' ? body.url : null, created: res.status === 201 };
}

/** How to choose the baseline (the `baseline` input). */
export type BaselineSpec =
  | { kind: 'merge-base' }
  | { kind: 'sha'; sha: string }
  | { kind: 'ref'; ref: string }
  | { kind: 'run'; id: string };

export interface Baseline {
  run: RunResult | null;
  id: string | null;
  /** one sentence for the report */
  note: string;
}

interface RunSummaryLike { id: string; commit: string | null; ref: string | null; model: string; checkpoint: string | null; status?: string }

/**
 * Newest complete run at `sha` (or on `ref`) whose model name and checkpoint label equal the head's and whose
 * fingerprints cover the head's benchmarks. Candidates are checked newest first; at most `limit` are fetched.
 */
export async function findMatchingRun(
  client: AggregatorClient, head: RunResult, filter: { sha?: string; ref?: string }, limit = 10,
): Promise<{ run: RunResult; id: string } | null> {
  const [owner, repo] = (head.identity.repository ?? '/').split('/');
  const q = new URLSearchParams({ model: head.model.name, limit: String(limit) });
  if (filter.sha) q.set('sha', filter.sha);
  if (filter.ref) q.set('ref', filter.ref);
  const res = await call(client, `/api/v1/repos/${owner}/${repo}/runs?${q}`);
  const { runs } = (await res.json()) as { runs: RunSummaryLike[] };
  for (const summary of runs) {
    if (summary.status && summary.status !== 'complete') continue;
    if ((summary.checkpoint ?? summary.model) !== (head.model.checkpoint ?? head.model.name)) continue;
    if (summary.commit && summary.commit === head.identity.commit) continue; // never gate a commit against itself
    const run = await fetchRun(client, summary.id);
    if (sameFingerprints(head, run)) return { run, id: summary.id };
  }
  return null;
}

export async function fetchRun(client: AggregatorClient, id: string): Promise<RunResult> {
  const res = await call(client, `/api/v1/runs/${encodeURIComponent(id)}`);
  const body = (await res.json()) as Record<string, unknown>;
  // the worker returns the stored result, either bare or under `result`
  const parsed = RunResult.safeParse(body.result ?? body);
  if (!parsed.success) throw new AggregatorError(`run ${id} from the aggregator is not a valid result: ${parsed.error.issues[0]?.message}`, res.status);
  return parsed.data;
}

/** Every benchmark of the head that the candidate also has must carry the same fingerprint, and at least one must. */
/** The worker's paired comparison of two stored runs (GET /api/v1/compare), validated against the shared schema. */
export async function fetchCompare(
  client: AggregatorClient, base: string, head: string, opts: { margin: number; alpha: number },
): Promise<CompareResult> {
  const q = new URLSearchParams({ base, head, margin: String(opts.margin), alpha: String(opts.alpha) });
  const res = await call(client, `/api/v1/compare?${q}`);
  return CompareResult.parse(await res.json());
}

export function sameFingerprints(head: RunResult, base: RunResult): boolean {
  let shared = 0;
  for (const b of head.benchmarks) {
    const other = base.benchmarks.find((x) => x.id === b.id);
    if (!other) continue;
    if (other.fingerprint !== b.fingerprint || other.protocol !== b.protocol) return false;
    shared++;
  }
  return shared > 0;
}

export function parseBaselineSpec(s: string): BaselineSpec | null {
  const v = s.trim();
  if (v === '' || v === 'merge-base') return { kind: 'merge-base' };
  const m = /^(sha|ref|run):(.+)$/.exec(v);
  if (!m) return null;
  const value = m[2]!.trim();
  if (m[1] === 'sha') return /^[0-9a-f]{7,40}$/.test(value) ? { kind: 'sha', sha: value } : null;
  if (m[1] === 'ref') return { kind: 'ref', ref: value };
  return /^[A-Za-z0-9_-]{1,64}$/.test(value) ? { kind: 'run', id: value } : null;
}

/** Links into the worker's pages for the report and the outputs; the compare page judges with the gates' settings. */
export function aggregatorLinks(
  baseUrl: string, head: RunResult, headId: string | null, baseId: string | null,
  settings: { margin: number; alpha: number; mode: string },
) {
  const root = baseUrl.replace(/\/+$/, '');
  const repo = head.identity.repository;
  const model = encodeURIComponent(head.model.name);
  const commit = head.identity.commit && /^[0-9a-f]{7,40}$/.test(head.identity.commit) ? head.identity.commit : null;
  const q = new URLSearchParams({ margin: String(settings.margin), alpha: String(settings.alpha), mode: settings.mode });
  return {
    // the run page (identity, scores, fingerprints, compare links); the JSON API only when the repository is unknown
    run: headId ? (repo ? `${root}/${repo}/runs/${headId}` : `${root}/api/v1/runs/${headId}`) : null,
    compare: repo && headId && baseId ? `${root}/${repo}/compare/${baseId}...${headId}?${q}` : null,
    badge: repo ? `${root}/badge/${repo}.svg?model=${model}` : null,
    chart: repo ? `${root}/chart/${repo}.svg?model=${model}` : null,
    // a matrix over checkpoints uploads several labels at one commit: their training curve
    curve: repo && headId && commit && hasCheckpointLabel(head) ? `${root}/curve/${repo}.svg?commit=${commit}` : null,
  };
}

/** A checkpoint label of its own (the runner defaults the label to the model name, which names no checkpoint). */
function hasCheckpointLabel(run: RunResult): boolean {
  return run.model.checkpoint !== null && run.model.checkpoint !== run.model.name;
}

async function call(client: AggregatorClient, path: string, init: RequestInit = {}): Promise<Response> {
  const delays = client.retryDelaysMs ?? RETRY_DELAYS_MS;
  for (let attempt = 0; ; attempt++) {
    try {
      return await callOnce(client, path, init);
    } catch (e) {
      const retryable = e instanceof AggregatorError && (e.status === null || e.status >= 500);
      if (!retryable || attempt >= delays.length) throw e;
      await new Promise((r) => setTimeout(r, delays[attempt]! * (1 + Math.random() / 4)));
    }
  }
}

async function callOnce(client: AggregatorClient, path: string, init: RequestInit): Promise<Response> {
  const url = `${client.baseUrl.replace(/\/+$/, '')}${path}`;
  const headers = new Headers(init.headers);
  if (client.readAuth && !headers.has('authorization')) headers.set('authorization', client.readAuth);
  let res: Response;
  try {
    res = await client.fetch(url, { ...init, headers, signal: AbortSignal.timeout(30_000) });
  } catch (e) {
    const cause = (e as Error).cause;
    const why = cause instanceof Error ? cause.message : (e as Error).message;
    throw new AggregatorError(`aggregator unreachable at ${client.baseUrl}: ${why}`, null);
  }
  if (!res.ok) {
    const text = await res.text().catch(() => '');
    let detail = text.slice(0, 300);
    try {
      const j = JSON.parse(text) as { error?: { code?: string; message?: string } };
      if (j.error?.message) detail = `${j.error.code ?? 'error'}: ${j.error.message}`;
    } catch { /* not JSON: keep the text */ }
    throw new AggregatorError(`${init.method ?? 'GET'} ${path} → ${res.status} ${detail}`, res.status);
  }
  return res;
}
