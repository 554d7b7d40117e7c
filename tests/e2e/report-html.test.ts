/**
 * report.html in headless Chromium (Debian's, driven by playwright-core), opened from disk as a user would: two real
 * runs of a generated VQA-RAD folder (tests/helpers/report-runs.ts), the PR run's report rebuilt with the main run as
 * baseline. Checks the changes view, filters by outcome and group, search by id, an expanded response, that hostile
 * response text is shown as text and never runs, and that the page requests nothing but itself and data: images.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { chromiumFor, launchChromium } from '../helpers/chromium.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localBaseline, rebuildItemReport } from '../../action/src/runner/report/index.js';
import { HOSTILE, makeReportRuns, type ReportRuns } from '../helpers/report-runs.js';

const hasChromium = chromiumFor('tests/e2e/report-html.test.ts');

describe.skipIf(!hasChromium)('report.html in headless Chromium', () => {
  let browser: Browser;
  let runs: ReportRuns;
  let withBaseline: string;
  /** gold of each scored item by id (the fake folder's answers: yes → A, no → B) */
  const gold = new Map<string, string>();

  beforeAll(async () => {
    runs = await makeReportRuns(60);
    for (const [id, answer] of runs.data.answers) gold.set(id, answer.toLowerCase() === 'yes' ? 'A' : answer.toLowerCase() === 'no' ? 'B' : '-');
    withBaseline = path.join(runs.prDir, 'report-vs-main.html');
    await rebuildItemReport({ dir: runs.prDir, baseline: localBaseline(path.join(runs.mainDir, 'results.json')), outFile: withBaseline, env: {}, log: () => {} });
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => { await browser?.close(); });

  async function open(file: string): Promise<{ page: Page; requests: string[]; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const requests: string[] = [];
    const errors: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('body[data-ready="1"]');
    return { page, requests, errors };
  }
  const ids = (page: Page) => page.$$eval('#list article.item', (els) => els.map((e) => e.getAttribute('data-id')!));
  const yesNo = () => runs.data.yesNoIds.map(String);

  it('the run report lists every evaluated item with thumbnails, and filters by outcome, group and id', async () => {
    const { page, requests, errors } = await open(path.join(runs.prDir, 'report.html'));
    expect(await page.locator('#view-changes').count()).toBe(0); // no baseline: no changes view
    // PR answers B: correct exactly on the gold-B items; 48 yes/no items are scored (60 generated, every 5th open)
    expect(await page.locator('#count').innerText()).toContain('of 48 matching item(s); 48 evaluated');
    await page.selectOption('#outcome', 'correct');
    const correct = await ids(page);
    expect(correct.sort()).toEqual(yesNo().filter((id) => gold.get(id) === 'B').sort());
    await page.selectOption('#outcome', 'wrong');
    expect((await ids(page)).sort()).toEqual(yesNo().filter((id) => gold.get(id) === 'A').sort());
    // group filter: organ=CHEST is every odd item (fake folder: i % 2 ? CHEST : HEAD; qid = 1000 + i)
    await page.selectOption('#outcome', 'all');
    const organ = await page.$$eval('#filters label', (ls) => (ls.find((l) => l.textContent === 'organ') as HTMLLabelElement).htmlFor);
    const chest = await page.$eval(`#${organ}`, (s) => [...(s as HTMLSelectElement).options].find((o) => o.text.startsWith('CHEST'))!.value);
    await page.selectOption(`#${organ}`, chest);
    expect((await ids(page)).sort()).toEqual(yesNo().filter((id) => Number(id) % 2 === 1).sort());
    await page.selectOption(`#${organ}`, '-1');
    await page.fill('#search', '1013');
    expect(await ids(page)).toEqual(['1013']);
    const item = page.locator('article.item[data-id="1013"]');
    expect(await item.locator('img').count()).toBe(1);
    expect(await item.locator('img').evaluate((i) => (i as HTMLImageElement).naturalWidth)).toBe(128);
    expect(await item.innerText()).toContain('Is there a lesion in scan 13?');
    expect(await item.innerText()).toContain('boxed answer');
    // the response is collapsed until expanded
    expect(await item.locator('details.response pre').isVisible()).toBe(false);
    await item.locator('details.response summary').click();
    expect(await item.locator('details.response pre').innerText()).toBe(HOSTILE);
    expect(errors).toEqual([]);
    expect(requests.filter((u) => !u.startsWith('data:'))).toEqual([pathToFileURL(path.join(runs.prDir, 'report.html')).href]);
  });

  it('hostile response text is shown as text: no script runs, no element is injected, nothing is requested', async () => {
    const { page, requests, errors } = await open(withBaseline);
    await page.click('#view-items');
    await page.fill('#search', '1000');
    await page.locator('article.item[data-id="1000"] details.response summary').click();
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.locator('#list b, #list script, #list img[src="x"]').count()).toBe(0);
    expect(await page.locator('article.item[data-id="1000"] pre').first().innerText()).toBe(HOSTILE);
    expect(errors).toEqual([]);
    expect(requests.every((u) => u.startsWith('data:') || u.startsWith('file:'))).toBe(true);
    expect(requests.filter((u) => u.startsWith('file:'))).toHaveLength(1);
  });

  it('with a baseline the changes view comes first: correct → wrong and wrong → correct, with both responses', async () => {
    const { page } = await open(withBaseline);
    expect(await page.locator('#view-changes').getAttribute('aria-selected')).toBe('true');
    const [regressed, improved] = await page.$$eval('#list .rows', (rows) => rows.map((r) =>
      [...r.querySelectorAll('article.item')].map((a) => a.getAttribute('data-id')!)));
    expect(regressed!.sort()).toEqual(yesNo().filter((id) => gold.get(id) === 'A').sort());
    expect(improved!.sort()).toEqual(yesNo().filter((id) => gold.get(id) === 'B').sort());
    const first = page.locator('#list article.item').first();
    expect(await first.innerText()).toContain('correct → wrong');
    await first.locator('details.base-response summary').click();
    expect(await first.locator('details.base-response pre').innerText()).toBe('The answer is \\boxed{A}.');
    expect(await page.locator('#overview').innerText()).toMatch(/vqa-rad\s+48\s+24\s+0\s+0\s+0\s+24\s+24/);
  });

  it('an unpaired baseline (other fingerprint) says why instead of listing changes', async () => {
    const other = JSON.parse(readFileSync(path.join(runs.mainDir, 'results.json'), 'utf8'));
    other.benchmarks[0].fingerprint = 'f'.repeat(64);
    const { writeFileSync } = await import('node:fs');
    const otherFile = path.join(runs.mainDir, 'results-other.json');
    writeFileSync(otherFile, JSON.stringify(other));
    const out = path.join(runs.prDir, 'report-unpaired.html');
    await rebuildItemReport({ dir: runs.prDir, baseline: localBaseline(otherFile), outFile: out, env: {}, log: () => {} });
    const { page } = await open(out);
    expect(await page.locator('#list').innerText()).toContain('fingerprints differ');
  });
});
