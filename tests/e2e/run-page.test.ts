/**
 * The run page and the private-deployment access page in headless Chromium (Debian's /usr/bin/chromium through
 * playwright-core) against a local worker (Miniflare + D1) with runs uploaded through the API: the run's figures
 * render, its compare link opens the comparison, there are no console errors or failed requests, basic
 * accessibility holds at 375 and 1280 px without sideways scrolling; on a private deployment a browser gets a
 * readable HTML page saying what access is needed (no JSON). Screenshots go to a temp dir (not committed).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromiumFor, launchChromium } from '../helpers/chromium.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalWorker } from '../../scripts/local-worker.mjs';
import type { LocalWorker } from '../../scripts/local-worker.d.mts';
import { makeRun } from '../helpers/run-fixture.js';

const hasChromium = chromiumFor('tests/e2e/run-page.test.ts');

const base = makeRun({ repository: 'acme/runs', commit: 'a'.repeat(40), model: 'qwen2.5-vl-7b', correct: (i) => i % 10 < 6 });
const pr = makeRun({ repository: 'acme/runs', commit: 'b'.repeat(40), ref: 'refs/pull/4/merge', prNumber: 4, model: 'qwen2.5-vl-7b', correct: (i) => i % 10 < 1 });
const head = makeRun({ repository: 'acme/runs', commit: 'c'.repeat(40), model: 'qwen2.5-vl-7b', correct: (i) => i % 10 < 8 });

async function upload(url: string, run: unknown): Promise<string> {
  const res = await fetch(`${url}/api/v1/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(run) });
  expect(res.status, await res.clone().text()).toBe(201);
  await new Promise((r) => setTimeout(r, 5)); // distinct upload times: "previous" is well defined
  return ((await res.json()) as { id: string }).id;
}

async function open(browser: Browser, url: string, width: number) {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  const problems: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('requestfailed', (r) => problems.push(`${r.url()} ${r.failure()?.errorText}`));
  const res = await page.goto(url, { waitUntil: 'load' });
  return { page, problems, status: res?.status() ?? 0 };
}

async function expectAccessibleNoSideScroll(page: Page): Promise<void> {
  expect(await page.locator('h1').count()).toBe(1);
  for (const role of ['banner', 'main', 'contentinfo'] as const) expect(await page.getByRole(role).count()).toBe(1);
  expect(await page.locator('th:not([scope])').count()).toBe(0);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

describe.skipIf(!hasChromium)('run page and private access page in headless Chromium', () => {
  let open1: LocalWorker;
  let closed: LocalWorker;
  let browser: Browser;
  const ids: Record<string, string> = {};
  const shots = mkdtempSync(path.join(tmpdir(), 'medvlm-run-page-'));

  beforeAll(async () => {
    [open1, closed] = await Promise.all([
      startLocalWorker({ vars: { ALLOW_UNAUTHENTICATED_UPLOADS: 'true' } }),
      startLocalWorker({ vars: { ALLOW_UNAUTHENTICATED_UPLOADS: 'true', PRIVATE_READS: 'true' } }),
    ]);
    ids.base = await upload(open1.url, base);
    ids.pr = await upload(open1.url, pr);
    ids.head = await upload(open1.url, head);
    ids.closed = await upload(closed.url, base);
    browser = await launchChromium();
    console.log(`screenshots: ${shots}`);
  });

  afterAll(async () => {
    await browser?.close();
    await open1?.stop();
    await closed?.stop();
  });

  it.each([375, 1280])('the run page at %i px: figures, fingerprints, a working compare link with the previous main run', async (width) => {
    const { page, problems, status } = await open(browser, `${open1.url}/acme/runs/runs/${ids.head}`, width);
    expect(status).toBe(200);
    const text = await page.locator('main').innerText();
    expect(text).toContain('80.0%'); // 160 of 200 (i % 10 < 8)
    expect(text).toContain('c'.repeat(40));
    expect(text).toContain(head.benchmarks[0]!.fingerprint);
    await expectAccessibleNoSideScroll(page);
    await page.screenshot({ path: path.join(shots, `run-${width}.png`), fullPage: true });
    const compare = page.getByRole('link', { name: /previous run on this ref/ });
    expect(await compare.getAttribute('href')).toBe(`/acme/runs/compare/${ids.base}...${ids.head}`);
    await compare.click();
    await page.waitForLoadState('load');
    expect(page.url()).toContain(`/compare/${ids.base}...${ids.head}`);
    expect(await page.locator('h1').innerText()).not.toBe('Not found');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('Recent runs on the repository page link each run to its page and to the previous run on its ref', async () => {
    const { page, problems } = await open(browser, `${open1.url}/acme/runs`, 1280);
    const links = await page.$$eval('a', (as) => as.map((a) => a.getAttribute('href')));
    expect(links).toContain(`/acme/runs/runs/${ids.head}`);
    expect(links).toContain(`/acme/runs/compare/${ids.base}...${ids.head}`);
    expect(links).not.toContain(`/acme/runs/compare/${ids.pr}...${ids.head}`);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('a private deployment shows a browser an HTML page that says what access is needed', async () => {
    for (const path_ of [`/acme/runs/runs/${ids.closed}`, '/acme/runs', '/']) {
      const { page, status } = await open(browser, `${closed.url}${path_}`, 1280);
      expect(status).toBe(401);
      expect(await page.locator('h1').innerText()).toBe('Sign-in needed');
      const text = await page.locator('main').innerText();
      expect(text).toContain('API token');
      expect(text).toContain('Authorization: Bearer');
      await expectAccessibleNoSideScroll(page);
      if (path_ === '/') await page.screenshot({ path: path.join(shots, 'private-401.png'), fullPage: true });
      await page.close();
    }
  });
});
