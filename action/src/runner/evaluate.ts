/**
 * The evaluation engine: for each task read the images, derive the cache key, answer from predictions.jsonl when
 * possible, else ask the endpoint (bounded concurrency, retries), score, optionally judge, append the record, and
 * report the outcome. Benchmark-agnostic: run.ts feeds it the suite's items and folds outcomes into results.
 */
import { buildTextBody, chatCompletionsUrl, modelsUrl, postChat, sha256Hex, type AttemptOutcome, type DecodingSettings } from './http/client.js';
import { ImageCache, type CachedImage } from './images/image-cache.js';
import { buildRequest } from './http/request-body.js';
import { buildJudgePrompt, JUDGE_PROMPT_VERSION, parseVerdict } from './judge.js';
import { runPool } from './pool.js';
import { defaultTransport, type Body, type Transport } from './http/transport.js';
import type { CachedPrediction, JudgeRecord, JudgeStamp, PredictionRecord, PredictionsFile } from './predictions.js';
import type { ProgressCounts, ProgressSink } from './progress.js';
import { ReachabilityCircuit, sendWithRetries, type RetryDeps, type RetryPolicy } from './retry.js';
import { DecodingAdapter } from './adapt.js';
import { Diagnostics, SerialServerDetector, type SystematicFailureError } from './diagnostics.js';
import { AdaptiveGate, type GateLimits, type ItemGateState } from './http/gate.js';
import type { ItemOutcome } from '../core/scoring/summary.js';
import type { EvalTask, Scored, Scorer } from './types.js';

/** Bump when the cache key's ingredients change meaning, so old predictions are not reused by mistake. */
const CACHE_KEY_VERSION = 2;

export interface EndpointConfig {
  endpoint: string;
  model: string;
  apiKey: string | null;
}

export interface EngineOptions extends EndpointConfig {
  /** checkpoint label and --serve command: with `vllm serve ./ckpt --served-model-name x` the model name stays the
   * same across checkpoints, so these are what tell two checkpoints' answers apart in the resume cache */
  checkpoint?: string | null;
  serveCommand?: string | null;
  decoding: DecodingSettings;
  protocol: string;
  concurrency: number;
  requestTimeoutMs: number;
  unreachableMs: number;
  retry: RetryPolicy;
  judge: EndpointConfig | null;
}

export interface EngineDeps {
  /** the global fetch selects the node:http transport (transport.ts); an injected fetch is used as given */
  fetch: typeof fetch;
  transport?: Transport;
  now: () => number;
  random: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  progress: ProgressSink;
  signal?: AbortSignal;
  /** image hashes and base64 text; one per evaluateTasks call (one run) unless given */
  imageCache?: ImageCache;
  /** fits requests to what the server takes (adapt.ts); one per run, made here unless given */
  adapter?: DecodingAdapter;
  /** error reasons, systematic-failure stop, reasoning-only answers, serial-server warning (diagnostics.ts) */
  diagnostics?: Diagnostics;
  /** rate-limit / 503 handling bounds (http/gate.ts) and where the gate reports what it does */
  gate?: Partial<GateLimits>;
  log?: (msg: string) => void;
}

export interface ItemResult {
  task: EvalTask;
  outcome: ItemOutcome;
  latencyMs: number;
  tokens: { prompt: number; completion: number };
  /** answered from predictions.jsonl, no request sent */
  cached: boolean;
}

export const JUDGE_DECODING: DecodingSettings = { temperature: 0, topP: null, maxTokens: 1024, seed: 0 };

type CacheKeyOptions = Pick<EngineOptions, 'model' | 'checkpoint' | 'serveCommand' | 'decoding' | 'protocol'>;

/** `prompt` is task.item.prompt, passed when the caller has it already (the suite builds it on each access). */
export function cacheKey(o: CacheKeyOptions, task: EvalTask, imageHashes: string[], prompt = task.item.prompt): string {
  const d = o.decoding;
  const serve = o.serveCommand ? sha256Hex(o.serveCommand) : null;
  const parts = [CACHE_KEY_VERSION, task.benchmark, task.item.sample.id, o.model, o.checkpoint ?? null, serve, prompt,
    imageHashes, [d.temperature, d.topP, d.maxTokens, d.seed], o.protocol, task.promptVersion];
  return sha256Hex(JSON.stringify(parts));
}

export async function evaluateTasks(
  tasks: Iterable<EvalTask> | AsyncIterable<EvalTask>,
  total: number,
  o: EngineOptions,
  deps: EngineDeps,
  store: PredictionsFile,
  score: Scorer,
  onResult: (r: ItemResult) => void,
): Promise<ProgressCounts> {
  const counts: ProgressCounts = { done: 0, total, errors: 0, unparsed: 0, cached: 0 };
  const transport = deps.transport ?? defaultTransport(deps.fetch, o.concurrency);
  const ctx = makeContext(o, deps, transport, deps.imageCache ?? new ImageCache());
  // a systematic failure (the same error item after item) stops the whole run, like SIGINT but with its reason
  const stop = new AbortController();
  deps.progress.start(total);
  try {
    await runPool(tasks, o.concurrency, async (task, signal) => {
      const r = await evaluateOne(task, ctx, store, score, signal);
      counts.done++;
      if (r.cached) counts.cached++;
      if (r.outcome.error) counts.errors++;
      if (r.outcome.unparsed) counts.unparsed++;
      onResult(r);
      deps.progress.update(counts);
      if (ctx.tripped && !stop.signal.aborted) stop.abort(ctx.tripped);
    }, deps.signal ? AbortSignal.any([deps.signal, stop.signal]) : stop.signal);
  } finally {
    if (!deps.transport) transport.close();
  }
  deps.progress.finish(counts);
  return counts;
}

type Context = ReturnType<typeof makeContext>;

function makeContext(o: EngineOptions, deps: EngineDeps, transport: Transport, images: ImageCache) {
  const url = chatCompletionsUrl(o.endpoint);
  const circuit = new ReachabilityCircuit(o.endpoint, o.unreachableMs, deps.now, livenessProbe(o.endpoint, o.apiKey, o, deps));
  const judgeUrl = o.judge ? chatCompletionsUrl(o.judge.endpoint) : null;
  const judgeCircuit = o.judge
    ? new ReachabilityCircuit(o.judge.endpoint, o.unreachableMs, deps.now, livenessProbe(o.judge.endpoint, o.judge.apiKey, o, deps))
    : null;
  // one admission gate per endpoint: adapts in-flight requests to 429s and pauses the run on 503s
  const gates = new Map<string, AdaptiveGate>();
  const gateOf = (target: string) => gates.get(target) ?? gates.set(target, new AdaptiveGate(o.concurrency, target, deps.log ?? (() => {}), deps.gate)).get(target)!;
  const send = (target: string, c: ReachabilityCircuit, key: string | null, body: Body | (() => Body), signal: AbortSignal, adapt?: RetryDeps['adapt']) => {
    let latencyMs = 0;
    let sentAt = 0;
    const gate = gateOf(target);
    const item: ItemGateState = { limitedSince: null };
    const attempt = async () => {
      const slot = gate.acquire(signal);
      if (slot) await slot;
      const startedAt = gate.now();
      const t0 = (sentAt = performance.now());
      let out: AttemptOutcome;
      try {
        out = await postChat(target, typeof body === 'function' ? body() : body, { transport, apiKey: key, timeoutMs: o.requestTimeoutMs, signal, now: deps.now });
      } finally {
        gate.release();
      }
      latencyMs = performance.now() - t0;
      return gate.observe(out, item, startedAt);
    };
    return sendWithRetries(target, attempt, o.retry, c, { sleep: deps.sleep, random: deps.random, signal, adapt })
      .then((r) => ({ ...r, latencyMs, sentAt }));
  };
  const adapter = deps.adapter ?? new DecodingAdapter(o.decoding, deps.log);
  const diagnostics = deps.diagnostics ?? new Diagnostics();
  const serial = new SerialServerDetector(o.concurrency, (m) => {
    diagnostics.warn(m);
    deps.log?.(`warning: ${m}`);
  });
  return { o, url, circuit, judgeUrl, judgeCircuit, send, images, adapter, diagnostics, serial, tripped: null as SystematicFailureError | null };
}

/** GET /v1/models: any HTTP status proves the server is up (a hung item is then the item's failure, not an outage). */
function livenessProbe(endpoint: string, apiKey: string | null, o: EngineOptions, deps: EngineDeps): () => Promise<boolean> {
  const url = modelsUrl(endpoint);
  const headers: Record<string, string> = apiKey ? { authorization: `Bearer ${apiKey}` } : {};
  return async () => {
    const timeout = AbortSignal.timeout(Math.max(1000, Math.min(10_000, o.requestTimeoutMs)));
    const signal = deps.signal ? AbortSignal.any([timeout, deps.signal]) : timeout;
    const res = await deps.fetch(url, { headers, signal });
    await res.arrayBuffer();
    return true;
  };
}

/** A model answer, fresh or from predictions.jsonl; a cached one reads its text from disk only when needed. */
interface Answer {
  text: () => string;
  requestHash: string;
  truncated: boolean;
  latencyMs: number;
  tokens: { prompt: number; completion: number };
  judge: JudgeStamp | null;
  /** the stored outcome of a cached line, when it was scored under the current rules and gold answer */
  scored: Scored | null;
}

/** Names the scoring rules and gold answer an outcome was computed under (null: the scorer gives no version). */
function scorerStamp(score: Scorer, task: EvalTask): string | null {
  return score.version ? outcomeStamp(score.version(task), task.item.kind, task.item.gold) : null;
}

/** The `scorer` field of a predictions.jsonl line scored under these rules (extraction id) for this item. */
export function outcomeStamp(rules: string, kind: string, gold: string): string {
  return sha256Hex(JSON.stringify([rules, kind, gold])).slice(0, 16);
}

function cachedAnswer(hit: CachedPrediction, stamp: string | null, store: PredictionsFile): Answer {
  const reuse = stamp !== null && hit.scorer === stamp;
  return {
    text: () => store.readResponse(hit),
    requestHash: hit.requestHash, truncated: hit.truncated, latencyMs: hit.latencyMs, tokens: hit.tokens, judge: hit.judge,
    scored: reuse ? { extracted: hit.extracted, correct: hit.correct, ...(hit.graded ? { graded: hit.graded } : {}) } : null,
  };
}

async function evaluateOne(task: EvalTask, ctx: Context, store: PredictionsFile, score: Scorer, signal: AbortSignal): Promise<ItemResult> {
  const { o } = ctx;
  const refs = task.item.sample.images;
  const images = refs.length === 1 ? [await ctx.images.get(refs[0]!)] : await Promise.all(refs.map((ref) => ctx.images.get(ref)));
  const prompt = task.item.prompt;
  const key = cacheKey(o, task, images.map((im) => im.sha256), prompt);
  const stamp = scorerStamp(score, task);
  const hit = store.cache.get(key);
  const fresh = hit ? null : await askModel(prompt, images, ctx, signal);
  const answer: Answer | null = hit ? cachedAnswer(hit, stamp, store) : fresh!.answer;
  const base = answer === null ? score(task, { content: '' }) : (answer.scored ?? score(task, { content: answer.text(), truncated: answer.truncated }));
  const outcome: ItemOutcome = {
    present: true,
    correct: answer ? base.correct : false,
    unparsed: answer ? base.extracted === null : false,
    error: answer === null,
    truncated: answer?.truncated ?? false,
  };
  let judge: JudgeRecord | JudgeStamp | null = answer?.judge ?? null;
  const needsJudge = o.judge !== null && task.item.kind === 'open' && answer !== null && !judgeMatches(judge, o.judge.model);
  if (needsJudge) judge = await askJudge(task, answer.text(), ctx, signal);
  const graded: Record<string, number | null> = { ...(base.graded ?? {}) };
  if (o.judge && task.item.kind === 'open') graded.open_judge_accuracy = answer === null ? 0 : judgeScore(judge);
  if (Object.keys(graded).length > 0) outcome.graded = graded;
  if (fresh || needsJudge) {
    store.append({
      benchmark: task.benchmark, id: task.item.sample.id, index: task.item.index, key,
      ...questionTypeOf(task.item.sample),
      requestHash: fresh?.requestHash ?? answer?.requestHash ?? '',
      response: answer?.text() ?? null, reasoning: fresh?.reasoning ?? null, extracted: base.extracted, how: answer ? (base.how ?? null) : null,
      correct: outcome.correct, graded: base.graded ?? null, scorer: answer ? stamp : null,
      truncated: outcome.truncated, error: fresh?.error ?? null,
      latencyMs: answer?.latencyMs ?? 0, attempts: fresh?.attempts ?? 0,
      tokens: answer?.tokens ?? { prompt: 0, completion: 0 }, judge: judge && { raw: null, ...judge },
    });
  }
  return {
    task,
    outcome,
    latencyMs: answer?.latencyMs ?? 0,
    tokens: answer?.tokens ?? { prompt: 0, completion: 0 },
    cached: hit !== undefined,
  };
}

async function askModel(prompt: string, images: CachedImage[], ctx: Context, signal: AbortSignal) {
  // built and hashed once per settings; every retry sends the same bytes, an adaptation (adapt.ts) builds anew
  let sent = ctx.adapter.settings;
  let body = buildRequest(ctx.o.model, prompt, images, sent);
  const adapt = (out: Parameters<NonNullable<RetryDeps['adapt']>>[0]): boolean => {
    const next = ctx.adapter.onRefusal(out, sent);
    if (next) body = buildRequest(ctx.o.model, prompt, images, (sent = next));
    return next !== null;
  };
  const r = await ctx.send(ctx.url, ctx.circuit, ctx.o.apiKey, () => body.chunks, signal, adapt);
  const requestHash = body.sha256;
  if (!r.ok) {
    // 429s are the admission gate's business (rate limits pass); everything else repeating item after item stops the run
    ctx.tripped ??= ctx.diagnostics.item(r.error, { countsForStreak: r.failure.status !== 429 });
    return { requestHash, answer: null, error: r.error, attempts: r.attempts, reasoning: null };
  }
  ctx.diagnostics.item(null);
  ctx.adapter.answered(sent);
  ctx.serial.answered(r.sentAt, r.latencyMs);
  if (r.reply.content.trim() === '' && r.reply.reasoning) ctx.diagnostics.reasoningOnly++;
  const content = r.reply.content;
  const answer: Answer = {
    text: () => content,
    truncated: r.reply.truncated,
    latencyMs: Math.round(r.latencyMs * 10) / 10,
    tokens: r.reply.usage,
    judge: null,
    requestHash,
    scored: null,
  };
  return { requestHash, answer, error: null, attempts: r.attempts, reasoning: r.reply.reasoning };
}

function judgeMatches(j: JudgeStamp | null, model: string): boolean {
  return j !== null && j.model === model && j.promptVersion === JUDGE_PROMPT_VERSION && j.verdict !== null;
}

function judgeScore(j: JudgeStamp | null): number | null {
  return j === null || j.verdict === null ? null : j.verdict ? 1 : 0;
}

async function askJudge(task: EvalTask, response: string, ctx: Context, signal: AbortSignal): Promise<JudgeRecord> {
  const judge = ctx.o.judge!;
  const body = buildTextBody(judge.model, buildJudgePrompt(task.item.sample.question, task.item.gold, response), JUDGE_DECODING);
  const r = await ctx.send(ctx.judgeUrl!, ctx.judgeCircuit!, judge.apiKey, body, signal);
  const raw = r.ok ? r.reply.content : null;
  return { model: judge.model, promptVersion: JUDGE_PROMPT_VERSION, verdict: raw === null ? null : parseVerdict(raw), raw };
}

/**
 * The item's question type with its source and, when the classifier gave it, P(reasoning) (how sure the label is).
 * Read from the full Sample the task carries (EvalItem types only what the runner itself needs).
 */
function questionTypeOf(sample: object): Pick<PredictionRecord, 'questionType' | 'questionTypeSource' | 'questionTypeProbability'> {
  const s = sample as { questionType?: unknown; metadata?: Record<string, unknown> };
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  const p = s.metadata?.questionTypeProbability;
  return {
    questionType: str(s.questionType),
    questionTypeSource: str(s.metadata?.questionTypeSource),
    questionTypeProbability: typeof p === 'number' ? p : null,
  };
}
