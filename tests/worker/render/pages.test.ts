import { describe, expect, it } from 'vitest';
import { renderComparePage } from '../../../worker/src/render/pages/compare.js';
import { renderLeaderboardPage } from '../../../worker/src/render/pages/leaderboard.js';
import { renderNotFoundPage } from '../../../worker/src/render/pages/not-found.js';
import { renderRepoPage } from '../../../worker/src/render/pages/repo.js';
import type { CompareView, LeaderboardView, RepoView } from '../../../worker/src/render/view-models.js';
import { EVIL, chartPoints, run, score } from './fixtures.js';

const FP = 'f'.repeat(64);

function leaderboard(model = 'model-a'): LeaderboardView {
  return {
    boards: [{
      benchmark: 'vqa-rad', title: 'VQA-RAD', protocol: 'paper', fingerprint: FP, chance: 0.5, otherItemSets: [{ fingerprint: 'e'.repeat(64), entries: 3 }],
      total: 2, offset: 0, pages: { previous: null, next: null, all: null },
      entries: [
        { rankRange: [1, 2], repository: 'org/alpha', model, checkpoint: null, runId: 'r1', commit: 'b'.repeat(40), createdAt: '2026-11-02T00:00:00Z', score: score(200, 272) },
        { rankRange: [1, 2], repository: 'org/beta', model: 'model-b', checkpoint: 'ckpt-9', runId: 'r2', commit: null, createdAt: '2026-11-03T00:00:00Z', score: score(190, 272) },
      ],
    }],
  };
}

function repoView(model = 'model-a'): RepoView {
  return {
    owner: 'org', repo: 'alpha', ref: 'refs/heads/main', origin: 'https://bench.example.org',
    latest: run({ model, verified: true }),
    scores: [{ benchmark: 'vqa-rad', title: 'VQA-RAD', overall: score(180, 272), understanding: score(150, 220), reasoning: score(30, 52), scored: 272, unparsed: 3, errors: 1, chance: 0.5 }],
    split: { understanding: score(150, 220), reasoning: score(30, 52) },
    history: [{ benchmark: 'vqa-rad', points: chartPoints(3) }, { benchmark: 'slake', points: chartPoints(2) }],
    recentRuns: [run({ id: 'new', model, commit: 'c'.repeat(40) }), run({ id: 'pr', model, commit: 'd'.repeat(40), ref: 'refs/pull/12/merge' }),
      run({ id: 'old', model, commit: 'f'.repeat(40) })],
  };
}

function compareView(model = 'model-a'): CompareView {
  const row = { base: score(180, 272), head: score(195, 272), diff: 15 / 272, ci95: [0.01, 0.1] as const, baseOnly: 4, headOnly: 19, p: 0.0026, pHolm: 0.0052 };
  return {
    owner: 'org', repo: 'alpha', margin: 0.01, alpha: 0.05, mode: 'regression', verdict: 'worse', onlyInBase: ['pathvqa'], onlyInHead: [],
    base: { ...run({ id: 'base-id', model }), repository: 'org/alpha' },
    head: { ...run({ id: 'head-id', model, commit: 'e'.repeat(40) }), repository: 'org/alpha' },
    rows: [
      { benchmark: 'vqa-rad', group: null, verdict: 'better', ...row },
      { benchmark: 'vqa-rad', group: { key: 'questionType', value: 'reasoning' }, verdict: 'no-significant-change', ...row, pHolm: 0.31 },
      { benchmark: 'slake', group: null, verdict: 'worse', ...row, diff: -0.05, ci95: [-0.08, -0.02] },
    ],
  };
}

function expectWellFormedPage(page: string): void {
  expect(page.startsWith('<!doctype html>')).toBe(true);
  expect(page).toContain('<html lang="en">');
  for (const landmark of ['<header', '<nav aria-label="Main"', '<main id="content"', '<footer']) expect(page).toContain(landmark);
  expect(page).not.toMatch(/<script|src="https?:|href="https?:\/\/(?!bench\.example\.org)/);
  expect(page.match(/<link [^>]*>/g)).toEqual(['<link rel="icon" href="/favicon.svg" type="image/svg+xml">']);
}

describe('leaderboard page', () => {
  it('lists entries with rank ranges, intervals and the chance row', () => {
    const page = renderLeaderboardPage(leaderboard());
    expectWellFormedPage(page);
    expect(page).toContain('<a href="/org/alpha">org/alpha</a>');
    expect(page).toContain('73.5%'); // 200/272
    expect(page).toMatch(/<td class="num">1–2<\/td>/);
    expect(page).toContain('<tr class="chance">');
    expect(page).toContain('ckpt-9');
    expect(page.match(/<th scope="col"/g)!.length).toBe(8); // pick-to-compare column + 7
    expect(page).toContain('3 latest runs on item set');
  });

  it('shows an empty state without boards', () => {
    expect(renderLeaderboardPage({ boards: [] })).toContain('No runs uploaded yet');
  });
});

describe('repo page', () => {
  it('shows latest scores, the split, a chart per benchmark, runs and badge snippets', () => {
    const page = renderRepoPage(repoView());
    expectWellFormedPage(page);
    expect(page).toContain('<h1>org/alpha</h1>');
    expect(page).toContain('66.2%'); // 180/272
    expect(page).toContain('68.2%'); // understanding 150/220
    expect(page.match(/<svg /g)!.length).toBe(2);
    expect(page).toContain('id="mvb-title-1"'); // inlined charts get unique ids
    expect(page).toContain('href="/org/alpha/compare/old...new"');
    expect(page).toContain('[![medvlm-bench](https://bench.example.org/badge/org/alpha.svg)](https://bench.example.org/org/alpha)');
    expect(page).toContain('https://bench.example.org/badge/org/alpha.svg?benchmark=vqa-rad');
    expect(page).toContain('PR #12');
  });

  it('says so when there is no complete run yet', () => {
    const page = renderRepoPage({ ...repoView(), latest: null, scores: [], history: [], recentRuns: [] });
    expect(page).toContain('No complete run on main yet.');
  });
});

describe('compare page', () => {
  it('shows base, head, delta with interval, p, Holm p and verdicts', () => {
    const page = renderComparePage(compareView());
    expectWellFormedPage(page);
    expect(page).toContain('+5.5 pp');
    expect(page).toContain('[+1.0, +10.0]');
    expect(page).toContain('0.0026');
    expect(page).toContain('0.0052');
    expect(page).toContain('<span class="pill better">better</span>');
    expect(page).toContain('<span class="pill worse">worse</span>');
    expect(page).toContain('no significant change');
    expect(page).toContain('1 better</span> <span class="pill worse">1 worse');
    expect(page).toContain('4 / 19');
    expect(page).toContain('Overall: <span class="pill worse">worse</span>');
    expect(page).toContain('pathvqa (base only)');
  });
});

describe('escaping user-controlled strings in every page', () => {
  it.each([
    ['leaderboard', () => renderLeaderboardPage(leaderboard(EVIL))],
    ['repo', () => renderRepoPage(repoView(EVIL))],
    ['compare', () => renderComparePage(compareView(EVIL))],
    ['not found', () => renderNotFoundPage(EVIL, EVIL)],
  ])('%s page', (_name, render) => {
    const page = render();
    expect(page).not.toContain('<script');
    expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
  });
});
