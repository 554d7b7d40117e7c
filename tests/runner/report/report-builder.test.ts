/**
 * The item report's builder in pieces: JSON that cannot close its script element, clipping of long responses,
 * predictions.jsonl read back (answered vs failed lines, torn lines), thumbnails (dedup by content, byte budget,
 * per-item cap, no sharp), and the collected data of a real run (how each answer was read, flags, pairing).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ImageRef } from '../../../action/src/core/data/images.js';
import { collectReport } from '../../../action/src/runner/report/collect.js';
import { escapeHtml, renderReportHtml, scriptJson } from '../../../action/src/runner/report/html.js';
import { clip, readPredictionsIndex, RESPONSE_KEEP } from '../../../action/src/runner/report/predictions-index.js';
import { createThumbnails, THUMBS_PER_ITEM } from '../../../action/src/runner/report/thumbnails.js';
import { BASE, FLAG, type ReportData } from '../../../action/src/runner/report/types.js';
import { prepareBenchmarks } from '../../../action/src/runner/prepare-run.js';
import { HOSTILE, makeReportRuns, type ReportRuns } from '../../helpers/report-runs.js';

const ref = (name: string, bytes: Uint8Array, mime = 'image/png'): ImageRef =>
  ({ name, mime, read: async () => bytes, exists: async () => true });

describe('page text', () => {
  it('scriptJson has no <, > or & left, and parses back to the same value', () => {
    const v = { r: '</script><script>alert(1)</script> & <!-- \u2028' };
    const s = scriptJson(v);
    expect(s).not.toMatch(/[<>&]/);
    expect(JSON.parse(s)).toEqual(v);
  });

  it('escapeHtml escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&#60;a href=&#34;x&#34; title=&#39;y&#39;&#62;&#38;&#60;/a&#62;');
  });

  it('the page carries a CSP with no network source, and data only inside the JSON script', () => {
    const data: ReportData = { title: '<t>', model: 'm', checkpoint: null, commit: null, generatedAt: 'now', toolVersion: '0', baseline: null,
      thumbs: [], notes: [], benchmarks: [] };
    const html = renderReportHtml(data);
    const csp = /Content-Security-Policy" content="([^"]+)"/.exec(html)![1]!.replaceAll('&#39;', "'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain('img-src data:');
    expect(csp).not.toMatch(/unsafe-inline|https?:/);
    expect(html).toContain('<title>&#60;t&#62;</title>');
    expect(html.match(/<script/g)).toHaveLength(2);
  });
});

describe('streamed page', () => {
  it('the data blob written in chunks parses back to the data, across chunk boundaries and empty lists', () => {
    const item = (i: number) => ({ id: `q${i}`, q: `</script> ${i}`, o: null, g: 'x', x: null, h: 'none', f: i % 3, v: [0], r: '<b>', rc: 0, t: [], tm: 0, b: 0 });
    const bench = (id: string, n: number) => ({ id, title: id, extraction: 'e', protocol: 'paper', fingerprint: 'f', scored: n, notEvaluated: 0,
      groups: [{ key: 'k', values: ['v'] }], pairing: { status: 'none' as const, note: 'n' }, items: Array.from({ length: n }, (_, i) => item(i)) });
    const data: ReportData = { title: 't', model: 'm', checkpoint: null, commit: null, generatedAt: 'now', toolVersion: '0', baseline: null,
      thumbs: Array.from({ length: 1203 }, (_, i) => `data:image/jpeg;base64,${i}`), notes: ['a → b'], benchmarks: [bench('a', 1001), bench('b', 0), bench('c', 3)] };
    const html = renderReportHtml(data);
    const blob = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html)![1]!;
    expect(blob).not.toMatch(/[<>&]/);
    expect(JSON.parse(blob)).toEqual(data);
  });
});

describe('clip', () => {
  it('keeps short text whole and the start and end of long text, counting what was cut', () => {
    expect(clip('short', RESPONSE_KEEP)).toEqual({ text: 'short', cut: 0 });
    const long = `${'a'.repeat(5000)}MIDDLE${'b'.repeat(5000)}\\boxed{C}`;
    const c = clip(long, RESPONSE_KEEP);
    expect(c.cut).toBe(long.length - 1500 - 4500);
    expect(c.text.startsWith('a'.repeat(1500))).toBe(true);
    expect(c.text.endsWith(`${'b'.repeat(4500 - 9)}\\boxed{C}`)).toBe(true);
    expect(c.text).not.toContain('MIDDLE');
  });
});

describe('predictions index', () => {
  it('shows the answered line of an item unless it failed; torn lines are counted and skipped', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'medvlm-pi-'));
    const file = path.join(dir, 'predictions.jsonl');
    const line = (o: object) => JSON.stringify({ benchmark: 'vqa-rad', id: '1', response: null, error: null, ...o });
    writeFileSync(file, [line({ error: 'HTTP 500' }), line({ response: 'yes', how: 'yes-no', extracted: 'A' }), line({ id: '2', error: 'timeout' }), '{"benchmark": "vqa'].join('\n'));
    const idx = await readPredictionsIndex(file);
    expect([idx.lines, idx.unreadable]).toEqual([4, 1]);
    expect(idx.get('vqa-rad', '1', false)).toMatchObject({ response: 'yes', how: 'yes-no', extracted: 'A' });
    expect(idx.get('vqa-rad', '1', true)).toMatchObject({ error: 'HTTP 500', response: null });
    expect(idx.get('vqa-rad', '2', false)).toMatchObject({ error: 'timeout' });
    expect(idx.get('slake', '1', false)).toBeUndefined();
  });
});

describe('thumbnails', () => {
  const fakeResize = async (b: Uint8Array) => Buffer.from(b.slice(0, 8));
  it('dedupes by content, caps per item and stops at the budget, with notes saying so', async () => {
    const t = await createThumbnails(100, fakeResize);
    const a = ref('a.png', Uint8Array.from([1, 2, 3]));
    const same = ref('other-name.png', Uint8Array.from([1, 2, 3]));
    const first = await t.forImages([a]);
    expect(first).toEqual({ t: [0], missing: 0 });
    expect(await t.forImages([same])).toEqual({ t: [0], missing: 0 }); // same bytes, one thumbnail
    expect(t.urls[0]).toBe(`data:image/jpeg;base64,${Buffer.from([1, 2, 3]).toString('base64')}`);
    const many = Array.from({ length: THUMBS_PER_ITEM + 2 }, (_, i) => ref(`m${i}`, Uint8Array.from([9, i])));
    const r = await t.forImages(many);
    // each data URL is ~27 characters: three fit in 100 with the first, not more
    expect(r.t.length).toBeLessThanOrEqual(THUMBS_PER_ITEM);
    expect(r.missing).toBe(many.length - r.t.length);
    expect(t.urls.reduce((s, u) => s + u.length, 0)).toBeLessThanOrEqual(100);
    expect(t.notes().join('\n')).toMatch(/budget ran out[\s\S]*at most 3 per item; 2 further/);
  });

  it('reads and resizes each image once: by file path, by content, and also when it cannot be decoded', async () => {
    let calls = 0;
    let reads = 0;
    const failing = async () => { calls++; throw new Error('unsupported image format'); };
    const t = await createThumbnails(1e6, failing);
    const onDisk = (p: string, bytes: Uint8Array): ImageRef => ({ name: p, mime: 'image/png', filePath: p, read: async () => { reads++; return bytes; }, exists: async () => true });
    for (let i = 0; i < 50; i++) expect(await t.forImages([onDisk('/img/bad.png', Uint8Array.from([1]))])).toEqual({ t: [], missing: 1 });
    await t.forImages([onDisk('/img/copy-of-bad.png', Uint8Array.from([1]))]);
    expect([calls, reads]).toEqual([1, 2]);
    expect(t.notes().join('\n')).toContain('1 image(s) could not be read or decoded'); // one image, under two names
  });

  it('without sharp embeds small browser images as they are and leaves large ones out, saying why', async () => {
    const t = await createThumbnails(1e6, null);
    expect((await t.forImages([ref('s.png', new Uint8Array(100))])).t).toEqual([0]);
    expect(t.urls[0]!.startsWith('data:image/png;base64,')).toBe(true);
    expect(await t.forImages([ref('big.png', new Uint8Array(50_000).fill(7))])).toEqual({ t: [], missing: 1 });
    expect(await t.forImages([ref('x.tif', new Uint8Array(100).fill(3), 'image/tiff')])).toEqual({ t: [], missing: 1 });
    expect(t.notes()[0]).toMatch(/sharp is not available/);
  });
});

describe('collected data of a real run', () => {
  let runs: ReportRuns;
  let data: ReportData;
  beforeAll(async () => {
    runs = await makeReportRuns(30);
    const { benchmarks } = await prepareBenchmarks({ benchmarks: ['vqa-rad'], protocol: 'paper', dataDir: runs.data.root }, {}, () => {});
    data = await collectReport({
      benchmarks, result: runs.pr.result, predictions: await readPredictionsIndex(path.join(runs.prDir, 'predictions.jsonl')),
      baseline: { result: runs.main.result, label: 'main', predictions: await readPredictionsIndex(path.join(runs.mainDir, 'predictions.jsonl')) },
      thumbnails: await createThumbnails(), now: () => 0,
    });
  }, 60_000);

  it('one item per evaluated yes/no item, read from the boxed answer, flagged and paired with the baseline', () => {
    const b = data.benchmarks[0]!;
    expect(b.items.map((i) => i.id)).toEqual(runs.data.yesNoIds.map(String));
    expect(b.pairing.status).toBe('paired');
    for (const it of b.items) {
      const goldA = runs.data.answers.get(it.id)!.toLowerCase() === 'yes';
      expect([it.g, it.x, it.h, it.r]).toEqual([goldA ? 'A' : 'B', 'B', 'boxed', HOSTILE]);
      expect(it.f).toBe(goldA ? 0 : FLAG.correct);
      expect(it.b).toBe(goldA ? BASE.correct : BASE.wrong);
      expect(it.br).toBe('The answer is \\boxed{A}.'); // every item changed, so each carries the baseline response
      expect(it.o).toEqual({ A: 'yes', B: 'no' });
      expect(it.t).toHaveLength(1);
    }
    expect(b.groups.map((g) => g.key)).toEqual(['answerType', 'questionType', 'organ']);
    const organ = b.groups[2]!;
    expect(b.items.map((it) => organ.values[it.v[2]!])).toEqual(b.items.map((it) => (Number(it.id) % 2 ? 'CHEST' : 'HEAD')));
    expect(data.thumbs).toHaveLength(7); // 7 distinct images in the generated folder
  });

  it('a text budget keeps the first responses in priority order and says how many were left out', async () => {
    const { benchmarks } = await prepareBenchmarks({ benchmarks: ['vqa-rad'], protocol: 'paper', dataDir: runs.data.root }, {}, () => {});
    const perItem = HOSTILE.length + 'The answer is \\boxed{A}.'.length;
    const small = await collectReport({
      benchmarks, result: runs.pr.result, predictions: await readPredictionsIndex(path.join(runs.prDir, 'predictions.jsonl')),
      baseline: { result: runs.main.result, label: 'main', predictions: await readPredictionsIndex(path.join(runs.mainDir, 'predictions.jsonl')) },
      thumbnails: await createThumbnails(), now: () => 0, textBudget: 3 * perItem + 1,
    });
    const items = small.benchmarks[0]!.items;
    expect(items.filter((i) => i.r === HOSTILE)).toHaveLength(3);
    expect(items.filter((i) => i.rx === 1)).toHaveLength(items.length - 3);
    expect(items.every((i) => i.x === 'B' && i.h === 'boxed')).toBe(true); // rescored from disk even when the text is left out
    expect(small.notes.join('\n')).toContain(`${items.length - 3} response(s) of correct, unchanged items first are left out`);
  });

  it('uses the recorded reading when the line was scored under the current rules, and reads again otherwise', async () => {
    const { benchmarks } = await prepareBenchmarks({ benchmarks: ['vqa-rad'], protocol: 'paper', dataDir: runs.data.root }, {}, () => {});
    const lines = readFileSync(path.join(runs.prDir, 'predictions.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const dir = mkdtempSync(path.join(tmpdir(), 'medvlm-stamp-'));
    // item 0: current stamp, a marker reading (kept as recorded); item 1: an old stamp (read again); others untouched
    lines[0].how = 'recorded-marker';
    lines[1].how = 'recorded-marker';
    lines[1].scorer = 'old-rules-stamp';
    writeFileSync(path.join(dir, 'predictions.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n'));
    const d = await collectReport({ benchmarks, result: runs.pr.result, predictions: await readPredictionsIndex(path.join(dir, 'predictions.jsonl')),
      thumbnails: await createThumbnails(0, null), now: () => 0 });
    const byId = new Map(d.benchmarks[0]!.items.map((i) => [i.id, i]));
    expect(byId.get(lines[0].id)!.h).toBe('recorded-marker');
    expect(byId.get(lines[1].id)!.h).toBe('boxed');
  });

  it('records how each answer was read in predictions.jsonl', async () => {
    const idx = await readPredictionsIndex(path.join(runs.prDir, 'predictions.jsonl'));
    expect(idx.get('vqa-rad', String(runs.data.yesNoIds[0]), false)?.how).toBe('boxed');
  });
});
