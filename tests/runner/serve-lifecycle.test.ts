/**
 * Issue 11 cases 5 and 7: `--serve` against emulators started as real commands. The served endpoint's port follows
 * the server (not always vLLM's 8000); the readiness probe sends the key and a refused key stops at once; a server
 * that dies mid-run stops the run at once with its exit code and log tail; `--serve-stop` stops what the process
 * group cannot (a `docker run` container, played here by a process in its own session).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServedModel } from '../../action/src/runner/serve.js';
import { portMismatch, servedEndpoint, servedPort } from '../../action/src/runner/serve-endpoint.js';
import { UserError } from '../../action/src/core/errors.js';
import { isAlive, spawnCli, waitFor } from '../cli/cli-helpers.js';
import { closedPort } from './helpers.js';
import { emulatorCommand, writeManifest } from './server-fixtures.js';

const quiet = { fetch: globalThis.fetch, log: () => {} };

describe('the served endpoint follows the server', () => {
  it.each([
    ['python -m sglang.launch_server --model-path m', 30000],
    ['lmdeploy serve api_server ./m', 23333],
    ['ollama serve', 11434],
    ['llama-server -m m.gguf', 8080],
    ['text-generation-launcher --model-id m', 3000],
    ['vllm serve m', 8000],
    ['vllm serve m --port 9001', 9001],
    ['lmdeploy serve api_server ./m --server-port 24000', 24000],
    ['docker run --rm --gpus all -p 8123:8000 vllm/vllm-openai --model m', 8123],
    ['OLLAMA_HOST=127.0.0.1:11500 ollama serve', 11500],
    ['./my-server', 8000],
  ])('%s → port %i', (command, port) => {
    expect(servedPort(command).port).toBe(port);
    expect(servedEndpoint(command)).toBe(`http://127.0.0.1:${port}/v1`);
  });

  it('notes a command port that differs from --endpoint', () => {
    expect(portMismatch('vllm serve m --port 9001', 'http://127.0.0.1:8000/v1')).toMatch(/names port 9001 .* but --endpoint uses port 8000/);
    expect(portMismatch('vllm serve m --port 9001', 'http://127.0.0.1:9001/v1')).toBeNull();
  });
});

describe('--serve readiness sends the API key', () => {
  process.env.EMU_KEY = 'sk-right'; // the served emulator reads its --api-keys from here
  it('LMDeploy started with --api-keys and a wrong key: stops at once (not after --serve-timeout), naming the key', async () => {
    const m = await writeManifest(1);
    const port = await closedPort();
    const t0 = Date.now();
    const err = await startServedModel({ ...quiet, command: emulatorCommand('lmdeploy', port, '--api-key-env EMU_KEY'),
      endpoint: `http://127.0.0.1:${port}/v1`, logPath: path.join(m.dir, 'serve.log'), readyTimeoutMs: 120_000, apiKey: 'sk-wrong',
    }).then(() => null, (e: unknown) => e as UserError);
    expect(Date.now() - t0).toBeLessThan(20_000);
    expect(err).toBeInstanceOf(UserError);
    expect(err!.exitCode).toBe(3);
    expect(err!.message).toMatch(/\/v1\/models answered HTTP 401 .*refused the API key given with --api-key-env/);
  }, 60_000);

  it('with the right key the server is ready and stop() ends it', async () => {
    const m = await writeManifest(1);
    const port = await closedPort();
    const served = await startServedModel({ ...quiet, command: emulatorCommand('lmdeploy', port, '--api-key-env EMU_KEY'),
      endpoint: `http://127.0.0.1:${port}/v1`, logPath: path.join(m.dir, 'serve.log'), readyTimeoutMs: 60_000, apiKey: 'sk-right' });
    expect(served.died.aborted).toBe(false);
    await served.stop();
    expect(isAlive(served.pid)).toBe(false);
    expect(served.died.aborted).toBe(false); // stopped by us: not a death
  }, 60_000);
});

describe('--serve: a server that dies mid-run', () => {
  it('stops the run at once with its exit code and the tail of its log (not after the 60 s unreachable bound)', async () => {
    const m = await writeManifest(40);
    const port = await closedPort();
    const t0 = Date.now();
    const cli = spawnCli(['run', '--serve', emulatorCommand('llamacpp', port, '--die-after 5 --exit-code 134'), '--model', 'test-model',
      '--benchmarks', 'custom', '--manifest', m.manifest, '--out', m.out, '--concurrency', '1']);
    const { code } = await cli.exit;
    expect(code, cli.stderr()).toBe(3);
    expect(Date.now() - t0).toBeLessThan(30_000);
    expect(cli.stderr()).toMatch(/the server \(pid \d+\) exited \(code 134\) during the run/);
    expect(cli.stderr()).toContain('CUDA error: an illegal memory access');
    expect(cli.stderr()).toContain(`--serve: started '${emulatorCommand('llamacpp', port, '--die-after 5 --exit-code 134')}'`);
  }, 60_000);
});

describe('--serve-stop', () => {
  /** Like `docker run`: the "container" lives in its own session, so signalling the process group misses it. */
  const dockerLike = (port: number, cid: string) => `setsid ${emulatorCommand('llamacpp', port)} & echo $! > ${cid}; wait`;

  it('runs the stop command at the end, so a server outside the process group is stopped too', async () => {
    const m = await writeManifest(3);
    const port = await closedPort();
    const cid = path.join(m.dir, 'cid');
    const cli = spawnCli(['run', '--serve', dockerLike(port, cid), '--serve-stop', `kill "$(cat ${cid})"`, '--endpoint', `http://127.0.0.1:${port}/v1`,
      '--model', 'test-model', '--benchmarks', 'custom', '--manifest', m.manifest, '--out', m.out]);
    const { code } = await cli.exit;
    expect(code, cli.stderr()).toBe(0);
    const container = Number(readFileSync(cid, 'utf8'));
    await waitFor(() => !isAlive(container), 5000, 'the stand-in container to stop');
    expect(existsSync(path.join(m.out, 'results.json'))).toBe(true);
  }, 60_000);

  it('without it the stand-in container outlives the run (why the flag exists)', async () => {
    const m = await writeManifest(2);
    const port = await closedPort();
    const cid = path.join(m.dir, 'cid');
    const cli = spawnCli(['run', '--serve', dockerLike(port, cid), '--endpoint', `http://127.0.0.1:${port}/v1`,
      '--model', 'test-model', '--benchmarks', 'custom', '--manifest', m.manifest, '--out', m.out]);
    expect((await cli.exit).code, cli.stderr()).toBe(0);
    const container = Number(readFileSync(cid, 'utf8'));
    expect(isAlive(container)).toBe(true);
    process.kill(container, 'SIGTERM');
    writeFileSync(cid, '');
  }, 60_000);
});
