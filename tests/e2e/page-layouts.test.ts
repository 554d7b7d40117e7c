/**
 * Issue 12 items 15 and 17 in headless Chromium (Debian's /usr/bin/chromium via playwright-core) against a local
 * worker (Miniflare + D1):
 *   - at 375, 1280, 1440 and 1920 px no page scrolls sideways (document scrollWidth ≤ innerWidth), no compare
 *     table is wider than its box and every verdict is on screen without scrolling (at 375 px the rows become
 *     labelled cards), and the leaderboard's accuracy column is on screen at 375 px;
 *   - picking two rows of a leaderboard table and pressing the button opens their cross-repository comparison.
 * Runs use long repository and model names and all nine benchmarks with groups, the widest realistic content.
 */
import type { Browser, Page } from 'playwright-core';
import { chromiumFor, launchChromium } from '../helpers/chromium.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BENCHMARK_IDS, type RunResult } from '../../schemas/results.js';
import { startLocalWorker } from '../../scripts/local-worker.mjs';
import type { LocalWorker } from '../../scripts/local-worker.d.mts';
import { makeRun } from '../helpers/run-fixture.js';

const hasChromium = chromiumFor('tests/e2e/page-layouts.test.ts');

const WIDTHS = [375, 1280, 1440, 1920];
const LONG_REPO = 'radiology-foundation-models-lab/medical-vision-language-evaluation-suite';
const LONG_MODEL = 'qwen2.5-vl-72b-instruct-awq-medical-finetune-2026-11';
const all = [...BENCHMARK_IDS];

const runs: Record<string, RunResult> = {
  base: makeRun({ repository: LONG_REPO, commit: 'a'.repeat(40), model: LONG_MODEL, benchmarks: all, correct: (i) => i % 10 < 6 }),
  // better on five benchmarks, unchanged on four: both the short and the widest verdict pill ("no significant change")
  head: makeRun({ repository: LONG_REPO, commit: 'b'.repeat(40), model: LONG_MODEL, benchmarks: all,
    correct: (i, b) => i % 10 < (all.indexOf(b as (typeof all)[number]) < 5 ? 8 : 6) }),
  other: makeRun({ repository: 'lab/medgemma-eval', commit: 'c'.repeat(40), model: 'medgemma-4b', benchmarks: all, correct: (i) => i % 10 < 5 }),
};

describe.skipIf(!hasChromium)('page layouts and cross-repository comparison in headless Chromium', () => {
  let worker: LocalWorker;
  let browser: Browser;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    worker = await startLocalWorker({ vars: { ALLOW_UNAUTHENTICATED_UPLOADS: 'true' } });
    for (const [name, run] of Object.entries(runs)) {
      const res = await fetch(`${worker.url}/api/v1/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(run) });
      expect(res.status, await res.clone().text()).toBe(201);
      ids[name] = ((await res.json()) as { id: string }).id;
      await new Promise((r) => setTimeout(r, 5));
    }
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await worker?.stop();
  });

  async function open(width: number, path: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    const res = await page.goto(`${worker.url}${path}`, { waitUntil: 'load' });
    expect(res?.status(), path).toBe(200);
    return page;
  }

  async function expectNoSidewaysScroll(page: Page, what: string): Promise<void> {
    const { scroll, inner } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
    expect(scroll, `${what}: document ${scroll} px wide in a ${inner} px viewport`).toBeLessThanOrEqual(inner);
  }

  const paths = () => ({
    leaderboard: '/', repository: `/${LONG_REPO}`, compare: `/${LONG_REPO}/compare/${ids.base}...${ids.head}`,
    cross: `/compare?run=${ids.other}&run=${ids.head}`, board: '/?benchmark=vqa-rad&protocol=paper',
  });

  for (const width of WIDTHS) {
    it(`${width} px: no page scrolls sideways; the Verdict column is fully visible`, async () => {
      for (const [name, path] of Object.entries(paths())) {
        const page = await open(width, path);
        await expectNoSidewaysScroll(page, `${name} at ${width}`);
        if (name === 'compare' || name === 'cross') {
          // every table fits its box (nothing hidden behind the scroller) and each verdict pill is inside the viewport
          const clipped = await page.$$eval('.table-scroll', (els) => els.filter((e) => e.scrollWidth > e.clientWidth + 1).length);
          expect(clipped, `${name} at ${width}: tables wider than their box`).toBe(0);
          const pills = await page.$$eval('td .pill', (els) => els.map((e) => {
            const r = e.getBoundingClientRect();
            const box = e.closest('.table-scroll')!.getBoundingClientRect();
            return { right: r.right, boxRight: box.right };
          }));
          expect(pills.length).toBeGreaterThan(9);
          for (const p of pills) expect(p.right).toBeLessThanOrEqual(Math.min(p.boxRight, width) + 0.5);
          expect(await page.locator('.pill.same').count(), 'the widest verdict is on the page').toBeGreaterThan(0);
        }
        if (name === 'leaderboard' && width === 375) {
          const header = await page.locator('th', { hasText: 'Accuracy' }).first().boundingBox();
          expect(header!.x + header!.width, 'accuracy column on screen at 375 px').toBeLessThanOrEqual(375);
          const clipped = await page.$$eval('.table-scroll', (els) => els.filter((e) => e.scrollWidth > e.clientWidth + 1).length);
          expect(clipped, 'leaderboard tables fit at 375 px').toBe(0);
        }
        await page.close();
      }
    });
  }

  it('picking two leaderboard rows opens their paired comparison across repositories (plain form, no script)', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: false });
    await page.goto(`${worker.url}/?benchmark=slake&protocol=paper`);
    const board = page.locator('section').filter({ hasText: 'SLAKE' }).first();
    await board.locator(`input[type=checkbox][value="${ids.head}"]`).check();
    await board.locator(`input[type=checkbox][value="${ids.other}"]`).check();
    await Promise.all([page.waitForURL(/\/compare\?/), board.getByRole('button', { name: 'Compare the two ticked runs' }).click()]);
    const url = new URL(page.url());
    expect(url.searchParams.getAll('run').sort()).toEqual([ids.head, ids.other].sort());
    const main = await page.locator('main').innerText();
    expect(main).toContain(LONG_REPO);
    expect(main).toContain('lab/medgemma-eval');
    expect(main).toContain('Paired comparison');
    expect(main).toMatch(/[+−]30\.0 pp/); // 80% vs 50% correct on the same items
    await page.close();
  });
});
