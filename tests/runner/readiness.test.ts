/**
 * Issue 11 cases 4 and 5 at the preflight: "ready" means the server's health endpoint says so, or a real minimal chat
 * completion is answered — not that /v1/models answers (llama.cpp lists models while loading). The probe sends the
 * API key, and 401/403 stop at once with a message that says what is wrong with the key.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { checkEndpoint, healthUrl, type PreflightOptions } from '../../action/src/runner/preflight.js';
import { sleep } from '../../action/src/runner/retry.js';
import { UserError } from '../../action/src/core/errors.js';
import type { EmulatorServer } from '../helpers/servers/base.js';
import { startLlamaCpp } from '../helpers/servers/llamacpp.js';
import { startLmDeploy } from '../helpers/servers/lmdeploy.js';
import { startOllama } from '../helpers/servers/ollama.js';

let servers: EmulatorServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});
const keep = <T extends EmulatorServer>(s: T): T => (servers.push(s), s);

function preflight(endpoint: string, over: Partial<PreflightOptions> = {}): { run: () => Promise<void>; log: string[] } {
  const log: string[] = [];
  const o: PreflightOptions = { endpoint, model: 'test-model', apiKey: null, unreachableMs: 3000, fetch, now: Date.now, sleep,
    log: (m) => log.push(m), pollMs: 100, ...over };
  return { run: () => checkEndpoint(o), log };
}
const failure = (p: Promise<void>) => p.then(() => null, (e: unknown) => e as UserError);

describe('readiness: a server that is still loading', () => {
  it('llama.cpp: /v1/models is 200 while loading, but the preflight waits for /health and sends no chat request', async () => {
    const server = keep(await startLlamaCpp({ loadMs: 1200 }));
    expect((await fetch(`${server.url}/v1/models`)).status).toBe(200); // the trap: listed while loading
    const t0 = Date.now();
    const p = preflight(`${server.url}/v1`);
    await p.run();
    expect(Date.now() - t0).toBeGreaterThan(900);
    expect(server.loading()).toBe(false);
    expect(p.log.join('\n')).toMatch(/HTTP 503 \(Loading model\): the model is still loading; waiting up to 900 s/);
    expect(server.chats()).toHaveLength(0);
  });

  it('stops with the server message when it is still loading after the bound', async () => {
    const server = keep(await startLlamaCpp({ loadMs: 600_000 }));
    const err = await failure(preflight(server.url, { readyMs: 400 }).run());
    expect(err).toBeInstanceOf(UserError);
    expect(err!.exitCode).toBe(3);
    expect(err!.message).toMatch(/still answered HTTP 503 \(Loading model\) after 0 s; the model did not finish loading \(raise --serve-timeout/);
  });

  it('Ollama has no /health: a one-token chat completion is the probe', async () => {
    const server = keep(await startOllama());
    await preflight(`${server.url}/v1`).run();
    const chats = server.chats();
    expect(chats).toHaveLength(1);
    expect(chats[0]!.json).toMatchObject({ model: 'test-model', max_tokens: 1, stream: false });
  });

  it('Ollama without the model pulled: stops before the run with Ollama\'s own message', async () => {
    const server = keep(await startOllama({ models: ['llava:7b'] }));
    const err = await failure(preflight(server.url, { model: 'medgemma:4b' }).run());
    expect(err!.exitCode).toBe(3);
    expect(err!.message).toContain('model "medgemma:4b" not found, try pulling it first');
  });

  it('names the health URL next to /v1, keeping a path prefix', () => {
    expect(healthUrl('http://h:8080/v1')).toBe('http://h:8080/health');
    expect(healthUrl('http://h:8080')).toBe('http://h:8080/health');
    expect(healthUrl('https://gw.example/proxy/v1/chat/completions')).toBe('https://gw.example/proxy/health');
  });
});

describe('readiness: the API key', () => {
  it('LMDeploy --api-keys: no key stops at once, saying a key is required', async () => {
    const server = keep(await startLmDeploy({ apiKey: 'sk-right' }));
    const t0 = Date.now();
    const err = await failure(preflight(server.url).run());
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(err!.exitCode).toBe(3);
    expect(err!.message).toMatch(/answered HTTP 401 .*the server requires an API key; pass it with --api-key-env VAR/);
  });

  it('a wrong key stops at once, saying the key was refused', async () => {
    const server = keep(await startLmDeploy({ apiKey: 'sk-right' }));
    const err = await failure(preflight(server.url, { apiKey: 'sk-wrong' }).run());
    expect(err!.message).toMatch(/HTTP 401 .*the server refused the API key given with --api-key-env/);
  });

  it('the right key is sent on every probe and the preflight passes', async () => {
    const server = keep(await startLmDeploy({ apiKey: 'sk-right' }));
    await preflight(server.url, { apiKey: 'sk-right' }).run();
    const guarded = server.requests.filter((r) => r.path.startsWith('/v1/'));
    expect(guarded.length).toBeGreaterThan(0);
    expect(guarded.every((r) => r.headers.authorization === 'Bearer sk-right')).toBe(true);
  });
});
