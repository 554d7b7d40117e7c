/**
 * Starts one server emulator as a command, so `medvlm-bench run --serve "…"` can start it like a real server:
 *
 *   node bin/run-ts.mjs tests/helpers/servers/cli.ts llamacpp --port 8080 [--model M] [--api-key-env VAR]
 *        [--load-ms MS] [--die-after N] [--exit-code C]
 *
 * `--load-ms` keeps a llama.cpp emulator "loading" that long (others start listening only after it, as vLLM, SGLang,
 * TGI and LMDeploy do: they bind the port once the model is loaded). `--die-after N` makes the process print a
 * CUDA-style error and exit with `--exit-code` (default 134) after N chat requests (a server crashing mid-run).
 * Prints `listening on URL` once it accepts connections; SIGTERM/SIGINT stop it.
 */
import { parseArgs } from 'node:util';
import type { EmulatorServer } from './base.js';

type Start = (o: { port: number; apiKey: string | null; model: string; loadMs: number }) => Promise<EmulatorServer>;

/** Emulators by name; each module exports its own start function (loaded lazily so a missing one fails alone). */
const STARTERS: Record<string, () => Promise<Start>> = {
  llamacpp: async () => (await import('./llamacpp.js')).startLlamaCpp,
  ollama: async () => {
    const m = await import('./ollama.js');
    return (o) => m.startOllama({ port: o.port, models: [o.model] });
  },
  lmdeploy: async () => (await import('./lmdeploy.js')).startLmDeploy,
  ...otherEmulators(),
};

/** vllm / sglang / tgi emulators (tests/helpers/servers/*.ts): a `start…` export taking `{port, apiKey, model}`; openai takes `models`. */
function otherEmulators(): Record<string, () => Promise<Start>> {
  const load = (name: string) => async (): Promise<Start> => {
    const m = (await import(`./${name}.js`)) as Record<string, unknown>;
    const fn = Object.entries(m).find(([k, v]) => /^start/.test(k) && typeof v === 'function')?.[1];
    if (!fn) throw new Error(`tests/helpers/servers/${name}.ts exports no start function`);
    return fn as Start;
  };
  const openai = async (): Promise<Start> => {
    const m = await import('./openai.js');
    return (o) => m.startOpenAi({ port: o.port, apiKey: o.apiKey ?? undefined, models: [o.model] });
  };
  return { vllm: load('vllm'), sglang: load('sglang'), tgi: load('tgi'), openai };
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      port: { type: 'string' }, model: { type: 'string' }, 'api-key-env': { type: 'string' }, 'load-ms': { type: 'string' },
      'die-after': { type: 'string' }, 'exit-code': { type: 'string' },
    },
  });
  const name = positionals[0] ?? '';
  const starter = STARTERS[name];
  if (!starter) {
    console.error(`usage: cli.ts ${Object.keys(STARTERS).join('|')} --port P [--model M] [--api-key-env VAR] [--load-ms MS] [--die-after N]`);
    process.exit(2);
  }
  const loadMs = Number(values['load-ms'] ?? 0);
  // servers other than llama.cpp bind their port only once the model is loaded
  if (name !== 'llamacpp' && loadMs > 0) await new Promise((r) => setTimeout(r, loadMs));
  const apiKey = values['api-key-env'] ? (process.env[values['api-key-env']] ?? null) : null;
  const server = await (await starter())({ port: Number(values.port ?? 0), apiKey, model: values.model ?? 'test-model', loadMs });
  console.log(`${name} emulator listening on ${server.url}`);
  const dieAfter = values['die-after'] ? Number(values['die-after']) : null;
  if (dieAfter !== null) watchForDeath(server, dieAfter, Number(values['exit-code'] ?? 134));
  const stop = (): void => void server.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

function watchForDeath(server: EmulatorServer, afterChats: number, code: number): void {
  const timer = setInterval(() => {
    if (server.stats.chat < afterChats) return;
    clearInterval(timer);
    console.error('CUDA error: an illegal memory access was encountered (emulated crash)');
    process.exit(code);
  }, 5);
}

await main();
