/**
 * Suite loading benchmark: runs `inspect` (load + protocol + fingerprint incl. hashing every image) once per case,
 * each in its own child process so peak RSS (process.resourceUsage().maxRSS) is that case's alone.
 * Cases: every benchmark available in ../shared/data, plus a generated 100,000-item custom manifest.
 * Usage: node bin/run-ts.mjs bench/inspect.ts [--items N]     Target: peak RSS < 300 MB per case.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../action/src/cli/main.js';
import { defaultDeps } from '../action/src/cli/deps.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SHARED = process.env.MEDVLM_SHARED_DATA ?? path.resolve(ROOT, '..', 'shared', 'data');
const TARGET_MB = 300;

interface Case { name: string; argv: string[] }

/** Child: run one inspect, print {items, seconds, maxRssMb} as the last line. */
async function child(argv: string[]): Promise<void> {
  const start = performance.now();
  let json = '';
  const deps = { ...defaultDeps(), out: (t: string) => { json += t; } };
  const code = await main(['inspect', ...argv, '--json'], deps);
  if (code !== 0) process.exit(code);
  const seconds = (performance.now() - start) / 1000;
  const r = JSON.parse(json) as { items: number; scored: number; missingImages: number };
  console.log(JSON.stringify({ items: r.items, scored: r.scored, missingImages: r.missingImages, seconds, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
}

/** 100,000 items over 2,000 small distinct JPEG-signed images (reading and hashing each item's image). */
async function generateManifest(dir: string, items: number): Promise<string> {
  mkdirSync(path.join(dir, 'img'), { recursive: true });
  for (let i = 0; i < 2000; i++) writeFileSync(path.join(dir, 'img', `${i}.jpg`), Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2048, i % 251)]));
  const file = path.join(dir, 'manifest.jsonl');
  const out = createWriteStream(file);
  for (let i = 0; i < items; i++) {
    const mcq = i % 2 === 0;
    const line = mcq
      ? { id: `item-${i}`, question: `Which finding is shown in case ${i}?`, options: { A: 'effusion', B: 'nodule', C: 'normal', D: 'mass' }, answer: 'ABCD'[i % 4], images: [`img/${i % 2000}.jpg`], modality: i % 3 ? 'CT' : 'MRI' }
      : { id: `item-${i}`, question: `Is there a fracture in case ${i}?`, answer: i % 4 === 1 ? 'yes' : 'no', images: [`img/${i % 2000}.jpg`], category: 'yes-no' };
    if (!out.write(`${JSON.stringify(line)}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(() => r()));
  return file;
}

async function parent(): Promise<void> {
  const n = Number(process.argv[process.argv.indexOf('--items') + 1]) || 100_000;
  const cases: Case[] = [];
  const local: Array<[string, string, string[]]> = [
    ['vqa-rad', 'vqa_rad', []], ['slake (en)', 'slake', []], ['slake (all)', 'slake', ['--language', 'all']],
    ['pathvqa', 'pathvqa', []], ['medxpertqa-mm', 'medxpertqa', []], ['omnimedvqa', 'omnimedvqa', []],
  ];
  for (const [name, folder, extra] of local) {
    const id = name.split(' ')[0]!;
    if (existsSync(path.join(SHARED, folder))) cases.push({ name, argv: [id, '--data-dir', SHARED, ...extra] });
    else console.warn(`skip ${name}: ${path.join(SHARED, folder)} not found`);
  }
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'medvlm-bench-'));
  const manifest = await generateManifest(tmp, n);
  cases.push({ name: `custom (${n.toLocaleString('en')} items)`, argv: ['custom', '--manifest', manifest] });
  console.log(`| case | items | scored | missing images | seconds | items/s | peak RSS (MB) | < ${TARGET_MB} MB |`);
  console.log('|---|---:|---:|---:|---:|---:|---:|:---:|');
  for (const c of cases) {
    const out = execFileSync(process.execPath, [path.join(ROOT, 'bin', 'run-ts.mjs'), fileURLToPath(import.meta.url), '--child', ...c.argv], { encoding: 'utf8', maxBuffer: 1 << 26 });
    const r = JSON.parse(out.trim().split('\n').pop()!) as { items: number; scored: number; missingImages: number; seconds: number; maxRssMb: number };
    console.log(`| ${c.name} | ${r.items} | ${r.scored} | ${r.missingImages} | ${r.seconds.toFixed(2)} | ${Math.round(r.items / r.seconds).toLocaleString('en')} | ${r.maxRssMb.toFixed(0)} | ${r.maxRssMb < TARGET_MB ? 'yes' : 'NO'} |`);
  }
  rmSync(tmp, { recursive: true, force: true });
}

const childAt = process.argv.indexOf('--child');
await (childAt >= 0 ? child(process.argv.slice(childAt + 1)) : parent());
