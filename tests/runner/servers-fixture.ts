/**
 * Shared by tests/runner/servers-*.test.ts: a custom-benchmark manifest of two-option items (gold A for even items,
 * B for odd ones) with one JPEG each, some items with several images, and quiet run options against an emulator.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { RunOptions } from '../../action/src/runner/run-options.js';
import type { PredictionRecord } from '../../action/src/runner/predictions.js';
import { jpeg, tempDir, writeTree } from '../core/data/fixtures.js';
import { imageCount, promptTokens, type SeenRequest } from '../helpers/servers/base.js';

export interface ManifestOptions {
  n: number;
  /** item index → number of images (default 1) */
  images?: (i: number) => number;
  /** item index → extra question text (varies the prompt length) */
  pad?: (i: number) => string;
}

export function writeManifest(o: ManifestOptions): string {
  const files: Record<string, string | Uint8Array> = {};
  const lines = Array.from({ length: o.n }, (_, i) => {
    const k = o.images?.(i) ?? 1;
    const images = Array.from({ length: k }, (_, j) => `img-${i}-${j}.jpg`);
    for (const im of images) files[im] = jpeg(im);
    return JSON.stringify({
      id: `q${i}`, question: `Question ${i}: which side is the lesion on?${o.pad?.(i) ?? ''}`,
      options: { A: 'left', B: 'right' }, answer: i % 2 === 0 ? 'A' : 'B', images,
    });
  });
  files['manifest.jsonl'] = `${lines.join('\n')}\n`;
  return path.join(writeTree(tempDir('medvlm-servers-'), files), 'manifest.jsonl');
}

export function runOptions(endpoint: string, manifest: string, over: Partial<RunOptions> = {}): RunOptions {
  return {
    endpoint, model: 'test-model', benchmarks: 'custom', manifest, protocol: 'paper', outDir: tempDir('medvlm-servers-out-'),
    concurrency: 4, env: {}, cwd: tempDir('medvlm-servers-cwd-'), retry: { baseDelayMs: 1, maxDelayMs: 5 }, ...over,
  };
}

export function collectLog(): { log: (m: string) => void; lines: string[] } {
  const lines: string[] = [];
  return { log: (m) => lines.push(m), lines };
}

export function predictions(outDir: string): PredictionRecord[] {
  return readFileSync(path.join(outDir, 'predictions.jsonl'), 'utf8').split('\n').filter((l) => l.endsWith('}')).map((l) => JSON.parse(l) as PredictionRecord);
}

/** The budget field a request carried, as the server read it. */
export function budgetOf(r: SeenRequest): number | undefined {
  return (r.json?.max_completion_tokens ?? r.json?.max_tokens) as number | undefined;
}

/** Prompt tokens the emulators count for a request (their own estimate, independent of the runner). */
export function promptOf(r: SeenRequest, tokensPerImage: number): number {
  return promptTokens(r.json, tokensPerImage);
}

/** The item requests a server received (a readiness probe's text-only chat excluded). */
export function itemChats(s: { chats(): SeenRequest[] }): SeenRequest[] {
  return s.chats().filter((r) => imageCount(r.json) > 0);
}
