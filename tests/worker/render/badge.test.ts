import { describe, expect, it } from 'vitest';
import {
  badgeContent, cleanLabel, colorForScore, parseBadgeStyle, renderBadgeSvg, shieldsEndpoint,
} from '../../../worker/src/render/badge.js';
import { EVIL } from './fixtures.js';

describe('badge content', () => {
  it.each([
    [0.95, 'brightgreen'], [0.9, 'brightgreen'], [0.85, 'green'], [0.72, 'yellowgreen'],
    [0.6, 'yellow'], [0.55, 'orange'], [0.2, 'red'], [null, 'lightgrey'],
  ] as const)('colours %s as %s', (s, c) => {
    expect(colorForScore(s)).toBe(c);
  });

  it('formats the score as a percentage with the default label', () => {
    expect(badgeContent({ score: 0.6321 })).toEqual({ label: 'medvlm-bench', message: '63.2%', color: 'yellow' });
    expect(badgeContent({ score: 0.6321, defaultLabel: 'vqa-rad' }).label).toBe('vqa-rad');
    expect(badgeContent({ score: 0.5, label: 'custom' }).label).toBe('custom');
  });

  it('says "no data" in grey without a score', () => {
    expect(badgeContent({ score: null })).toEqual({ label: 'medvlm-bench', message: 'no data', color: 'lightgrey' });
  });

  it('cleans control characters and caps long labels', () => {
    expect(cleanLabel('a\u0000b\nc')).toBe('a b c');
    const long = cleanLabel('x'.repeat(500));
    expect(Array.from(long)).toHaveLength(64);
    expect(long.endsWith('…')).toBe(true);
    expect(badgeContent({ score: 0.5, label: '  \n ' }).label).toBe('medvlm-bench');
  });

  it('falls back to flat for unknown styles', () => {
    expect(parseBadgeStyle('for-the-badge')).toBe('for-the-badge');
    expect(parseBadgeStyle('flat-square')).toBe('flat-square');
    expect(parseBadgeStyle('plastic')).toBe('flat');
    expect(parseBadgeStyle(undefined)).toBe('flat');
  });
});

describe('badge SVG', () => {
  it('escapes a malicious label', () => {
    const svg = renderBadgeSvg(badgeContent({ score: 0.7, label: EVIL }));
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).not.toContain('<script');
    expect(svg).toContain('&lt;script&gt;');
    expect(svg).toContain('70.0%');
  });

  it('renders the three styles differently', () => {
    const c = badgeContent({ score: 0.81 });
    const svgs = (['flat', 'flat-square', 'for-the-badge'] as const).map((s) => renderBadgeSvg(c, s));
    expect(new Set(svgs).size).toBe(3);
    // for-the-badge upper-cases its text and is taller
    expect(svgs[2]).toContain('81.0%');
    expect(svgs[2]).toMatch(/height="28"/);
    expect(svgs[0]).toMatch(/height="20"/);
  });

  it('uses a wider badge for a longer label', () => {
    const width = (svg: string) => Number(/width="(\d+)"/.exec(svg)![1]);
    const short = renderBadgeSvg(badgeContent({ score: 0.5, label: 'a' }));
    const long = renderBadgeSvg(badgeContent({ score: 0.5, label: 'a much longer label' }));
    expect(width(long)).toBeGreaterThan(width(short));
  });
});

describe('shields endpoint JSON', () => {
  it('has the endpoint shape and keeps the raw label (shields escapes it)', () => {
    expect(shieldsEndpoint(badgeContent({ score: 0.93, label: EVIL }))).toEqual({
      schemaVersion: 1, label: EVIL, message: '93.0%', color: 'brightgreen',
    });
  });
});
