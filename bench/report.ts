/**
 * The item report at scale: a generated custom benchmark (default 20,000 four-option items over 300 real 256 px
 * images, two groups), a "main" and a "PR" run against the built-in baseline model (random answers with ~600 bytes
 * of reasoning), then the PR's report.html built against main and opened from disk in headless Chromium.
 *   node bin/run-ts.mjs bench/report.ts [--items 20000] [--images 300] [--pad-bytes 600] [--repeat 3]
 * Prints the build time and file size, then (median of --repeat page loads) the time to open the page until the
 * first rows show, and the time each filter takes to re-render: outcome, group, id search, changes → all items.
 * Target (issue 13): open and filter in under 2 s at 20,000 items.
 */
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { launchChromium } from '../tests/helpers/chromium.js';
import sharp from 'sharp';
import { startBaselineServer } from '../action/src/runner/baseline-server.js';
import { localBaseline, writeItemReport } from '../action/src/runner/report/index.js';
import { runEvaluation, type RunOutput } from '../action/src/runner/run.js';

const { values } = parseArgs({ options: { items: { type: 'string' }, images: { type: 'string' }, 'pad-bytes': { type: 'string' }, repeat: { type: 'string' }, keep: { type: 'boolean' } } });
const ITEMS = Number(values.items ?? 20_000);
const IMAGES = Number(values.images ?? 300);
const PAD = Number(values['pad-bytes'] ?? 600);
const REPEAT = Number(values.repeat ?? 3);

const root = mkdtempSync(path.join(tmpdir(), 'medvlm-bench-report-'));
try {
  const manifest = await generateManifest(root);
  const main = await evaluate('main', 1);
  const pr = await evaluate('pr', 2);
  const t0 = performance.now();
  const built = await writeItemReport({ dir: pr.dir, result: pr.out.result, benchmarks: pr.out.benchmarks, baseline: localBaseline(path.join(main.dir, 'results.json')), outFile: path.join(root, 'report.html') });
  const buildS = (performance.now() - t0) / 1000;
  console.log(`${ITEMS} items, ${IMAGES} distinct images, responses ~${PAD} bytes`);
  console.log(`build: ${buildS.toFixed(1)} s (report with changes vs main); ${(statSync(built.file).size / 1e6).toFixed(1)} MB; ` +
    `peak RSS of this process ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  await measurePage(built.file);

  async function evaluate(label: string, seed: number): Promise<{ out: RunOutput; dir: string }> {
    const server = await startBaselineServer({ seed, padBytes: PAD });
    const dir = path.join(root, label);
    try {
      const out = await runEvaluation({ endpoint: server.url, model: 'baseline', benchmarks: 'custom', manifest, outDir: dir, concurrency: 64, env: {}, itemReport: false },
        { fetch, now: Date.now, log: () => {} });
      return { out, dir };
    } finally {
      await server.close();
    }
  }
} finally {
  if (!values.keep) rmSync(root, { recursive: true, force: true });
}

async function measurePage(file: string): Promise<void> {
  const browser = await launchChromium();
  const runs: Record<string, number[]> = {};
  const note = (k: string, ms: number) => (runs[k] ??= []).push(ms);
  try {
    for (let r = 0; r < REPEAT; r++) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const t0 = performance.now();
      // not waitUntil 'load': that also waits for every thumbnail to decode; a user sees the rows before that
      await page.goto(pathToFileURL(file).href, { waitUntil: 'commit' });
      await page.waitForSelector('body[data-ready="1"]');
      await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
      note('open (changes view, first rows painted)', performance.now() - t0);
      await page.waitForLoadState('load');
      note('  all shown thumbnails decoded (load event)', performance.now() - t0);
      // a string, not a function: tsx would wrap named inner functions in a helper the page does not have
      const marks = await page.evaluate(`(() => { const at = (n) => performance.getEntriesByName(n)[0].startTime;
        const fcp = performance.getEntriesByName('first-contentful-paint')[0];
        return { html: at('report-script'), parse: at('report-parsed') - at('report-script'), render: at('report-ready') - at('report-parsed'),
          fcp: fcp ? fcp.startTime : -1 }; })()`) as { html: number; parse: number; render: number; fcp: number };
      note('  of which: file read + HTML parsed', marks.html);
      note('  of which: JSON.parse', marks.parse);
      note('  of which: first render (200 rows)', marks.render);
      note('  first contentful paint (page clock)', marks.fcp);
      note('→ all items', await timed(page, () => (document.getElementById('view-items') as HTMLButtonElement).click()));
      note('outcome = wrong', await timed(page, () => change('outcome', 'wrong')));
      note('group modality = CT', await timed(page, () => {
        const s = document.getElementById('group-3') as HTMLSelectElement; // custom's groupBy: answerType, questionType, category, modality
        change('group-3', [...s.options].find((o) => o.text.startsWith('CT'))!.value);
      }));
      note('id search "q1234"', await timed(page, () => {
        const q = document.getElementById('search') as HTMLInputElement;
        q.value = 'q1234';
        q.dispatchEvent(new Event('input'));
      }));
      note('show 100 more', await timed(page, () => change('outcome', 'all'), () => (document.querySelector('button.more') as HTMLButtonElement).click()));
      await page.close();
    }
  } finally {
    await browser.close();
  }
  for (const [k, xs] of Object.entries(runs)) {
    const sorted = [...xs].sort((a, b) => a - b);
    console.log(`${k.padEnd(40)} median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(0)} ms (runs: ${xs.map((x) => x.toFixed(0)).join(', ')})`);
  }
}

/** Runs the action(s) in the page and waits for two frames (layout and paint), measured inside the page. */
async function timed(page: Page, ...actions: Array<() => void>): Promise<number> {
  await page.evaluate(`window.change = ${String((id: string, v: string) => {
    const s = document.getElementById(id) as HTMLSelectElement;
    s.value = v;
    s.dispatchEvent(new Event('change'));
  })}`);
  const src = actions.map((a) => `(${String(a)})();`).join('');
  return page.evaluate(`new Promise((resolve) => { const t0 = performance.now(); ${src} requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - t0))); })`);
}

declare function change(id: string, value: string): void;

async function generateManifest(dir: string): Promise<string> {
  mkdirSync(path.join(dir, 'img'));
  for (let i = 0; i < IMAGES; i++) {
    const raw = Buffer.alloc(256 * 256 * 3);
    for (let p = 0; p < raw.length; p++) raw[p] = (p * (i + 3) + (p >> 8) * 7) & 255;
    await sharp(raw, { raw: { width: 256, height: 256, channels: 3 } }).png().toFile(path.join(dir, 'img', `${i}.png`));
  }
  const file = path.join(dir, 'manifest.jsonl');
  const ws = createWriteStream(file);
  const organs = ['liver', 'lung', 'kidney', 'heart', 'brain', 'spleen'];
  for (let i = 0; i < ITEMS; i++) {
    const o = (k: number) => organs[(i + k) % organs.length]!;
    const line = JSON.stringify({
      id: `q${i}`, question: `Case ${i}: a ${40 + (i % 50)}-year-old patient. Which organ shows the abnormality marked by the arrow in this ${i % 2 ? 'CT' : 'MRI'} image?`,
      options: { A: o(0), B: o(1), C: o(2), D: o(3) }, answer: 'ABCD'[i % 4], images: [`img/${i % IMAGES}.png`],
      modality: i % 2 ? 'CT' : 'MRI', category: `category-${i % 12}`,
    });
    if (!ws.write(`${line}\n`)) await new Promise<void>((r) => ws.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) => ws.end((e?: Error | null) => (e ? reject(e) : resolve())));
  return file;
}
