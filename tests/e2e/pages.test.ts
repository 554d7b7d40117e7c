/**
 * The worker's HTML pages in a real browser: a local worker (Miniflare + D1), three runs uploaded through the API,
 * then Debian's Chromium (driven by playwright-core) loads each page. Asserts the data renders, every image loads,
 * and there are no console errors, page errors or failed requests. Screenshots go to a temp dir (not committed).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromiumFor, launchChromium } from '../helpers/chromium.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalWorker } from '../../scripts/local-worker.mjs';
import type { LocalWorker } from '../../scripts/local-worker.d.mts';
import type { RunResult } from '../../schemas/results.js';
import { makeRun } from '../helpers/run-fixture.js';

const hasChromium = chromiumFor('tests/e2e/pages.test.ts');

const runs = {
  base: makeRun({ repository: 'acme/vision', commit: 'a'.repeat(40), model: 'qwen2.5-vl-7b', correct: (i) => i % 10 < 6 }),
  head: makeRun({ repository: 'acme/vision', commit: 'b'.repeat(40), model: 'qwen2.5-vl-7b', correct: (i) => i % 10 < 8 }),
  other: makeRun({ repository: 'lab/medgemma-eval', commit: 'c'.repeat(40), model: 'medgemma-4b', correct: (i) => i % 10 < 5 }),
};

interface Problems { console: string[]; failed: string[]; badStatus: string[] }

async function visit(browser: Browser, url: string): Promise<{ page: Page; problems: Problems; status: number }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: Problems = { console: [], failed: [], badStatus: [] };
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.console.push(m.text()); });
  page.on('pageerror', (e) => problems.console.push(String(e)));
  page.on('requestfailed', (r) => problems.failed.push(`${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => { if (r.status() >= 400 && r.url() !== url) problems.badStatus.push(`${r.status()} ${r.url()}`); });
  const res = await page.goto(url, { waitUntil: 'load' });
  return { page, problems, status: res?.status() ?? 0 };
}

async function expectImagesLoaded(page: Page): Promise<void> {
  const broken = await page.$$eval('img', (imgs) => imgs.filter((i) => !i.complete || i.naturalWidth === 0).map((i) => i.src));
  expect(broken).toEqual([]);
}

/** Basic accessibility: one h1, landmarks, every image named, every header cell scoped, every input labelled. */
async function expectAccessible(page: Page): Promise<void> {
  expect(await page.locator('h1').count()).toBe(1);
  for (const role of ['banner', 'navigation', 'main', 'contentinfo'] as const) expect(await page.getByRole(role).count()).toBe(1);
  expect(await page.locator('img:not([alt]), svg[role="img"]:not([aria-labelledby])').count()).toBe(0);
  expect(await page.locator('th:not([scope])').count()).toBe(0);
  const unlabelled = await page.$$eval('input', (els) => els.filter((e) => !document.querySelector(`label[for="${e.id}"]`)).length);
  expect(unlabelled).toBe(0);
}

describe.skipIf(!hasChromium)('HTML pages in headless Chromium', () => {
  let worker: LocalWorker;
  let browser: Browser;
  const ids: Record<string, string> = {};
  const shots = mkdtempSync(path.join(tmpdir(), 'medvlm-pages-'));

  beforeAll(async () => {
    worker = await startLocalWorker({ vars: { ALLOW_UNAUTHENTICATED_UPLOADS: 'true' } });
    for (const [name, run] of Object.entries(runs) as [string, RunResult][]) {
      const res = await fetch(`${worker.url}/api/v1/runs`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(run),
      });
      expect(res.status, await res.clone().text()).toBe(201);
      ids[name] = ((await res.json()) as { id: string }).id;
      await new Promise((r) => setTimeout(r, 5)); // distinct upload times: "latest" is well defined
    }
    browser = await launchChromium();
    console.log(`screenshots: ${shots}`);
  });

  afterAll(async () => {
    await browser?.close();
    await worker?.stop();
  });

  it('leaderboard: ranks both repositories with intervals and the chance row', async () => {
    const { page, problems, status } = await visit(browser, `${worker.url}/`);
    expect(status).toBe(200);
    const main = await page.locator('main').innerText();
    expect(main).toContain('VQA-RAD');
    expect(main).toContain('acme/vision');
    expect(main).toContain('medgemma-4b');
    expect(main).toContain('80.0%');
    expect(main).toContain('chance');
    expect(await page.locator('table').count()).toBe(2); // vqa-rad and slake
    await expectImagesLoaded(page);
    await expectAccessible(page);
    await page.screenshot({ path: path.join(shots, 'leaderboard.png'), fullPage: true });
    expect(problems).toEqual({ console: [], failed: [], badStatus: [] });
  });

  it('repository page: scores, split, charts, runs and working badge previews', async () => {
    const { page, problems, status } = await visit(browser, `${worker.url}/acme/vision`);
    expect(status).toBe(200);
    const main = await page.locator('main').innerText();
    expect(main).toContain('qwen2.5-vl-7b');
    expect(main).toContain('Understanding vs reasoning');
    expect(main).toContain('80.0%');
    expect(await page.locator('svg[role="img"]').count()).toBe(2);
    expect(await page.getByRole('img', { name: 'vqa-rad · accuracy' }).count()).toBe(1);
    expect(await page.locator(`a[href="/acme/vision/compare/${ids.base}...${ids.head}"]`).count()).toBe(1);
    expect(await page.locator('img[src^="/badge/acme/vision.svg"]').count()).toBe(3);
    await expectImagesLoaded(page);
    await expectAccessible(page);
    await page.screenshot({ path: path.join(shots, 'repo.png'), fullPage: true });
    expect(problems).toEqual({ console: [], failed: [], badStatus: [] });
  });

  it('compare page: delta, p-values and verdicts', async () => {
    const { page, problems, status } = await visit(browser, `${worker.url}/acme/vision/compare/${ids.base}...${ids.head}`);
    expect(status).toBe(200);
    const main = await page.locator('main').innerText();
    expect(main).toContain('+20.0 pp');
    expect(main).toMatch(/better/);
    expect(main).toContain('reasoning');
    expect(await page.locator('.pill.better').count()).toBeGreaterThan(2);
    await expectAccessible(page);
    await page.screenshot({ path: path.join(shots, 'compare.png'), fullPage: true });
    expect(problems).toEqual({ console: [], failed: [], badStatus: [] });
  });

  it('unknown repository: a friendly 404 page', async () => {
    const { page, status } = await visit(browser, `${worker.url}/nobody/nothing`);
    expect(status).toBe(404);
    expect(await page.locator('h1').innerText()).toBe('Not found');
    await page.screenshot({ path: path.join(shots, 'not-found.png'), fullPage: true });
  });
});
