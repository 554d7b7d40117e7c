/**
 * Badges: pure functions from a score to an SVG (rendered by shields.io's own `badge-maker`, so badges look like
 * every other badge in a README) or to the shields.io endpoint JSON. badge-maker escapes label and message itself;
 * we additionally bound and clean the label because it can come straight from a query string.
 */
import { makeBadge } from 'badge-maker';
import { formatPercent } from './format.js';

export const BADGE_STYLES = ['flat', 'flat-square', 'for-the-badge'] as const;
export type BadgeStyle = (typeof BADGE_STYLES)[number];

export const DEFAULT_BADGE_LABEL = 'medvlm-bench';
export const NO_DATA_MESSAGE = 'no data';
export const NO_DATA_COLOR = 'lightgrey';
/** what a badge of a private deployment says to a caller without read access (grey, status 200) */
export const PRIVATE_MESSAGE = 'private';
const MAX_LABEL_CHARS = 64;

/** Score bands (lower bound → shields colour name), highest first. Shared by the SVG and the JSON endpoint. */
export const SCORE_COLORS: readonly (readonly [number, string])[] = [
  [0.9, 'brightgreen'],
  [0.8, 'green'],
  [0.7, 'yellowgreen'],
  [0.6, 'yellow'],
  [0.5, 'orange'],
  [0, 'red'],
];

export interface BadgeContent {
  label: string;
  message: string;
  color: string;
}

/** Unknown or missing styles fall back to flat: a badge URL must never turn into an error image. */
export function parseBadgeStyle(style: string | null | undefined): BadgeStyle {
  return (BADGE_STYLES as readonly string[]).includes(style ?? '') ? (style as BadgeStyle) : 'flat';
}

export function colorForScore(score: number | null): string {
  if (score === null || !Number.isFinite(score)) return NO_DATA_COLOR;
  return SCORE_COLORS.find(([min]) => score >= min)![1];
}

/** Drop control characters and cap the length, so a hostile label cannot bloat or break the badge. */
export function cleanLabel(label: string): string {
  // eslint-disable-next-line no-control-regex
  const flat = label.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  const chars = Array.from(flat);
  return chars.length > MAX_LABEL_CHARS ? `${chars.slice(0, MAX_LABEL_CHARS - 1).join('')}…` : flat;
}

/** What a badge says: `label` (or the default), the score as a percentage, coloured by band; grey "no data". */
export function badgeContent(opts: {
  label?: string | null; defaultLabel?: string; score: number | null; private?: boolean;
}): BadgeContent {
  const label = cleanLabel(opts.label ?? '') || opts.defaultLabel || DEFAULT_BADGE_LABEL;
  if (opts.private) return { label, message: PRIVATE_MESSAGE, color: NO_DATA_COLOR };
  if (opts.score === null) return { label, message: NO_DATA_MESSAGE, color: NO_DATA_COLOR };
  return { label, message: formatPercent(opts.score), color: colorForScore(opts.score) };
}

export function renderBadgeSvg(content: BadgeContent, style: BadgeStyle = 'flat'): string {
  return makeBadge({ label: content.label, message: content.message, color: content.color, style });
}

/** https://shields.io/badges/endpoint-badge — the JSON a shields.io "endpoint" badge reads. */
export function shieldsEndpoint(content: BadgeContent): { schemaVersion: 1; label: string; message: string; color: string } {
  return { schemaVersion: 1, label: content.label, message: content.message, color: content.color };
}
