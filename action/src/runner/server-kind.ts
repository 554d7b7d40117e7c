/**
 * Which server is behind the endpoint, from what each one says about itself (read from their sources):
 * `/v1/models` entries carry `owned_by` "vllm" (vLLM), "sglang" (SGLang), "lmdeploy" (LMDeploy), "llamacpp"
 * (llama.cpp server); Ollama answers `GET /api/version` with `{"version": …}`; TGI answers `GET /info` with
 * `router: "text-generation-router"`; api.openai.com is OpenAI. Used to pick the image formats to convert
 * (images/formats.ts) when --image-formats is not given; anything else is "unknown".
 */
import { modelsUrl } from './http/client.js';
import { ALL_FORMATS, ImageConverter, SERVER_FORMATS, type ServerKind } from './images/formats.js';

export interface DetectOptions {
  endpoint: string;
  apiKey: string | null;
  fetch: typeof fetch;
  signal?: AbortSignal;
}

const OWNED_BY: Record<string, ServerKind> = { vllm: 'vllm', sglang: 'sglang', lmdeploy: 'lmdeploy', llamacpp: 'llamacpp' };

export async function detectServer(o: DetectOptions): Promise<ServerKind> {
  const base = modelsUrl(o.endpoint).replace(/\/models$/, '').replace(/\/v1$/, '');
  if (/(^|\.)openai\.com$/.test(new URL(base).hostname)) return 'openai';
  const models = await getJson(o, modelsUrl(o.endpoint)) as { data?: Array<{ owned_by?: unknown }> } | null;
  const owner = models?.data?.map((m) => String(m.owned_by ?? '')).find((x) => x in OWNED_BY);
  if (owner) return OWNED_BY[owner]!;
  const version = await getJson(o, `${base}/api/version`) as { version?: unknown } | null;
  if (typeof version?.version === 'string') return 'ollama';
  const info = await getJson(o, `${base}/info`) as { router?: unknown } | null;
  if (typeof info?.router === 'string' && info.router.includes('text-generation')) return 'tgi';
  return 'unknown';
}

export const SERVER_NAMES: Record<ServerKind, string> = {
  vllm: 'vLLM', sglang: 'SGLang', lmdeploy: 'LMDeploy', tgi: 'TGI', llamacpp: 'llama.cpp', ollama: 'Ollama', openai: 'OpenAI',
  unknown: 'an unrecognised server',
};

/** The converter for this run: --image-formats when given, else the formats of the server detected. */
export async function imageConverterFor(o: DetectOptions & { formats: readonly string[] | typeof ALL_FORMATS | null; log: (m: string) => void }): Promise<ImageConverter> {
  if (o.formats) return new ImageConverter(o.formats, 'the server (--image-formats)', o.log);
  const kind = await detectServer(o);
  const formats = SERVER_FORMATS[kind];
  const list = formats === ALL_FORMATS ? 'every format' : formats.map((m) => m.replace('image/', '')).join(', ');
  o.log(`server: ${SERVER_NAMES[kind]}; images go as they are in ${list}, others are converted to PNG (--image-formats to choose)`);
  return new ImageConverter(formats, SERVER_NAMES[kind], o.log);
}

async function getJson(o: DetectOptions, url: string): Promise<unknown> {
  try {
    const timeout = AbortSignal.timeout(5000);
    const res = await o.fetch(url, { headers: o.apiKey ? { authorization: `Bearer ${o.apiKey}` } : {}, signal: o.signal ? AbortSignal.any([timeout, o.signal]) : timeout });
    const text = await res.text();
    return res.ok ? JSON.parse(text) : null;
  } catch {
    return null; // no such route, not JSON: says nothing about the server
  }
}
