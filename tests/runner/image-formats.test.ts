/**
 * Issue 11 case 8: images a server cannot take. Ollama refuses anything but JPEG/PNG/WebP ("invalid image input"),
 * llama.cpp cannot decode WebP or TIFF; the runner detects the server and converts those images to PNG (same pixels),
 * keeps the original bytes' SHA-256 in the fingerprint, records the conversion in results.json, and refuses DICOM
 * with a clear error. `inspect` lists each benchmark's image formats.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { runEvaluation, type RunOptions } from '../../action/src/runner/run.js';
import { parseImageFormats } from '../../action/src/runner/images/formats.js';
import { UserError } from '../../action/src/core/errors.js';
import type { EmulatorServer, SeenRequest } from '../helpers/servers/base.js';
import { startLlamaCpp } from '../helpers/servers/llamacpp.js';
import { startOllama } from '../helpers/servers/ollama.js';
import { startEmulator } from '../helpers/servers/base.js';
import { spawnCli } from '../cli/cli-helpers.js';
import { writeManifest, type Manifest } from './server-fixtures.js';

let servers: EmulatorServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function run(server: EmulatorServer, m: Manifest, over: Partial<RunOptions> = {}) {
  const log: string[] = [];
  const out = await runEvaluation({ endpoint: `${server.url}/v1`, model: 'test-model', benchmarks: 'custom', manifest: m.manifest, outDir: m.out,
    env: {}, cwd: m.dir, ...over }, { fetch, now: Date.now, log: (l) => log.push(l) });
  return { ...out, log };
}

/** MIME types of the data URLs a server received, and the decoded images by item prompt. */
function sentImages(server: EmulatorServer): Array<{ mime: string; bytes: Buffer; prompt: string }> {
  return server.chats().flatMap((r: SeenRequest) => {
    const content = ((r.json?.messages as Array<{ content: unknown }>)?.[0]?.content ?? []) as Array<{ type: string; text?: string; image_url?: { url: string } }>;
    if (!Array.isArray(content)) return [];
    const prompt = content.filter((c) => c.type === 'text').map((c) => c.text).join('\n');
    return content.filter((c) => c.type === 'image_url').map((c) => {
      const m = /^data:([^;]*);base64,(.*)$/s.exec(c.image_url!.url)!;
      return { mime: m[1]!, bytes: Buffer.from(m[2]!, 'base64'), prompt };
    });
  });
}

const pixels = async (bytes: Buffer | Uint8Array) => (await sharp(bytes).removeAlpha().raw().toBuffer()).toString('hex');

describe('converting images the server cannot take', () => {
  it('Ollama: TIFF and GIF go as PNG with the same pixels, the run has 0 errors, results.json records it', async () => {
    const m = await writeManifest(10, ['png', 'jpeg', 'webp', 'tiff', 'gif']);
    const server = await startOllama();
    servers.push(server);
    const { result, log } = await run(server, m);
    expect(result.benchmarks[0]!.counts.errors).toBe(0);
    const sent = sentImages(server);
    expect(new Set(sent.map((s) => s.mime))).toEqual(new Set(['image/png', 'image/jpeg', 'image/webp']));
    expect(result.imageConversions).toEqual([{ from: 'image/gif', to: 'image/png', images: 2 }, { from: 'image/tiff', to: 'image/png', images: 2 }]);
    // the TIFF of item q3 arrived as a PNG of the same pixels (decoded independently with sharp)
    const q3 = sent.find((s) => s.prompt.includes('finding 3 '))!;
    expect(q3.mime).toBe('image/png');
    expect(await pixels(q3.bytes)).toBe(await pixels(readFileSync(m.images.get('q3')!)));
    expect(log.join('\n')).toMatch(/server: Ollama; images go as they are in jpeg, png, webp/);
  });

  it('the fingerprint is over the original bytes: equal to a run that converts nothing', async () => {
    const m = await writeManifest(5, ['png', 'webp', 'tiff']);
    const ollama = await startOllama();
    const permissive = await startEmulator({ modelCard: () => ({ owned_by: 'vllm' }) });
    servers.push(ollama, permissive);
    const converted = await run(ollama, m, { outDir: `${m.out}-a` });
    const asIs = await run(permissive, m, { outDir: `${m.out}-b` });
    expect(asIs.result.imageConversions).toBeUndefined();
    expect(new Set(sentImages(permissive).map((s) => s.mime))).toEqual(new Set(['image/png', 'image/webp', 'image/tiff']));
    expect(converted.result.benchmarks[0]!.fingerprint).toBe(asIs.result.benchmarks[0]!.fingerprint);
  });

  it('llama.cpp: WebP and TIFF are converted, JPEG/PNG/GIF go as they are', async () => {
    const m = await writeManifest(10, ['png', 'jpeg', 'webp', 'tiff', 'gif']);
    const server = await startLlamaCpp();
    servers.push(server);
    const { result } = await run(server, m);
    expect(result.benchmarks[0]!.counts.errors).toBe(0);
    expect(new Set(sentImages(server).map((s) => s.mime))).toEqual(new Set(['image/png', 'image/jpeg', 'image/gif']));
    expect(result.imageConversions!.map((c) => c.from)).toEqual(['image/tiff', 'image/webp']);
  });

  it('--image-formats overrides the detected server', async () => {
    const m = await writeManifest(4, ['png', 'webp']);
    const server = await startLlamaCpp();
    servers.push(server);
    const { result } = await run(server, m, { imageFormats: 'png,jpeg' });
    expect(result.benchmarks[0]!.counts.errors).toBe(0);
    expect(result.imageConversions).toEqual([{ from: 'image/webp', to: 'image/png', images: 2 }]);
    expect(() => parseImageFormats('png,heic')).toThrow(/--image-formats: unknown format heic/);
  });
});

describe('DICOM', () => {
  it('stops the run with a clear error naming the file, before it is sent', async () => {
    const m = await writeManifest(3, ['png', 'dicom']);
    const server = await startOllama();
    servers.push(server);
    const err = await run(server, m).then(() => null, (e: unknown) => e as UserError);
    expect(err).toBeInstanceOf(UserError);
    expect(err!.message).toMatch(/image .*q1\.dcm is a DICOM file; .*Convert it first/);
    expect(sentImages(server).some((s) => s.mime !== 'image/png')).toBe(false);
  });
});

describe('inspect lists the image formats', () => {
  it('counts distinct images per format, DICOM included', async () => {
    const m = await writeManifest(6, ['png', 'tiff', 'dicom']);
    const cli = spawnCli(['inspect', 'custom', '--manifest', m.manifest, '--json']);
    expect((await cli.exit).code, cli.stderr()).toBe(0);
    const j = JSON.parse(cli.stdout()) as { imageFormats: Record<string, number> };
    expect(j.imageFormats).toEqual({ 'image/png': 2, 'image/tiff': 2, 'application/dicom': 2 });
  });
});
