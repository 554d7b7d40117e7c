/**
 * Where a `--serve`d server will listen when no --endpoint is given: each server has its own default port (vLLM 8000,
 * SGLang 30000, LMDeploy 23333, Ollama 11434, llama.cpp 8080, TGI's launcher 3000), and a port named in the command
 * wins. Polling vLLM's 8000 for an SGLang server would wait the whole --serve-timeout and then blame model loading.
 */

export interface ServedPort {
  port: number;
  /** why this port, for the log: "--port in the command", "SGLang's default", … */
  reason: string;
}

/** Default ports from each server's own CLI (the port flag's default in its argument parser). */
const DEFAULTS: Array<{ re: RegExp; port: number; name: string }> = [
  { re: /\bsglang\b/i, port: 30000, name: 'SGLang' },
  { re: /\blmdeploy\b/i, port: 23333, name: 'LMDeploy' },
  { re: /\bollama\b/i, port: 11434, name: 'Ollama' },
  { re: /\bllama[-_.]?(server|cpp)\b/i, port: 8080, name: 'llama.cpp' },
  { re: /\btext-generation-(launcher|inference)\b/i, port: 3000, name: 'TGI' },
  { re: /\bvllm\b/i, port: 8000, name: 'vLLM' },
];

export const FALLBACK_PORT = 8000;

/** The host port a command will listen on, when it can be read from the command. */
export function portInCommand(command: string): ServedPort | null {
  // docker run -p HOST:CONTAINER (or --publish): the host side is what the runner reaches
  const publish = /(?:^|\s)(?:-p|--publish)[=\s]+(?:[\d.]+:)?(\d+):\d+/.exec(command);
  if (publish) return { port: Number(publish[1]), reason: 'the -p HOST:CONTAINER mapping in the command' };
  const flag = /(?:^|\s)--(?:server-)?port[=\s]+(\d+)/.exec(command);
  if (flag) return { port: Number(flag[1]), reason: 'the --port flag in the command' };
  const ollamaHost = /\bOLLAMA_HOST=\S*?:(\d+)/.exec(command);
  if (ollamaHost) return { port: Number(ollamaHost[1]), reason: 'OLLAMA_HOST in the command' };
  return null;
}

export function servedPort(command: string): ServedPort {
  const named = portInCommand(command);
  if (named) return named;
  const known = DEFAULTS.find((d) => d.re.test(command));
  if (known) return { port: known.port, reason: `${known.name}'s default port` };
  return { port: FALLBACK_PORT, reason: 'no port in the command; vLLM\'s default' };
}

/** The endpoint implied by `--serve COMMAND` without `--endpoint`. */
export function servedEndpoint(command: string): string {
  return `http://127.0.0.1:${servedPort(command).port}/v1`;
}

/** A note when the command names a port other than the endpoint's (the runner would wait on the wrong one). */
export function portMismatch(command: string, endpoint: string): string | null {
  const named = portInCommand(command);
  if (!named) return null;
  const u = new URL(endpoint);
  const port = Number(u.port || (u.protocol === 'https:' ? 443 : 80));
  if (port === named.port) return null;
  return `note: --serve names port ${named.port} (${named.reason}) but --endpoint uses port ${port}; the runner waits on ${port}`;
}
